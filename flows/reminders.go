package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/flows/intent"
	"bpubot/flows/reminder"
	"bpubot/flows/tariff"
	"bpubot/flows/words"
	"bpubot/locales"
	"bpubot/models"
)

// The premium reminder: one question the bot puts to a worker (Remind, from the reminder
// jobs), with four answers: "Sudah bayar" (a self-report of the months it asked for), "Cara
// bayar", "Ingatkan besok" (again at the start of the next day's allowed hours) and
// "Berhenti pengingat". It is an Aside flow: it sits on top of whatever the worker was doing,
// and anything that is not one of its answers goes on to that.

const nameReminder = "pengingat"

// The reminder's answers.
const (
	remPaid  = "sudah_bayar"
	remHow   = "cara_bayar"
	remLater = "ingatkan_besok"
	remStop  = "berhenti_pengingat"
)

var flowReminder = register(&Flow{
	Name: nameReminder, Aside: true, NoIdle: true, Seen: reminderSeen, Clear: clearReminder,
	Resume: "common.resume_question", BackTo: "common.back_to_question",
	Steps: []*Step{
		{Name: "ask", Text: reminderText, Options: reminderOptions, Parse: reminderAnswer, Save: reminderSave},
	},
})

func clearReminder(x *run) {
	delete(x.slots, asideDataSlot(nameReminder))
	delete(x.slots, asideBeforeSlot(nameReminder))
}

// sentReminder is what the conversation keeps of the reminder put to the worker: enough to
// say it again (in another language, say) and to act on the answer.
type sentReminder struct {
	Stage    reminder.Stage   `json:"stage"`
	Month    tariff.YearMonth `json:"month"`
	Ask      []askedMonth     `json:"ask"`
	Due      string           `json:"due"`                // YYYY-MM-DD, the month's due date
	LastDay  string           `json:"last_day,omitempty"` // the last day to pay before the membership lapses
	LapsedOn string           `json:"lapsed_on,omitempty"`
	First    bool             `json:"first,omitempty"`
	Today    string           `json:"today"` // the worker's day it was sent
	Key      string           `json:"key"`   // its outbox row's dedupe key
}

type askedMonth struct {
	Month  tariff.YearMonth `json:"month"`
	Amount int64            `json:"amount"`
}

// Remind puts rem to the worker of member on the chat of s, a session of bot.QueuePrompt whose
// message goes out under the dedupe key key: the reminder becomes the question the
// conversation is on, above whatever the worker was in the middle of, and is said.
func (r *Router) Remind(ctx context.Context, s *bot.Session, memberID int64, rem reminder.Reminder, key string) error {
	x := &run{Session: s, r: r, ctx: ctx, slots: map[string]string{}}
	if err := models.DecodeJSON(s.Conv.Slots, &x.slots); err != nil || x.slots == nil {
		x.slots = map[string]string{} // a broken column is no reason not to remind
	}
	if x.Conv.MemberID == nil {
		x.Conv.MemberID = &memberID
	}
	loc := rem.Due.Location()
	sr := sentReminder{Stage: rem.Stage, Month: rem.Month, Due: isoDate(rem.Due), First: rem.First,
		Today: isoDate(time.Date(rem.Day/10000, time.Month(rem.Day/100%100), rem.Day%100, 0, 0, 0, 0, loc)), Key: key}
	for _, d := range rem.Ask {
		sr.Ask = append(sr.Ask, askedMonth{Month: d.Month, Amount: d.Amount})
	}
	if !rem.LapsesAt.IsZero() {
		sr.LastDay = isoDate(rem.LapsesAt.In(loc).AddDate(0, 0, -1))
	}
	if !rem.LapsedAt.IsZero() {
		sr.LapsedOn = isoDate(rem.LapsedAt.In(loc))
	}
	r.putAside(x, flowReminder, models.EncodeJSON(sr), s.Offered)
	mc := flowReminder.machine(x)
	defer mc.release()
	if err := mc.begin("start"); err != nil {
		return err
	}
	s.Conv.Slots = models.EncodeJSON(x.slots)
	return nil
}

