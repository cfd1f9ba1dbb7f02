package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"bpubot/bot/jobs"
	"bpubot/bot/staff"
	"bpubot/bot/telegram"
	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// staffConfig is the staff service's part of the config.
func staffConfig(cfg Config) staff.Config {
	sc := staff.Config{
		StaffLang: cfg.Conversation.DefaultLang, Location: cfg.Conversation.location(), HandoffTimeout: cfg.Staff.HandoffTimeout,
		PlainChannels: []string{"whatsapp", "console"}, FanOutBatch: cfg.Staff.FanOutBatch,
	}
	if cfg.WhatsApp.Enabled {
		sc.WhatsAppBulkPerMinute, sc.WhatsAppBulkJitter = cfg.WhatsApp.BulkPerMinute, cfg.WhatsApp.BulkJitter
	}
	if cfg.Telegram.Enabled && cfg.Telegram.StaffChatID != 0 {
		sc.StaffChannel, sc.StaffChat = telegram.Name, strconv.FormatInt(cfg.Telegram.StaffChatID, 10)
	}
	return sc
}

// staffService is the staff service of the app, on its database, sealer and job runner,
// waking its dispatcher.
func (a *app) staffService() *staff.Service {
	if a.staff == nil {
		a.staff = &staff.Service{DB: a.db, Sealer: a.sealer, Log: a.log, Config: staffConfig(a.cfg), Coverage: &a.rules,
			Notify: a.dispatcher.Notify, Jobs: a.jobs}
	}
	return a.staff
}

// staffCLI is what a staff command needs: the service on the configured database, and who acts.
type staffCLI struct {
	cfg   Config
	db    *models.DB
	log   *slog.Logger
	svc   *staff.Service
	actor staff.Actor
}

// asFlag adds --as to a command: act as that staff member (name or number) instead of as the
// operator, so that their role and partner apply.
func asFlag(cmd *cobra.Command, as *string) {
	cmd.PersistentFlags().StringVar(as, "as", "", "act as this staff member (name or number), with their role and partner; default: the operator, an admin")
}

// staffAction is a staff subcommand's work, on the staff service, as the acting staff member.
type staffAction func(cmd *cobra.Command, c *staffCLI, args []string) error

// staffRunner adds --as to a command and returns how its subcommands run: on the staff
// service, as --as, with the service's errors in the operator's words.
func (o *rootOptions) staffRunner(cmd *cobra.Command) func(staffAction) func(*cobra.Command, []string) error {
	var as string
	asFlag(cmd, &as)
	return func(fn staffAction) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			c, err := o.openStaff(cmd, as, false)
			if err != nil {
				return err
			}
			defer c.Close()
			return c.fail(fn(cmd, c, args))
		}
	}
}

// openStaff opens the database and the staff service; as, when set, names the staff member
// acting. Close the database when done.
func (o *rootOptions) openStaff(cmd *cobra.Command, as string, withSealer bool) (*staffCLI, error) {
	cfg, db, log, err := o.openDB(cmd)
	if err != nil {
		return nil, err
	}
	c := &staffCLI{cfg: cfg, db: db, log: log, actor: staff.Operator()}
	// Fan-out jobs are inserted here and worked by `bpubot serve`; River checks an inserted
	// job's kind against the workers registered, so they are registered here too.
	js := jobs.New(db, jobs.Config{Logger: log})
	c.svc = &staff.Service{DB: db, Log: log, Config: staffConfig(cfg), Jobs: js}
	js.AddStaff(c.svc)
	if withSealer {
		if c.svc.Sealer, err = loadSealer(cfg.Security, log); err != nil {
			_ = models.Close(db)
			return nil, err
		}
	}
	if as != "" {
		st, err := c.svc.FindStaff(cmd.Context(), c.actor, as)
		if err != nil {
			_ = models.Close(db)
			return nil, fmt.Errorf("--as %s: %s", as, staff.ErrorText(c.lang(), err))
		}
		if st.Disabled {
			_ = models.Close(db)
			return nil, fmt.Errorf("--as %s: %s", as, staff.ErrorText(c.lang(), staff.ErrNotStaff))
		}
		c.actor = staff.ActorOf(*st, staff.ViaCLI)
	}
	return c, nil
}

func (c *staffCLI) lang() string { return c.cfg.Conversation.DefaultLang }

func (c *staffCLI) Close() error { return models.Close(c.db) }

// fail turns a service error into what the operator reads.
func (c *staffCLI) fail(err error) error {
	if err == nil || !staff.Known(err) {
		return err
	}
	return errors.New(staff.ErrorText(c.lang(), err))
}

func newStaffCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "staff",
		Short: "Staff members: who may broadcast, answer workers and export",
		Long: "Staff members have a role: admin (everything), staff (broadcasts and handoffs for every worker) or\n" +
			"partner (only the workers of their own partner code). They act from Telegram (their Telegram user id),\n" +
			"the admin API (a bearer token) and the web console (a password). Every action goes to the audit log.",
	}
	run := root.staffRunner(cmd)
	var in staff.NewStaff
	var withPassword bool
	add := &cobra.Command{
		Use:   "add NAME --role admin|staff|partner",
		Short: "Add a staff member",
		Example: "  bpubot staff add \"Siti Rahma\" --role staff --telegram 123456789\n" +
			"  bpubot staff add \"Ansor Jateng 1\" --role partner --partner ansor_jateng --telegram 987654321 --password",
		Args: cobra.ExactArgs(1),
		RunE: run(func(cmd *cobra.Command, c *staffCLI, args []string) error {
			in.Name = args[0]
			st, err := c.svc.AddStaff(cmd.Context(), c.actor, in)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "staff.staff_added", "id", st.ID, "name", st.Name, "role", st.Role))
			if withPassword {
				return setPassword(cmd, c, st.Name, false)
			}
			return nil
		}),
	}
	add.Flags().StringVar(&in.Role, "role", models.RoleStaff, "admin, staff or partner")
	add.Flags().StringVar(&in.PartnerCode, "partner", "", "the partner code of partner staff")
	add.Flags().Int64Var(&in.TelegramUserID, "telegram", 0, "the staff member's Telegram user id (a number; @userinfobot tells it)")
	add.Flags().BoolVar(&withPassword, "password", false, "then ask for a console password (from the terminal, or one line on stdin)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List staff members",
		RunE: run(func(cmd *cobra.Command, c *staffCLI, _ []string) error {
			sts, err := c.svc.ListStaff(cmd.Context(), c.actor)
			if err != nil {
				return err
			}
			partners, err := models.Partners(c.db.WithContext(cmd.Context()))
			if err != nil {
				return err
			}
			codes := map[int64]string{}
			for _, p := range partners {
				codes[p.ID] = p.Code
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, locales.Text(c.lang(), "staff.staff_header"))
			for _, st := range sts {
				partner, tg := "-", "-"
				if st.PartnerID != nil {
					partner = codes[*st.PartnerID]
				}
				if st.TelegramUserID != nil {
					tg = strconv.FormatInt(*st.TelegramUserID, 10)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", st.ID, st.Name, st.Role, partner, tg,
					yesNo(c.lang(), st.PasswordHash != ""), yesNo(c.lang(), st.TokenHash != nil), yesNo(c.lang(), !st.Disabled))
			}
			return w.Flush()
		}),
	}
	toggle := func(use, short string, disabled bool) *cobra.Command {
		return &cobra.Command{
			Use: use + " NAME|ID", Short: short, Args: cobra.ExactArgs(1),
			RunE: run(func(cmd *cobra.Command, c *staffCLI, args []string) error {
				st, err := c.svc.SetDisabled(cmd.Context(), c.actor, args[0], disabled)
				if err != nil {
					return err
				}
				key := "staff.staff_enabled"
				if disabled {
					key = "staff.staff_disabled"
				}
				fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), key, "name", st.Name))
				return nil
			}),
		}
	}
	var remove bool
	password := &cobra.Command{
		Use:   "password NAME|ID",
		Short: "Set or reset a staff member's console password (asked for, never a flag)",
		Long: "Set or reset a staff member's console password. It is asked for twice on a terminal, or read as one line\n" +
			"from standard input (printf '%s\\n' \"$PW\" | bpubot staff password NAME). Only its argon2id hash is kept.",
		Args: cobra.ExactArgs(1),
		RunE: run(func(cmd *cobra.Command, c *staffCLI, args []string) error {
			return setPassword(cmd, c, args[0], remove)
		}),
	}
	password.Flags().BoolVar(&remove, "remove", false, "remove the password: no console sign-in")
	token := &cobra.Command{
		Use:   "token NAME|ID",
		Short: "Issue a new admin API bearer token (shown once; the earlier one stops working)",
		Args:  cobra.ExactArgs(1),
		RunE: run(func(cmd *cobra.Command, c *staffCLI, args []string) error {
			st, err := c.svc.FindStaff(cmd.Context(), c.actor, args[0])
			if err != nil {
				return err
			}
			tok, err := c.svc.IssueToken(cmd.Context(), c.actor, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.ErrOrStderr(), locales.Text(c.lang(), "staff.token_issued", "name", st.Name))
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			return nil
		}),
	}
	cmd.AddCommand(add, list, toggle("disable", "Disable a staff member: Telegram commands, token and console stop working", true),
		toggle("enable", "Enable a staff member again", false), password, token)
	return cmd
}

// setPassword asks for a password (twice on a terminal, one line otherwise) and sets it.
func setPassword(cmd *cobra.Command, c *staffCLI, ref string, remove bool) error {
	ctx := cmd.Context()
	st, err := c.svc.FindStaff(ctx, c.actor, ref)
	if err != nil {
		return err
	}
	pw := ""
	if !remove {
		if pw, err = readPassword(cmd.InOrStdin(), cmd.ErrOrStderr(), c.lang(), st.Name); err != nil {
			return err
		}
		if pw == "" {
			// The service takes "" as removing the password: that is --remove, never an empty line.
			return errors.New(locales.Text(c.lang(), "staff.password_short", "n", staff.MinPasswordLength))
		}
	}
	if err := c.svc.SetPassword(ctx, c.actor, strconv.FormatInt(st.ID, 10), pw); err != nil {
		return err
	}
	key := "staff.password_set"
	if remove {
		key = "staff.password_removed"
	}
	fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), key, "name", st.Name))
	return nil
}

// readPassword reads a password without echo, twice, from a terminal; from anything else, one
// line.
func readPassword(in io.Reader, prompt io.Writer, lang, name string) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		ask := func(question string) (string, error) {
			fmt.Fprint(prompt, question)
			pw, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(prompt)
			return string(pw), err
		}
		a, err := ask(locales.Text(lang, "staff.password_prompt", "name", name))
		if err != nil {
			return "", err
		}
		b, err := ask(locales.Text(lang, "staff.password_again"))
		if err != nil {
			return "", err
		}
		if a != b {
			return "", errors.New(locales.Text(lang, "staff.password_mismatch"))
		}
		return a, nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", errors.New(locales.Text(lang, "staff.no_password"))
	}
	return strings.TrimRight(line, "\r\n"), nil
}
