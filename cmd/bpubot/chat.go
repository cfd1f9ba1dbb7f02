package main

import (
	"os"

	"bpubot/bot/console"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newChatCmd(root *rootOptions) *cobra.Command {
	var user, lang string
	cmd := &cobra.Command{
		Use:     "chat",
		Short:   "Chat with the bot in this terminal (console channel)",
		Long:    "Chat with bpubot over stdin/stdout, in the same flows as WhatsApp and Telegram. Choices are numbered:\nanswer with the number or the words. Each --user is a separate worker. Works with piped input\n(one reply block per line, exit at end of input).",
		Example: "  bpubot chat\n  bpubot chat --user budi --lang en\n  printf 'daftar\\n1\\n' | bpubot chat --user siti",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := root.load()
			if err != nil {
				return err
			}
			if lang == "" {
				lang = cfg.Conversation.DefaultLang
			}
			a, err := newApp(cmd.Context(), cfg, os.Stderr)
			if err != nil {
				return err
			}
			defer a.Close()
			ch := console.New(cmd.OutOrStdout())
			a.dispatcher.Register(ch)
			interactive := term.IsTerminal(int(os.Stdin.Fd()))
			chat := &console.Chat{
				Engine: a.engine, Dispatcher: a.dispatcher, User: user, Lang: lang,
				Echo: !interactive, Prompt: interactive, Out: cmd.OutOrStdout(),
			}
			return chat.Run(cmd.Context(), cmd.InOrStdin())
		},
	}
	cmd.Flags().StringVar(&user, "user", "worker", "who you are in the chat; each user is a separate worker")
	cmd.Flags().StringVar(&lang, "lang", "", "language of a new conversation: id or en (default from conversation.default_lang); an existing\nconversation keeps its own, switched in the chat (\"english please\", \"bahasa indonesia aja\")")
	return cmd
}
