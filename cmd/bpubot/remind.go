package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"bpubot/bot"
	"bpubot/bot/jobs"
	"bpubot/bot/reminders"
	"bpubot/bot/telegram"
	"bpubot/bot/whatsapp"
	"bpubot/flows/reminder"
	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newRemindCmd) }

// reminderService is the reminders of this configuration: on the enabled channels, WhatsApp
// only to workers who wrote within reminders.whatsapp_wrote_within.
func (a *app) reminderService() *reminders.Service {
	var channels []reminders.Channel
	if a.cfg.Telegram.Enabled {
		channels = append(channels, reminders.Channel{Name: telegram.Name})
	}
	if a.cfg.WhatsApp.Enabled {
		channels = append(channels, reminders.Channel{Name: whatsapp.Name, WroteWithin: a.cfg.Reminders.WhatsAppWroteWithin})
	}
	return &reminders.Service{DB: a.db, Rules: a.rules, Schedule: a.router.Schedule, Flows: a.router, Channels: channels,
		Notify: a.dispatcher.Notify, Log: a.log}
}

// registerReminders adds the reminder planner and senders to `serve`'s jobs, unless
// reminders are switched off.
func (a *app) registerReminders(js *jobs.Jobs) {
	if !a.cfg.Reminders.Enabled {
		a.log.Info("premium reminders are off (reminders.enabled)")
		return
	}
	a.reminderService().Register(js, a.cfg.Reminders.PlanEvery)
}

func newRemindCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remind",
		Short: "Premium reminders: who gets which at a given time, and what was sent this month",
		Long: "Premium reminders go out from `bpubot serve` by themselves, on the schedule of the reminders section of the\n" +
			"config: a few days before each month's due date, the day before, a few days after when it went unpaid, once a\n" +
			"month while in arrears, a last notice before the membership lapses and a notice when it has. These commands\n" +
			"let staff look ahead and count.",
	}
	cmd.AddCommand(newRemindPlanCmd(root), newRemindStatusCmd(root))
	return cmd
}

func newRemindPlanCmd(root *rootOptions) *cobra.Command {
	var at string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Who would get which reminder at a time (chat masked); without --dry-run, queue them for then",
		Long: "Lists the workers who would get a reminder at --at (default: now): the member, the channel and chat (masked),\n" +
			"the reminder, the month and the amount it asks for. Quiet hours, holidays, payments, reports of \"sudah\n" +
			"bayar\", opt-outs and reminders already sent are all taken into account, as `serve` would.\n" +
			"Without --dry-run the reminders are queued to be sent at that time by a running `bpubot serve`, which decides\n" +
			"again then: a worker who pays meanwhile gets nothing, and nothing is ever sent twice.",
		Example: "  bpubot remind plan --at '2026-06-12 08:00' --dry-run\n  bpubot remind plan",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := root.load()
			if err != nil {
				return err
			}
			a, err := newApp(cmd.Context(), cfg, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer a.Close()
			when, err := parseWhen(at, time.Now(), a.router.Config.Location)
			if err != nil {
				return fmt.Errorf("--at: %w", err)
			}
			return a.remindPlan(cmd, when, dryRun)
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "the time to plan for: 2026-06-12 08:00 (in conversation.time_zone) or RFC 3339; default now")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "only list them; queue nothing")
	return cmd
}

// parseWhen reads a time as staff write it; "" is now.
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("want a time like 2026-06-12 08:00, got %q", s)
}

func (a *app) remindPlan(cmd *cobra.Command, at time.Time, dryRun bool) error {
	ctx, lang, out := cmd.Context(), a.cfg.Conversation.DefaultLang, cmd.OutOrStdout()
	svc := a.reminderService()
	if len(svc.Channels) == 0 {
		return fmt.Errorf("%s", locales.Text(lang, "remind.no_channel"))
	}
	due, err := svc.Plan(ctx, at)
	if err != nil {
		return err
	}
	decisions, _, err := svc.Decide(ctx, due, at)
	if err != nil {
		return err
	}
	when := locales.Date(lang, at.In(a.router.Config.Location)) + " " + locales.Clock(at.In(a.router.Config.Location)) + " " + zoneName(a.router.Config.Location, at)
	fmt.Fprintln(out, locales.Text(lang, "remind.plan_head", "when", when, "n", len(decisions)))
	if len(decisions) > 0 {
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, locales.Text(lang, "remind.plan_header"))
		for _, d := range decisions {
			r := d.Reminder
			local := at.In(r.Due.Location())
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.MemberID, d.Chat.Channel, bot.MaskID(d.Chat.ChatID),
				locales.Text(lang, "remind.stage."+string(r.Stage)), locales.Month(lang, r.Month.Start()), locales.Money(r.Total()),
				locales.Clock(local)+" "+local.Location().String())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if dryRun || len(decisions) == 0 {
		return nil
	}
	queue := make([]int64, len(decisions))
	for i, d := range decisions {
		queue[i] = d.MemberID
	}
	slices.Sort(queue)
	svc.Register(a.jobs, a.cfg.Reminders.PlanEvery) // the job runner knows the kinds it queues
	jobsQueued, err := a.jobs.InsertMany(ctx, reminders.Batches(queue, at, a.cfg.Reminders.PlanEvery))
	if err != nil {
		return err
	}
	key := "remind.queued"
	if jobsQueued == 0 {
		key = "remind.already_queued"
	}
	_, err = fmt.Fprintln(out, locales.Text(lang, key, "n", len(decisions), "jobs", jobsQueued, "when", when))
	return err
}

// zoneName is the name staff know a zone by: WIB for Asia/Jakarta, else its abbreviation.
func zoneName(loc *time.Location, at time.Time) string {
	name, _ := at.In(loc).Zone()
	return name
}

func newRemindStatusCmd(root *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Reminders of this month, by stage: written, delivered, waiting, failed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			loc := cfg.Conversation.location()
			now := time.Now().In(loc)
			first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
			last := first.AddDate(0, 1, -1)
			counts, err := models.CountReminders(db.WithContext(cmd.Context()), reminder.Day(first, loc), reminder.Day(last, loc))
			if err != nil {
				return err
			}
			return writeRemindStatus(cmd, cfg.Conversation.DefaultLang, first, counts)
		},
	}
}

func writeRemindStatus(cmd *cobra.Command, lang string, month time.Time, counts []models.ReminderCount) error {
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, locales.Text(lang, "remind.status_head", "month", locales.Month(lang, month)))
	byStage := map[string]models.ReminderCount{}
	for _, c := range counts {
		byStage[c.Stage] = c
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, locales.Text(lang, "remind.status_header"))
	var total models.ReminderCount
	for _, st := range reminder.Stages {
		c := byStage[string(st)]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", locales.Text(lang, "remind.stage."+string(st)), c.Written, c.Delivered, c.Waiting, c.Failed)
		total.Written, total.Delivered, total.Waiting, total.Failed = total.Written+c.Written, total.Delivered+c.Delivered,
			total.Waiting+c.Waiting, total.Failed+c.Failed
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", locales.Text(lang, "remind.total"), total.Written, total.Delivered, total.Waiting, total.Failed)
	return tw.Flush()
}
