package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"bpubot/bot/staff"
	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// segmentFlags are the --channel, --partner ... flags that choose workers, for broadcasts and
// exports alike.
type segmentFlags struct {
	channels, partners, occupations, provinces, regencies, langs, coverage []string
	from, to                                                               string
	unfinished                                                             bool
}

func (f *segmentFlags) add(fs *pflag.FlagSet) {
	fs.StringSliceVar(&f.channels, "channel", nil, "only these channels: telegram, whatsapp, console (repeat or comma-separate)")
	fs.StringSliceVar(&f.partners, "partner", nil, "only workers signed up through these partner codes")
	fs.StringSliceVar(&f.occupations, "occupation", nil, "only these occupations: ojol, kurir, kreator, art, pedagang, petani, nelayan, buruh_harian, lainnya")
	fs.StringSliceVar(&f.provinces, "province", nil, "only these provinces (Kemendagri codes, e.g. 33 for Jawa Tengah)")
	fs.StringSliceVar(&f.regencies, "regency", nil, "only these kabupaten/kota (Kemendagri codes, e.g. 3374 for Kota Semarang)")
	fs.StringSliceVar(&f.langs, "lang", nil, "only chats in these languages: id, en")
	fs.StringSliceVar(&f.coverage, "coverage", nil, "only members in these coverage states: pending, active, arrears, lapsed, sponsored")
	fs.StringVar(&f.from, "signed-up-from", "", "only members who signed up on or after this day (YYYY-MM-DD)")
	fs.StringVar(&f.to, "signed-up-to", "", "only members who signed up on or before this day (YYYY-MM-DD)")
	fs.BoolVar(&f.unfinished, "unfinished", false, "only workers who started sign-up and did not finish it")
}

// segment is the segment the flags describe; dates are days in loc.
func (f *segmentFlags) segment(loc *time.Location) (models.Segment, error) {
	s := models.Segment{Channels: f.channels, Partners: f.partners, Occupations: f.occupations, Provinces: f.provinces,
		Regencies: f.regencies, Langs: f.langs, Coverage: f.coverage, Unfinished: f.unfinished}
	for _, d := range []struct {
		flag, value string
		dst         **time.Time
	}{{"--signed-up-from", f.from, &s.SignedUpFrom}, {"--signed-up-to", f.to, &s.SignedUpTo}} {
		if d.value == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.value, loc)
		if err != nil {
			return s, fmt.Errorf("%s: want a day like 2026-10-01, got %q", d.flag, d.value)
		}
		*d.dst = &t
	}
	return s, nil
}

func newBroadcastCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "broadcast",
		Short: "Announcements to workers: write, preview, send, follow and cancel",
		Long: "An announcement goes to a segment of workers (the --channel, --partner, ... flags; none for everyone),\n" +
			"each in their own language, ending with how to stop announcements. Workers who said \"berhenti\", erased their\n" +
			"data or blocked the bot never get it; on WhatsApp only workers who wrote first do, at the channel's slow bulk\n" +
			"pace. `bpubot serve` does the sending: create, preview, then send.",
	}
	run := root.staffRunner(cmd)
	var seg segmentFlags
	var textFile, textENFile string
	var buttons []string
	create := &cobra.Command{
		Use:   "create --text-file FILE [--text-en-file FILE] [--button daftar] [segment flags]",
		Short: "Write a draft announcement and show its preview",
		Example: "  bpubot broadcast create --text-file sosialisasi.txt --button daftar --regency 3374\n" +
			"  bpubot broadcast create --text-file iuran.txt --text-en-file iuran.en.txt --coverage arrears --button bayar",
		Args: cobra.NoArgs,
		RunE: run(func(cmd *cobra.Command, c *staffCLI, _ []string) error {
			d, err := draftFrom(cmd.InOrStdin(), textFile, textENFile, buttons, &seg, c.svc.Config.Location)
			if err != nil {
				return err
			}
			b, err := c.svc.CreateBroadcast(cmd.Context(), c.actor, d)
			if err != nil {
				return err
			}
			p, err := c.svc.PreviewBroadcast(cmd.Context(), c.actor, b.ID)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), staff.PreviewText(c.lang(), p, c.svc.Config.Location))
			fmt.Fprintln(cmd.OutOrStdout())
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "broadcast.created", "id", b.ID))
			return nil
		}),
	}
	create.Flags().StringVar(&textFile, "text-file", "", "the announcement in Indonesian (a UTF-8 text file; - for stdin)")
	create.Flags().StringVar(&textENFile, "text-en-file", "", "the announcement in English, for chats in English (optional)")
	create.Flags().StringSliceVar(&buttons, "button", nil, "buttons under it: daftar (sign up), bayar (how to pay)")
	seg.add(create.Flags())
	preview := &cobra.Command{
		Use:   "preview ID",
		Short: "Show who an announcement goes to, by channel, and its exact messages",
		Args:  cobra.ExactArgs(1),
		RunE: run(withID(func(cmd *cobra.Command, c *staffCLI, id int64, _ []string) error {
			p, err := c.svc.PreviewBroadcast(cmd.Context(), c.actor, id)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), staff.PreviewText(c.lang(), p, c.svc.Config.Location))
			return nil
		})),
	}
	var at string
	var yes bool
	send := &cobra.Command{
		Use:   "send ID [--at \"2026-12-01 09:00\"] [--yes]",
		Short: "Send a previewed announcement now, or at a time",
		Long: "Send a previewed announcement now, or schedule it (--at, in conversation.time_zone). On a terminal it shows\n" +
			"the preview again and asks; --yes skips the question (scripts). `bpubot serve` sends it.",
		Args: cobra.ExactArgs(1),
		RunE: run(withID(func(cmd *cobra.Command, c *staffCLI, id int64, _ []string) error {
			var when *time.Time
			if at != "" {
				t, err := time.ParseInLocation("2006-01-02 15:04", at, c.svc.Config.Location)
				if err != nil {
					return errors.New(locales.Text(c.lang(), "broadcast.bad_time", "value", at))
				}
				when = &t
			}
			p, err := c.svc.PreviewBroadcast(cmd.Context(), c.actor, id)
			if err != nil {
				return err
			}
			if !yes {
				fmt.Fprintln(cmd.OutOrStdout(), staff.PreviewText(c.lang(), p, c.svc.Config.Location))
				if !confirm(cmd.InOrStdin(), cmd.OutOrStdout(), locales.Text(c.lang(), "broadcast.confirm_question", "id", id, "n", p.Recipients)) {
					fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "broadcast.not_sent"))
					return nil
				}
			}
			b, err := c.svc.ConfirmBroadcast(cmd.Context(), c.actor, id, when)
			if err != nil {
				return err
			}
			if b.Status == models.BroadcastScheduled {
				t := b.ScheduledAt.In(c.svc.Config.Location)
				fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "broadcast.scheduled", "id", id, "when", locales.Date(c.lang(), t)+" "+locales.Clock(t)))
				return nil
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "broadcast.sending", "id", id))
			return nil
		})),
	}
	send.Flags().StringVar(&at, "at", "", "send at this time (YYYY-MM-DD HH:MM) instead of now")
	send.Flags().BoolVar(&yes, "yes", false, "do not ask")
	status := &cobra.Command{
		Use:   "status ID",
		Short: "The delivery report: sent, waiting, failed (with reasons), skipped, and who wrote back",
		Args:  cobra.ExactArgs(1),
		RunE: run(withID(func(cmd *cobra.Command, c *staffCLI, id int64, _ []string) error {
			r, err := c.svc.BroadcastReport(cmd.Context(), c.actor, id)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), staff.ReportText(c.lang(), r))
			return nil
		})),
	}
	cancel := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel an announcement: not sent yet, or the rest of one being sent",
		Args:  cobra.ExactArgs(1),
		RunE: run(withID(func(cmd *cobra.Command, c *staffCLI, id int64, _ []string) error {
			r, err := c.svc.CancelBroadcast(cmd.Context(), c.actor, id)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(c.lang(), "broadcast.cancelled", "id", id))
			fmt.Fprintln(cmd.OutOrStdout(), staff.ReportText(c.lang(), r))
			return nil
		})),
	}
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List announcements, newest first",
		Args:  cobra.NoArgs,
		RunE: run(func(cmd *cobra.Command, c *staffCLI, _ []string) error {
			bs, err := c.svc.ListBroadcasts(cmd.Context(), c.actor, limit)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, locales.Text(c.lang(), "broadcast.list_header"))
			for _, b := range bs {
				fmt.Fprintln(w, staff.BroadcastLine(c.lang(), b, c.svc.Config.Location))
			}
			return w.Flush()
		}),
	}
	list.Flags().IntVar(&limit, "limit", 50, "most announcements to show")
	cmd.AddCommand(create, preview, send, status, cancel, list)
	return cmd
}

// draftFrom reads a draft's texts from files ("-" is stdin).
func draftFrom(stdin io.Reader, textFile, textENFile string, buttons []string, seg *segmentFlags, loc *time.Location) (staff.Draft, error) {
	var d staff.Draft
	if textFile == "" {
		return d, errors.New("--text-file: required (the announcement in Indonesian)")
	}
	read := func(flag, path string) (string, error) {
		if path == "" {
			return "", nil
		}
		var b []byte
		var err error
		if path == "-" {
			b, err = io.ReadAll(io.LimitReader(stdin, 1<<20))
		} else {
			b, err = os.ReadFile(path)
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", flag, err)
		}
		return string(b), nil
	}
	var err error
	if d.TextID, err = read("--text-file", textFile); err != nil {
		return d, err
	}
	if d.TextEN, err = read("--text-en-file", textENFile); err != nil {
		return d, err
	}
	d.Buttons = buttons
	d.Segment, err = seg.segment(loc)
	return d, err
}

// parseID reads the ID of an announcement or a request ("12" or "#12").
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("ID: want a number, got %q", s)
	}
	return id, nil
}

// confirm asks a yes/no question; anything but y/ya/yes (or no terminal to ask on) is no.
func confirm(in io.Reader, out io.Writer, question string) bool {
	if f, ok := in.(*os.File); ok && !term.IsTerminal(int(f.Fd())) {
		return false
	}
	fmt.Fprint(out, question)
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "ya", "yes":
		return true
	}
	return false
}

// withID is a staff action on the announcement or request its first argument names; args are
// the arguments after it.
func withID(fn func(cmd *cobra.Command, c *staffCLI, id int64, args []string) error) staffAction {
	return func(cmd *cobra.Command, c *staffCLI, args []string) error {
		id, err := parseID(args[0])
		if err != nil {
			return err
		}
		return fn(cmd, c, id, args[1:])
	}
}
