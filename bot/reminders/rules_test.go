package reminders_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"bpubot/bot/payments"
	"bpubot/bot/reminders"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

func wib(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, coverage.WIB)
}

// written runs the planner and the senders once at now and returns the reminders written,
// as "member stage month".
func written(t *testing.T, r *runner, now time.Time) []string {
	t.Helper()
	ctx := context.Background()
	due, err := r.svc.Plan(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	decisions, _, err := r.svc.Decide(ctx, due, now)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range decisions {
		ok, err := r.svc.Write(ctx, d, now)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			out = append(out, d.Chat.Channel+" "+d.Chat.ChatID+" "+string(d.Reminder.Stage))
		}
	}
	slices.Sort(out)
	return out
}

// Who gets a reminder, and who does not: the rules besides the calendar.
func TestWhoIsReminded(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(wib(2026, 6, 1, 0))
		r := newRunner(t, db, clock)
		r.svc.Channels = []reminders.Channel{{Name: "telegram"}, {Name: "whatsapp", WroteWithin: 30 * 24 * time.Hour}}
		enrolledAt := wib(2026, 1, 5, 10)
		paidMay := func(nik, province, chat string) (int64, int64) {
			m, e := enrolled(t, db, nik, province, chat, enrolledAt)
			pay(t, db, m, e, ym(2026, time.January), ym(2026, time.May), wib(2026, 5, 1, 10))
			return m, e
		}
		paidMay("3201011203900001", "32", "tg-plain") // WIB, Telegram: reminded
		paidMay("9101011203900002", "91", "tg-papua") // WIT (Papua): reminded two hours earlier
		paidMay("3201011203900003", "32", "tg-stops") // says "berhenti"
		paidMay("3201011203900004", "32", "")         // never wrote: no chat
		sponsor := flowtest.AddPartner(t, db, "PEMKAB", "Pemkab Blitar", true, true)
		m, e := enrolled(t, db, "3201011203900005", "32", "tg-sponsored", enrolledAt)
		modeltest.Exec(t, db, `UPDATE enrollments SET partner_id = ? WHERE id = ?`, sponsor.ID, e)
		pay(t, db, m, e, ym(2026, time.January), ym(2026, time.May), wib(2026, 5, 1, 10))
		// On WhatsApp: one who wrote lately, one who wrote two months ago, and one who wrote
		// long ago on WhatsApp but lately on Telegram.
		for _, w := range []struct{ nik, chat string }{{"3201011203900006", "wa-recent"}, {"3201011203900007", "wa-old"}, {"3201011203900008", "wa-old2"}} {
			m, _ := paidMay(w.nik, "32", "")
			last := wib(2026, 5, 30, 9)
			if w.chat != "wa-recent" {
				last = wib(2026, 3, 30, 9)
			}
			if err := models.TouchContact(db, "whatsapp", w.chat+"@s.whatsapp.net", &m, last); err != nil {
				t.Fatal(err)
			}
			if w.chat == "wa-old2" {
				if err := models.TouchContact(db, "telegram", "tg-also", &m, wib(2026, 5, 30, 9)); err != nil {
					t.Fatal(err)
				}
			}
		}
		r.say(t, "tg-stops", "berhenti")
		r.say(t, "tg-stops", "ya")

		// June is due on the 15th (a Monday): the first reminders on the 12th, from 08:00
		// local time. At 06:00 WIB it is 08:00 in Papua.
		if got := written(t, r, wib(2026, 6, 12, 5)); len(got) != 0 {
			t.Errorf("05:00 WIB (07:00 WIT), quiet everywhere: %v", got)
		}
		if got, want := written(t, r, wib(2026, 6, 12, 6)), []string{"telegram tg-papua before"}; !slices.Equal(got, want) {
			t.Errorf("06:00 WIB: %v, want %v", got, want)
		}
		want := []string{"telegram tg-also before", "telegram tg-plain before", "whatsapp wa-recent@s.whatsapp.net before"}
		if got := written(t, r, wib(2026, 6, 12, 8)); !slices.Equal(got, want) {
			t.Errorf("08:00 WIB: %v, want %v", got, want)
		}
		if got := written(t, r, wib(2026, 6, 12, 15)); len(got) != 0 {
			t.Errorf("again the same day: %v", got)
		}

		// "mulai" turns them back on: the one who stopped gets the reminder of the day before.
		r.say(t, "tg-stops", "mulai")
		want = []string{"telegram tg-also eve", "telegram tg-papua eve", "telegram tg-plain eve", "telegram tg-stops eve",
			"whatsapp wa-recent@s.whatsapp.net eve"}
		if got := written(t, r, wib(2026, 6, 14, 9)); !slices.Equal(got, want) {
			t.Errorf("14 June: %v, want %v", got, want)
		}
	})
}

