package reminders_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/reminders"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/reminder"
	"bpubot/models"
	"bpubot/models/modeltest"
)

const yearChat = "tg-year"

// yearEvent is something the worker does at a moment of the year.
type yearEvent struct {
	at time.Time
	do func(t *testing.T, r *runner, member, enrollment int64)
}

func paying(first, last time.Month, year int) func(t *testing.T, r *runner, member, enrollment int64) {
	return func(t *testing.T, r *runner, member, enrollment int64) {
		pay(t, r.db, member, enrollment, ym(year, first), ym(year, last), r.svc.Now())
	}
}

func answering(answer, wantInReply string) func(t *testing.T, r *runner, member, enrollment int64) {
	return func(t *testing.T, r *runner, _, _ int64) {
		replies := r.say(t, yearChat, answer)
		if len(replies) == 0 || !strings.Contains(replies[0].Text, wantInReply) {
			t.Errorf("%s: reply %+v, want one saying %q", answer, replies, wantInReply)
		}
	}
}

// The worker's year, in Makassar time (WITA): enrolled in December 2025, pays January after the
// first-payment reminder, February on the day before it is due, March they report paid ("sudah
// bayar") and the import confirms it a day late, April they ask to be reminded tomorrow, May
// they pay early, June late (after the due date), then nothing for July to October: the
// membership lapses on 16 October. They re-activate by paying December, and pay January 2027
// the day before it is due.
var yearEvents = []yearEvent{
	{wita(2026, 1, 13, 12), paying(time.January, time.January, 2026)},
	{wita(2026, 2, 17, 12), paying(time.February, time.February, 2026)},
	{wita(2026, 3, 13, 12), answering("[sudah_bayar]", "Maret 2026")},
	{wita(2026, 3, 17, 10), paying(time.March, time.March, 2026)},
	{wita(2026, 4, 12, 9), answering("[ingatkan_besok]", "13 April 2026 pukul 08.00 WITA")},
	{wita(2026, 4, 14, 12), paying(time.April, time.April, 2026)},
	{wita(2026, 5, 2, 10), paying(time.May, time.May, 2026)},
	{wita(2026, 6, 20, 10), paying(time.June, time.June, 2026)},
	{wita(2026, 12, 3, 10), paying(time.December, time.December, 2026)},
	{wita(2027, 1, 14, 12), paying(time.January, time.January, 2027)},
}

// yearReminders are the reminders of that year: each on its day at 08:00 WITA, once.
var yearReminders = []string{
	"20260112 before 202601", // the first payment
	"20260215 before 202602",
	"20260217 eve 202602",
	"20260313 before 202603", // reported paid that day: no reminder the day before
	"20260412 before 202604",
	"20260413 snooze 202604", // "ingatkan besok"
	"20260414 eve 202604",
	// May paid early: nothing.
	"20260612 before 202606",
	"20260614 eve 202606",
	"20260618 late 202606",
	"20260712 before 202607",
	"20260714 eve 202607",
	"20260718 late 202607",
	"20260815 arrears 202608", // due 18 August (17 August is a holiday)
	"20260912 arrears 202609",
	"20261012 last_notice 202610",
	"20261016 lapsed 202610",
	// November: lapsed, nothing. December paid: re-activated.
	"20270112 before 202701",
	"20270114 eve 202701",
}