func isoDate(t time.Time) string { return t.Format(time.DateOnly) }

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s) // written by Remind
	return t
}

// reminderOf is the reminder the conversation is on.
func reminderOf(x *run) sentReminder {
	var sr sentReminder
	_ = models.DecodeJSON(x.slots[asideDataSlot(nameReminder)], &sr) // written by Remind
	return sr
}

func (sr sentReminder) total() int64 {
	var n int64
	for _, d := range sr.Ask {
		n += d.Amount
	}
	return n
}

// late is how many of the months asked for are late: those before the reminder's month, and
// its month once its due date has passed.
func (sr sentReminder) late() int {
	n := 0
	for _, d := range sr.Ask {
		if d.Month < sr.Month || (d.Month == sr.Month && sr.Today > sr.Due) {
			n++
		}
	}
	return n
}

// lines lists the months asked for with their amounts, one a line; a month not late yet says
// by when it is due.
func (sr sentReminder) lines(x *run) string {
	lines := make([]string, len(sr.Ask))
	for i, d := range sr.Ask {
		lines[i] = x.t("status.month_line", "month", x.month(d.Month), "amount", locales.Money(d.Amount))
		if d.Month == sr.Month && sr.Today <= sr.Due {
			lines[i] = x.t("reminder.month_due", "month", x.month(d.Month), "amount", locales.Money(d.Amount), "date", x.date(day(sr.Due)))
		}
	}
	return strings.Join(lines, "\n")
}

func (sr sentReminder) months() []coverage.MonthDue {
	out := make([]coverage.MonthDue, len(sr.Ask))
	for i, d := range sr.Ask {
		out[i] = coverage.MonthDue{Month: d.Month, Amount: d.Amount}
	}
	return out
}

// reminderSeen tells whether the reminder's message has reached the worker: sent, or gone
// from the outbox (pruned long after it was sent).
func reminderSeen(x *run) (seen, error) {
	status, found, err := models.OutboxStatus(x.Tx, reminderOf(x).Key)
	switch {
	case err != nil:
		return seenYes, fmt.Errorf("reminder delivered? %w", err)
	case !found || status == models.OutboxSent:
		return seenYes, nil
	case status == models.OutboxPending || status == models.OutboxSending:
		return seenWaiting, nil
	}
	return seenNever, nil
}

// reminderText writes the reminder: what it is about, how much, by when.
func reminderText(x *run) string {
	sr := reminderOf(x)
	var first askedMonth
	if len(sr.Ask) > 0 {
		first = sr.Ask[0]
	}
	due := day(sr.Due)
	date := locales.Weekday(x.lang(), due.Weekday()) + ", " + x.date(due)
	one := []any{"month", x.month(first.Month), "amount", locales.Money(first.Amount), "date", date}
	list := []any{"months", sr.lines(x), "amount", locales.Money(sr.total()), "n", sr.late()}
	var text string
	switch sr.Stage {
	case reminder.Before:
		key := "reminder.before"
		if sr.First {
			key = "reminder.first"
		}
		text = x.t(key, one...)
	case reminder.Eve:
		key := "reminder.eve"
		if sr.Today == sr.Due {
			key = "reminder.eve_today"
		}
		if sr.First {
			key += "_first"
		}
		text = x.t(key, one...)
	case reminder.Late:
		if len(sr.Ask) == 1 {
			text = x.t("reminder.late", append(one, "lapse", coverage.MaxArrears)...)
			break
		}
		text = x.t("reminder.arrears", list...)
	case reminder.Arrears:
		text = x.t("reminder.arrears", list...)
	case reminder.LastNotice:
		text = x.t("reminder.last_notice", append(list, "date", x.date(day(sr.LastDay)))...)
	case reminder.Lapsed:
		text = x.t("reminder.lapsed", "month", x.month(first.Month), "amount", locales.Money(first.Amount),
			"date", x.date(day(sr.LapsedOn)), "lapse", coverage.MaxArrears)
	default:
		text = x.t("reminder.again", list...)
	}
	if sr.LastDay != "" && (sr.Stage == reminder.Arrears || sr.Stage == reminder.Snooze) {
		text += "\n" + x.t("reminder.keep_by", "date", x.date(day(sr.LastDay)))
	}
	return text
}

