package telegram

import (
	"context"

	"bpubot/locales"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// commands are the bot's command menu. The router reads each as typed text ("/daftar" is
// "daftar"); /start arrives as bot.KindStart.
var commands = []string{"start", "menu", "daftar", "batal", "bantuan"}

// setCommands registers the command menu in Indonesian for everyone and in English for
// Telegram apps set to English. A failure is logged: the commands still work when typed.
func (c *Channel) setCommands(ctx context.Context) {
	for _, lang := range []string{"", "en"} {
		loc := lang
		if loc == "" {
			loc = locales.Default
		}
		cmds := make([]models.BotCommand, 0, len(commands))
		for _, name := range commands {
			cmds = append(cmds, models.BotCommand{Command: name, Description: locales.Text(loc, "telegram.command."+name)})
		}
		if _, err := c.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, LanguageCode: lang}); err != nil {
			c.log.Warn("telegram: setting the command menu failed", "lang", loc, "err", err)
		}
	}
}