// walkYear walks the clock through the worker's year hour by hour, every runner planning and
// sending at each hour (at once, as processes on one database do), the first one delivering
// what was queued, and checks that every
// reminder arrived at 08:00 WITA on its day, once. before, when set, runs at each hour first
// (to kill a runner, say).
func walkYear(t *testing.T, clock *flowtest.Clock, db *models.DB, runners []*runner, before func(now time.Time) []*runner) {
	t.Helper()
	member, enrollment := enrolled(t, db, "7371015507900001", "73", yearChat, wita(2025, 12, 20, 10))
	events := slices.Clone(yearEvents)
	end := wita(2027, 1, 31, 0)
	for now := wita(2026, 1, 1, 0); now.Before(end); now = now.Add(time.Hour) {
		clock.Advance(now.Sub(clock.Now()))
		if before != nil {
			runners = before(now)
		}
		for len(events) > 0 && !events[0].at.After(now) {
			events[0].do(t, runners[0], member, enrollment)
			events = events[1:]
		}
		var wg sync.WaitGroup
		for _, r := range runners {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.remind(t)
			}()
		}
		wg.Wait()
		runners[0].deliver(t)
	}
	if got := sentRows(t, db); !slices.Equal(got, yearReminders) {
		t.Errorf("reminders written:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(yearReminders, "\n  "))
	}
	var arrived []string
	for _, r := range runners {
		for _, m := range r.phone.messages() {
			if len(m.Choices) == 4 && m.Choices[0].Value == "sudah_bayar" {
				arrived = append(arrived, m.At.In(coverage.WITA).Format("20060102 15:04"))
			}
		}
	}
	slices.Sort(arrived)
	var want []string
	for _, r := range yearReminders {
		want = append(want, r[:8]+" 08:00")
	}
	if !slices.Equal(arrived, want) {
		t.Errorf("reminders arrived at (WITA):\n  %s\nwant:\n  %s", strings.Join(arrived, "\n  "), strings.Join(want, "\n  "))
	}
	if reported := modeltest.Count[models.Payment](t, db, "source = ?", models.PaymentSelfReport); reported != 1 {
		t.Errorf("%d self-reports, want 1 (March)", reported)
	}
}

// One worker through a whole year, on each database, with one process.
func TestYearOfReminders(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(wita(2026, 1, 1, 0))
		walkYear(t, clock, db, []*runner{newRunner(t, db, clock)}, nil)
	})
}

// The same year with two processes on one PostgreSQL database, planning and sending at the
// same moments: no reminder twice, none lost.
func TestYearOfRemindersTwoProcesses(t *testing.T) {
	cfg := modeltest.Config(t, models.Postgres)
	clock := flowtest.NewClock(wita(2026, 1, 1, 0))
	a, b := modeltest.MustOpenConfig(t, cfg), modeltest.MustOpenConfig(t, cfg)
	walkYear(t, clock, a, []*runner{newRunner(t, a, clock), newRunner(t, b, clock)}, nil)
}

// The same year with two processes, one of which dies in the middle of writing a reminder
// (its connection is cut inside the transaction, as when the process is killed with SIGKILL:
// PostgreSQL rolls back what it had not committed), and comes back as a new process later.
// The other one sends that reminder, on time; nothing twice.
func TestYearOfRemindersProcessKilled(t *testing.T) {
	cfg := modeltest.Config(t, models.Postgres)
	clock := flowtest.NewClock(wita(2026, 1, 1, 0))
	a := newRunner(t, modeltest.MustOpenConfig(t, cfg), clock)
	b := newRunner(t, modeltest.MustOpenConfig(t, cfg), clock)
	kill := wita(2026, 6, 14, 8) // the eve of June
	walkYear(t, clock, a.db, []*runner{a, b}, func(now time.Time) []*runner {
		switch {
		case now.Equal(kill):
			d := &dying{Flows: b.svc.Flows}
			b.svc.Flows = d
			due, err := b.svc.Plan(context.Background(), now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.svc.Send(context.Background(), due, now); err == nil || !d.killed {
				t.Fatalf("the process was not killed while writing a reminder (err %v)", err)
			}
			return []*runner{a} // a takes the hour alone, after b died
		case now.After(kill) && now.Before(kill.Add(30*time.Hour)):
			return []*runner{a}
		case now.Equal(kill.Add(30 * time.Hour)):
			b = newRunner(t, modeltest.MustOpenConfig(t, cfg), clock) // restarted
		}
		return []*runner{a, b}
	})
}

// dying puts reminders like Flows until its first, inside whose transaction it cuts its own
// connection to PostgreSQL.
type dying struct {
	reminders.Flows
	killed bool
}

func (d *dying) Remind(ctx context.Context, s *bot.Session, member int64, rem reminder.Reminder, key string) error {
	if err := d.Flows.Remind(ctx, s, member, rem, key); err != nil {
		return err
	}
	d.killed = true
	return modeltest.CutConnection(s.Tx)
}