func reminderOptions(x *run) []Option {
	return []Option{
		{Label: x.t("reminder.paid"), Value: remPaid, Means: words.Paid},
		{Label: x.t("reminder.how"), Value: remHow},
		{Label: x.t("reminder.later"), Value: remLater, Means: words.Later},
		{Label: x.t("reminder.stop"), Value: remStop},
	}
}

// reminderAnswer reads an answer to the reminder: a choice, or a sentence that says one of
// them ("udah bayar kemarin di indomaret", "caranya gimana", "stop kirim pesan").
func reminderAnswer(x *run, a Answer) (string, error) {
	if a.Value != "" {
		return a.Value, nil
	}
	if x.In.Kind == bot.KindText && a.Text != "" {
		if res := x.r.classifier().Classify(a.Text); res.Confidence >= 0.7 {
			switch res.Label {
			case intent.LabelSudahBayar:
				return remPaid, nil
			case intent.LabelBayar:
				return remHow, nil
			case intent.LabelBerhenti:
				return remStop, nil
			}
		}
	}
	return "", invalid("reminder.not_an_answer")
}

func reminderSave(x *run, v string) (string, error) {
	sr := reminderOf(x)
	switch v {
	case remPaid:
		if x.Conv.MemberID == nil {
			x.say(x.t("payment.reported"))
			return End, nil
		}
		if err := x.r.report(x, *x.Conv.MemberID, sr.months()); err != nil {
			return "", err
		}
	case remHow:
		amount := x.t("reminder.to_pay", "amount", locales.Money(sr.total())) + "\n"
		x.say(x.t("payment.text", "amount", amount, "lapse", coverage.MaxArrears))
	case remLater:
		return End, snooze(x, sr)
	case remStop:
		return End, stopMessages(x)
	}
	return End, nil
}

// snooze asks for the reminder again at the start of the worker's next day's allowed hours.
func snooze(x *run, sr sentReminder) error {
	if x.Conv.MemberID == nil {
		return errors.New("reminder snoozed in a chat without a member")
	}
	st, err := models.MemberStatusOf(x.Tx, *x.Conv.MemberID)
	if err != nil {
		return err
	}
	loc := coverage.Zone(st.Member.ProvinceCode)
	at := x.r.schedule().NextDay(x.Now, loc)
	m := sr.Month
	if err := models.SnoozeReminder(x.Tx, st.Member.ID, models.MonthNumber(m.Year(), m.Month()), at, x.Now); err != nil {
		return err
	}
	x.say(x.t("reminder.snoozed", "date", x.date(at), "time", locales.Clock(at), "zone", loc.String()))
	return nil
}

// report records the worker's word that months are paid, each as an unverified self-report
// (payments.ReportPaid) that pauses its reminders and shows to staff, and thanks them, saying
// honestly that it counts once the payment point or staff confirm it.
func (r *Router) report(x *run, memberID int64, months []coverage.MonthDue) error {
	var total int64
	for _, d := range months {
		if _, err := payments.ReportPaid(x.Tx, r.rules(), memberID, d.Month, x.Now); err != nil {
			return err
		}
		total += d.Amount
	}
	days := int(r.schedule().ReportPause / (24 * time.Hour))
	x.say(x.t("payment.report_thanks", "months", monthList(x, months), "amount", locales.Money(total), "days", days))
	return nil
}

func (r *Router) schedule() reminder.Schedule {
	if r.Schedule.SendUntil > 0 {
		return r.Schedule
	}
	return reminder.DefaultSchedule()
}
