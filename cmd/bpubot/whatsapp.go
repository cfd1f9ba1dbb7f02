package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/bot/whatsapp"
	"bpubot/flows/validate"
	"bpubot/locales"
	"bpubot/models"

	"github.com/mdp/qrterminal/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func init() {
	extraCommands = append(extraCommands, newWhatsAppCmd)
	channelSetups = append(channelSetups, setupWhatsApp)
}

// setupWhatsApp is the WhatsApp channel of `bpubot serve`, when whatsapp.enabled.
func setupWhatsApp(ctx context.Context, a *app, srv *bot.Server) (*channelService, error) {
	if !a.cfg.WhatsApp.Enabled {
		return nil, nil
	}
	store, err := whatsapp.OpenStore(ctx, a.db, a.log)
	if err != nil {
		return nil, err
	}
	ch := whatsapp.New(a.db, a.engine, store.Connector(),
		whatsapp.WithConfig(whatsappConfig(a.cfg.WhatsApp)),
		whatsapp.WithLogger(a.log),
		whatsapp.WithNotify(a.dispatcher.Notify),
		whatsapp.WithMetrics(a.metrics.Registry),
	)
	srv.AddReadiness("whatsapp", ch.Ready)
	return &channelService{Channel: ch, Run: ch.Run}, nil
}

func whatsappConfig(c WhatsAppConfig) whatsapp.Config {
	return whatsapp.Config{BulkPerMinute: c.BulkPerMinute, BulkJitter: c.BulkJitter, ReplyInterval: c.ReplyInterval,
		RestrictionPause: c.RestrictionPause, RecentChat: c.RecentChat, LockRetry: c.LockRetry}
}

func newWhatsAppCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "whatsapp",
		Short: "Link, check or unlink the WhatsApp number bpubot answers on",
	}
	var phone string
	pair := &cobra.Command{
		Use:   "pair",
		Short: "Link a WhatsApp number: scan a QR code, or type a pairing code (--phone)",
		Long: "Link the partner's WhatsApp number to bpubot, as WhatsApp Web does: scan the QR code shown here with the phone\n" +
			"(WhatsApp › Settings › Linked devices › Link a device), or with --phone get an 8-character code to type there.\n" +
			"The session is stored in bpubot's database. Codes expire after about two and a half minutes.",
		Example: "  bpubot whatsapp pair\n  bpubot whatsapp pair --phone +6281234567890",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withWhatsApp(cmd, root, func(ctx context.Context, w *whatsappCmd) error { return w.pair(ctx, phone) })
		},
	}
	pair.Flags().StringVar(&phone, "phone", "", "the number to link, with its country code (+62…): show a pairing code instead of a QR code")
	status := &cobra.Command{
		Use:   "status",
		Short: "Show the linked number, the last connection state and any pause",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withWhatsApp(cmd, root, func(ctx context.Context, w *whatsappCmd) error { return w.status(ctx) })
		},
	}
	var force bool
	logout := &cobra.Command{
		Use:   "logout",
		Short: "Unlink the WhatsApp number and delete its session (stop `bpubot serve` first)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withWhatsApp(cmd, root, func(ctx context.Context, w *whatsappCmd) error { return w.logout(ctx, force) })
		},
	}
	logout.Flags().BoolVar(&force, "force", false, "delete the session here even if WhatsApp cannot be reached to unlink it")
	cmd.AddCommand(pair, status, logout)
	return cmd
}

// whatsappCmd is what the whatsapp subcommands share: the session store, and the staff's
// language for what they print.
type whatsappCmd struct {
	store *whatsapp.Store
	out   io.Writer
	lang  string
	loc   *time.Location
	lock  whatsapp.Lock
}

func withWhatsApp(cmd *cobra.Command, root *rootOptions, fn func(context.Context, *whatsappCmd) error) error {
	cfg, db, log, err := root.openDB(cmd)
	if err != nil {
		return err
	}
	defer models.Close(db)
	store, err := whatsapp.OpenStore(cmd.Context(), db, log)
	if err != nil {
		return err
	}
	w := &whatsappCmd{store: store, out: cmd.OutOrStdout(), lang: cfg.Conversation.DefaultLang, loc: cfg.Conversation.location(),
		lock: whatsapp.NewLock(db, cfg.WhatsApp.LockRetry)}
	return fn(cmd.Context(), w)
}

