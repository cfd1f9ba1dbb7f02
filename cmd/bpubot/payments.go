package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/locales"
	"bpubot/models"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// routePaymentsWebhook adds POST /api/payments, the payment provider's webhook, when its
// secret is set.
func (a *app) routePaymentsWebhook(srv *bot.Server) {
	cfg := a.cfg.Payments
	if cfg.WebhookSecret == "" {
		a.log.Info("payments webhook off: set BPUBOT_PAYMENTS_WEBHOOK_SECRET to take payments from the provider at POST /api/payments")
		return
	}
	srv.Mux.Handle("POST /api/payments", &payments.Webhook{
		Intake: &payments.Intake{DB: a.db, Sealer: a.sealer, Rules: a.rules},
		Secret: []byte(cfg.WebhookSecret), Window: cfg.WebhookWindow, MaxBody: cfg.WebhookMaxBody, Log: a.log,
	})
}

// loadRules returns the coverage rules of the config: its tariff and holiday calendar.
func loadRules(cfg Config) (coverage.Rules, error) {
	tf, err := loadTariff(cfg)
	if err != nil {
		return coverage.Rules{}, err
	}
	cal := coverage.DefaultCalendar()
	if cfg.Payments.HolidaysFile != "" {
		if cal, err = coverage.LoadCalendar(cfg.Payments.HolidaysFile); err != nil {
			return coverage.Rules{}, fmt.Errorf("payments.holidays_file: %w", err)
		}
	}
	return coverage.Rules{Tariff: tf, Calendar: cal}, nil
}

// staffSession is what a staff command on payments needs.
type staffSession struct {
	db     *models.DB
	lang   string
	loc    *time.Location
	intake *payments.Intake
}

// withStaffSession opens the database with the sealer and coverage rules, and runs fn on it.
func (root *rootOptions) withStaffSession(cmd *cobra.Command, fn func(*staffSession) error) error {
	cfg, err := root.load()
	if err != nil {
		return err
	}
	db, sealer, rules, err := openData(cmd.Context(), cfg, newLogger(cfg.Log, os.Stderr))
	if err != nil {
		return err
	}
	defer models.Close(db)
	return fn(&staffSession{db: db, lang: cfg.Conversation.DefaultLang, loc: cfg.Conversation.location(),
		intake: &payments.Intake{DB: db, Sealer: sealer, Rules: rules}})
}

func newPaymentsCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "payments",
		Short: "Record premium payments: a provider's or partner's file, or one payment",
		Long: "Payments reach bpubot from a provider's or partner's file (import), from the payment provider's webhook\n" +
			"(POST /api/payments, see config.example.yaml) or from staff (add). Each is checked against what the worker owes:\n" +
			"the months must be unpaid and the amount what they cost, month by month, with the PP 50/2025 discount exactly\n" +
			"where it applies. A payment's reference is unique: recording the same one again changes nothing.",
	}
	cmd.AddCommand(newPaymentsImportCmd(root), newPaymentsAddCmd(root))
	return cmd
}

func newPaymentsImportCmd(root *rootOptions) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Import a file of payments: all its lines or, if any is wrong, none",
		Long: "Imports a CSV file (comma, semicolon or tab separated; the first line names the columns):\n" +
			"  nik or member_id   the worker (NIK as 16 digits; it is only used to find the member, never stored)\n" +
			"  amount             rupiah paid: 50400, 50.400 or Rp50.400\n" +
			"  months             2026-01, 2026-01..2026-03, or a number of months (paid from the first unpaid one);\n" +
			"                     or first_month and last_month as two columns\n" +
			"  paid_at            2026-01-05, 05/01/2026, 2026-01-05 10:30 or RFC 3339 (times without a zone are in\n" +
			"                     conversation.time_zone)\n" +
			"  reference          the payment's own unique reference\n" +
			"Indonesian names are accepted too (jumlah, bulan, tanggal_bayar, referensi, ...): see the README. Other\n" +
			"columns are ignored. Every bad line is listed with its line number and the NIK masked, and then nothing is\n" +
			"written. Importing the same file again changes nothing.",
		Example: "  bpubot payments import pembayaran-januari.csv\n  bpubot payments import --dry-run pembayaran-januari.csv",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return root.withStaffSession(cmd, func(s *staffSession) error { return s.importFile(cmd, args[0], dryRun) })
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and say what it would import, without writing")
	return cmd
}