// A "sudah bayar" holds the month's reminders for a week; if nothing confirms it by then they
// start again. A request to be reminded tomorrow that falls on a day with a reminder of its own
// makes one reminder, not two.
func TestReportAndSnoozeHoldReminders(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(wib(2026, 6, 1, 0))
		r := newRunner(t, db, clock)
		a, ea := enrolled(t, db, "3201011203900001", "32", "tg-a", wib(2026, 1, 5, 10))
		b, eb := enrolled(t, db, "3201011203900002", "32", "tg-b", wib(2026, 1, 5, 10))
		pay(t, db, a, ea, ym(2026, time.January), ym(2026, time.May), wib(2026, 5, 1, 10))
		pay(t, db, b, eb, ym(2026, time.January), ym(2026, time.May), wib(2026, 5, 1, 10))
		at := func(d, h int) time.Time {
			now := wib(2026, 6, d, h)
			clock.Advance(now.Sub(clock.Now()))
			return now
		}
		if got := written(t, r, at(12, 8)); len(got) != 2 {
			t.Fatalf("12 June: %v", got)
		}
		r.deliver(t)
		if reply := r.say(t, "tg-a", "sudah bayar"); len(reply) == 0 || !strings.Contains(reply[0].Text, "Juni 2026") {
			t.Fatalf("sudah bayar: %+v", reply)
		}
		if reply := r.say(t, "tg-b", "besok aja"); len(reply) == 0 || !strings.Contains(reply[0].Text, "13 Juni 2026 pukul 08.00 WIB") {
			t.Fatalf("besok aja: %+v", reply)
		}
		if got, want := written(t, r, at(13, 8)), []string{"telegram tg-b snooze"}; !slices.Equal(got, want) {
			t.Errorf("13 June: %v, want %v", got, want)
		}
		r.deliver(t)
		r.say(t, "tg-b", "ingatkan besok") // on the 14th, the day before: one reminder, the day before's
		if got, want := written(t, r, at(14, 8)), []string{"telegram tg-b eve"}; !slices.Equal(got, want) {
			t.Errorf("14 June: %v, want %v (a's report holds hers)", got, want)
		}
		if snoozes := modeltest.Count[models.ReminderSnooze](t, db, ""); snoozes != 0 {
			t.Errorf("%d snoozes left: the day before's reminder served it", snoozes)
		}
		// 18 June, three days after: b is late; a reported on the 12th, six days ago.
		if got, want := written(t, r, at(18, 8)), []string{"telegram tg-b late"}; !slices.Equal(got, want) {
			t.Errorf("18 June: %v, want %v", got, want)
		}
		// 19 June, a week after a's report and nothing confirmed it: her late reminder.
		if got, want := written(t, r, at(19, 13)), []string{"telegram tg-a late"}; !slices.Equal(got, want) {
			t.Errorf("19 June 13:00: %v, want %v", got, want)
		}
		st, err := payments.Coverage(db, coverage.Default(), a, at(19, 14))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Coverage.Reported) != 1 || st.Coverage.Standing != coverage.StateArrears {
			t.Errorf("a: %+v", st.Coverage)
		}
	})
}