func (w *whatsappCmd) t(key string, args ...any) string { return locales.Text(w.lang, key, args...) }

// failure is a command's plain-words failure: main prints it and exits 1.
func (w *whatsappCmd) failure(key string, args ...any) error { return errors.New(w.t(key, args...)) }

func (w *whatsappCmd) pair(ctx context.Context, phone string) error {
	if phone != "" {
		norm, err := validate.NormalizePhone(phone)
		if err != nil {
			return w.failure("whatsapp.pair.bad_phone", "phone", phone)
		}
		phone = norm
	}
	clear := isTerminal(w.out)
	linked, err := w.store.Pair(ctx, whatsapp.PairOptions{
		Phone: phone,
		OnQR: func(code string, valid time.Duration) {
			if clear {
				fmt.Fprint(w.out, "\033[H\033[2J") // a fresh screen for each new code
			}
			fmt.Fprintln(w.out, w.t("whatsapp.pair.scan", "seconds", int(valid.Seconds())))
			qrterminal.GenerateHalfBlock(code, qrterminal.L, w.out)
		},
		OnPairingCode:  func(code string) { fmt.Fprintln(w.out, w.t("whatsapp.pair.code", "code", code)) },
		OnRescanNeeded: func() { fmt.Fprintln(w.out, w.t("whatsapp.pair.rescan")) },
	})
	switch {
	case err == nil:
		fmt.Fprintln(w.out, w.t("whatsapp.pair.success", "phone", linked.Phone))
		return nil
	case errors.Is(err, whatsapp.ErrAlreadyPaired):
		return w.failure("whatsapp.pair.already", "phone", linked.Phone)
	case errors.Is(err, whatsapp.ErrPairTimeout):
		return w.failure("whatsapp.pair.timeout")
	case errors.Is(err, whatsapp.ErrClientOutdated):
		return w.failure("whatsapp.pair.outdated")
	case errors.Is(err, context.Canceled):
		return err
	default:
		return w.failure("whatsapp.pair.failed", "error", strings.TrimPrefix(err.Error(), "whatsapp: "))
	}
}

func (w *whatsappCmd) status(ctx context.Context) error {
	st, err := w.store.Status(ctx, time.Now())
	if err != nil {
		return err
	}
	if st.Linked == nil {
		fmt.Fprintln(w.out, w.t("whatsapp.status.not_linked"))
	} else {
		fmt.Fprintln(w.out, w.t("whatsapp.status.linked", "phone", st.Linked.Phone))
		if st.Linked.PushName != "" {
			fmt.Fprintln(w.out, w.t("whatsapp.status.name", "name", st.Linked.PushName))
		}
	}
	if st.LastState == nil {
		fmt.Fprintln(w.out, w.t("whatsapp.status.no_state"))
	} else {
		fmt.Fprintln(w.out, w.t("whatsapp.status.last_state", "at", w.when(st.LastState.UpdatedAt),
			"state", st.LastState.State.Text(w.lang, st.LastState.Detail)))
	}
	if st.Pause != nil {
		fmt.Fprintln(w.out, w.t("whatsapp.status.paused", "until", w.when(st.Pause.Until),
			"reason", w.t("whatsapp.pause."+string(st.Pause.Reason))))
	}
	return nil
}

func (w *whatsappCmd) logout(ctx context.Context, force bool) error {
	linked, err := w.store.Logout(ctx, w.lock, force)
	switch {
	case err == nil:
		fmt.Fprintln(w.out, w.t("whatsapp.logout.done", "phone", linked.Phone))
		return nil
	case errors.Is(err, whatsapp.ErrNotPaired):
		fmt.Fprintln(w.out, w.t("whatsapp.logout.not_linked"))
		return nil
	case errors.Is(err, whatsapp.ErrConnectionHeld):
		return w.failure("whatsapp.logout.in_use")
	default:
		return w.failure("whatsapp.logout.failed", "error", err.Error())
	}
}

// when writes a moment in the configured time zone: "22 November 2026 10:00".
func (w *whatsappCmd) when(t time.Time) string {
	t = t.In(w.loc)
	return locales.Date(w.lang, t) + " " + t.Format("15:04")
}

func isTerminal(out io.Writer) bool {
	f, ok := out.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