func (s *staffSession) importFile(cmd *cobra.Command, path string, dryRun bool) error {
	out := cmd.OutOrStdout()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lines, problems, err := payments.ParseCSV(f, s.loc)
	var fe *payments.FileError
	if errors.As(err, &fe) {
		return errors.New(fe.Text(s.lang))
	} else if err != nil {
		return err
	}
	if len(lines) == 0 && len(problems) == 0 {
		fmt.Fprintln(out, locales.Text(s.lang, "payments.import_empty"))
		return nil
	}
	batch := payments.Batch{Source: models.PaymentImport, Actor: actor(), Lines: lines}
	progress := newProgress(cmd.ErrOrStderr(), s.lang)
	var res payments.Result
	if dryRun || len(problems) > 0 {
		// Lines that could not be read are listed together with what is wrong in the others.
		res, err = s.intake.Check(cmd.Context(), batch, progress)
	} else {
		res, err = s.intake.Record(cmd.Context(), batch, progress)
	}
	progress.Done()
	if more, ok := payments.AsProblems(err); ok {
		problems, err = append(problems, more...), nil
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		fmt.Fprintln(out, locales.Text(s.lang, "payments.import_bad", "n", len(problems)))
		for _, l := range problems.Lines(s.lang) {
			fmt.Fprintln(out, "  "+l)
		}
		return errors.New(locales.Text(s.lang, "payments.import_failed", "n", len(problems)))
	}
	key := "payments.import_done"
	switch {
	case dryRun:
		key = "payments.import_checked"
	case len(res.Written) == 0:
		key = "payments.import_nothing"
	}
	fmt.Fprintln(out, locales.Text(s.lang, key, "written", len(res.Written), "present", res.Present, "members", res.Members,
		"months", res.Months))
	return nil
}

// barProgress shows a progress bar on a terminal and nothing anywhere else (a pipe, a log).
type barProgress struct {
	w    io.Writer
	lang string
	bar  *progressbar.ProgressBar
}

func newProgress(w io.Writer, lang string) *barProgress {
	if f, ok := w.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		w = nil
	}
	return &barProgress{w: w, lang: lang}
}

func (p *barProgress) Start(phase string, total int) {
	if p.w == nil {
		return
	}
	p.Done()
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(locales.Text(p.lang, "payments.phase."+phase)),
		progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
}

func (p *barProgress) Add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

// Done finishes and clears the current bar.
func (p *barProgress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

// actor names who runs a staff command, for the audit log.
func actor() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

type addOptions struct {
	member                            int64
	nik                               bool
	months, amount, paidAt, reference string
}

func newPaymentsAddCmd(root *rootOptions) *cobra.Command {
	var o addOptions
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Record one payment a worker made (staff)",
		Long: "Records one payment, checked like a line of an import, and writes it to the audit log.\n" +
			"Name the worker with --member ID, or with --nik: the NIK is then asked for (or read from the first line of\n" +
			"standard input), never taken from the command line, where it would stay in the shell's history and show in\n" +
			"the process list of everyone on the machine.",
		Example: "  bpubot payments add --member 42 --months 2026-01..2026-03 --amount 50400 --reference BRI-778812\n" +
			"  bpubot payments add --nik --months 3 --amount 25200 --paid-at 2026-02-10\n" +
			"  printf '%s\\n' \"$NIK\" | bpubot payments add --nik --months 2026-02 --amount 8400",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				// Not echoed: it may well be a NIK typed where it should not be.
				return errors.New("payments add takes no arguments, only flags; a NIK is asked for with --nik, never given on the command line")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (o.member == 0) == !o.nik {
				return errors.New("name the worker with either --member ID or --nik")
			}
			return root.withStaffSession(cmd, func(s *staffSession) error { return s.addPayment(cmd, o) })
		},
	}
	f := cmd.Flags()
	f.Int64Var(&o.member, "member", 0, "the worker's member id")
	f.BoolVar(&o.nik, "nik", false, "ask for the worker's NIK (or read it from standard input)")
	f.StringVar(&o.months, "months", "", "months paid: 2026-01, 2026-01..2026-03, or a number of months from the first unpaid (required)")
	f.StringVar(&o.amount, "amount", "", "rupiah paid: 50400, 50.400 or Rp50.400 (required)")
	f.StringVar(&o.paidAt, "paid-at", "", "when it was paid: 2026-01-05 or '2026-01-05 10:30' (default now)")
	f.StringVar(&o.reference, "reference", "", "the payment's unique reference, e.g. the receipt number (default: a new one)")
	_ = cmd.MarkFlagRequired("months")
	_ = cmd.MarkFlagRequired("amount")
	return cmd
}

