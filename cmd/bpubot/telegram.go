package main

import (
	"context"

	"bpubot/bot"
	"bpubot/bot/telegram"
)

func init() {
	channelSetups = append(channelSetups, setupTelegram)
}

// setupTelegram is the Telegram channel of `bpubot serve`, when telegram.enabled. In webhook
// mode it mounts the webhook route on the HTTP server.
func setupTelegram(_ context.Context, a *app, srv *bot.Server) (*channelService, error) {
	tc := a.cfg.Telegram
	if !tc.Enabled {
		return nil, nil
	}
	ch, err := telegram.New(telegramConfig(tc), a.engine,
		telegram.WithLogger(a.log),
		telegram.WithMetrics(a.metrics.Registry),
		// As many messages in the engine at once as there are database connections for them.
		telegram.WithHandlers(a.cfg.Database.MaxOpenConns, 0),
		// Staff commands, replies to requests in the staff group, and their buttons.
		telegram.WithStaffDesk(a.staffService(), tc.StaffChatID),
	)
	if err != nil {
		return nil, err
	}
	if tc.Mode == telegram.ModeWebhook {
		srv.Mux.Handle("POST "+telegram.WebhookPath, ch.WebhookHandler())
	}
	srv.AddReadiness("telegram", ch.Ready)
	return &channelService{Channel: ch, Run: ch.Run}, nil
}

func telegramConfig(c TelegramConfig) telegram.Config {
	return telegram.Config{Token: c.Token, ServerURL: c.ServerURL, Mode: c.Mode, WebhookURL: c.WebhookURL,
		WebhookSecret: c.WebhookSecret, RateLimit: c.RateLimit}
}