func (s *staffSession) addPayment(cmd *cobra.Command, o addOptions) error {
	now := time.Now()
	l := payments.Line{MemberID: o.member, Reference: o.reference, PaidAt: now}
	var errs []error
	var ok bool
	if l.First, l.Last, l.Count, ok = payments.ParseMonths(o.months); !ok {
		errs = append(errs, fmt.Errorf("--months: want 2026-01, 2026-01..2026-03 or a number of months, got %q", o.months))
	}
	if l.Amount, ok = payments.ParseAmount(o.amount); !ok {
		errs = append(errs, fmt.Errorf("--amount: want rupiah like 50400 or Rp50.400, got %q", o.amount))
	}
	if o.paidAt != "" {
		if l.PaidAt, ok = payments.ParsePaidAt(o.paidAt, s.loc); !ok {
			errs = append(errs, fmt.Errorf("--paid-at: want 2026-01-05 or '2026-01-05 10:30', got %q", o.paidAt))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if o.nik {
		nik, err := readNIK(cmd, s.lang)
		if err != nil {
			return err
		}
		l.NIK = nik
	}
	if l.Reference == "" {
		l.Reference = staffReference(now)
	}
	res, err := s.intake.Record(cmd.Context(), payments.Batch{Source: models.PaymentStaff, Actor: actor(), Lines: []payments.Line{l}}, nil)
	if ps, ok := payments.AsProblems(err); ok {
		return errors.New(ps.Lines(s.lang)[0])
	} else if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if len(res.Written) == 0 {
		fmt.Fprintln(out, locales.Text(s.lang, "payments.add_present", "reference", l.Reference))
		return nil
	}
	w := res.Written[0]
	st, err := payments.Coverage(s.db.WithContext(cmd.Context()), s.intake.Rules, w.MemberID, now)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, locales.Text(s.lang, "payments.add_done", "id", w.ID, "member", w.MemberID,
		"months", locales.MonthRange(s.lang, payments.YearMonth(w.FirstMonth).Start(), payments.YearMonth(w.LastMonth).Start()),
		"amount", locales.Money(w.Amount), "reference", w.Reference,
		"state", locales.Text(s.lang, "payments.state."+string(st.Coverage.Standing)),
		"paid_until", locales.Month(s.lang, st.Coverage.PaidUntil.Start())))
	return nil
}

// readNIK asks for a NIK on a terminal, or reads the first line of standard input.
func readNIK(cmd *cobra.Command, lang string) (string, error) {
	in := cmd.InOrStdin()
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(cmd.ErrOrStderr(), locales.Text(lang, "payments.ask_nik"))
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New(locales.Text(lang, "payments.no_nik"))
	}
	return strings.TrimSpace(line), nil
}

// staffReference is a new reference for a payment staff enter without one.
func staffReference(now time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "staff-" + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}
