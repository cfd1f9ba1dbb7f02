// Package reminder decides which premium reminder a worker is due and when: a few days before
// the month's due date, the day before, a few days after when the month went unpaid, once a
// month while in arrears, a last notice before the membership lapses and a notice when it
// has. Like flows/coverage it is pure: coverage and the time in, a reminder out; the planner
// that finds workers, the jobs that send and the chat that answers all read the same rules.
//
// Time is cut into windows, month by month, in the worker's own zone (WIB, WITA or WIT): the
// before window of a month runs from BeforeDays before its due date to the day before it, the
// eve window from the day before to AfterDays after, the after window from there to the next
// month's before window. Every moment is in exactly one window of one month, and a worker gets
// at most one reminder per window (a reminder asked for again, "ingatkan besok", aside), so a
// window missed while nothing ran is caught up within it, never twice and never late into the
// next one.
package reminder

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
)

// Stage is which reminder of a month.
type Stage string

// The stages, in the order a month meets them.
const (
	// Before: the month is due in a few days.
	Before Stage = "before"
	// Eve: the month is due tomorrow (or today, when the day before was missed).
	Eve Stage = "eve"
	// Late: the due date passed a few days ago and the month is unpaid: the first month in
	// arrears.
	Late Stage = "late"
	// Arrears: once a month while in arrears, with what is owed month by month.
	Arrears Stage = "arrears"
	// LastNotice: the month that, unpaid by its due date, ends the membership.
	LastNotice Stage = "last_notice"
	// Lapsed: the membership has ended; how to re-activate it.
	Lapsed Stage = "lapsed"
	// Snooze: the worker asked to be reminded again ("ingatkan besok").
	Snooze Stage = "snooze"
)

// Stages lists every stage, in the order a worker may meet them.
var Stages = []Stage{Before, Eve, Late, Arrears, LastNotice, Lapsed, Snooze}

// Window is a part of a month's reminder timeline.
type Window int

// The windows of a month.
const (
	WindowBefore Window = iota // BeforeDays before the due date, to the day before it
	WindowEve                  // the day before the due date, to AfterDays after it
	WindowAfter                // from then to the next month's before window
)

func (w Window) String() string {
	return [...]string{"before", "eve", "after"}[w]
}

// Schedule is when reminders go out. Every field is configuration (reminders.* keys).
type Schedule struct {
	BeforeDays int // the first reminder of a month, this many days before its due date
	AfterDays  int // the reminder of a month left unpaid, this many days after its due date
	// SendFrom and SendUntil are the hours reminders may go out, as times of day in the
	// worker's own zone: from SendFrom, up to (not including) SendUntil. Outside them are the
	// quiet hours.
	SendFrom, SendUntil time.Duration
	// ReportPause: a month the worker said they paid ("sudah bayar") gets no reminder for this
	// long after they said so, while the payment point or staff confirm it.
	ReportPause time.Duration
	// FirstPaymentMonths: a worker enrolled but not yet paid is reminded of the first payment
	// in the month they enrolled and this many months in all.
	FirstPaymentMonths int
}

// DefaultSchedule is the schedule bpubot runs without configuration: 3 days before, the day
// before, 3 days after; from 08:00 to 20:00 local time; a self-report pauses a week.
func DefaultSchedule() Schedule {
	return Schedule{BeforeDays: 3, AfterDays: 3, SendFrom: 8 * time.Hour, SendUntil: 20 * time.Hour,
		ReportPause: 7 * 24 * time.Hour, FirstPaymentMonths: 2}
}

// Validate checks a schedule; the error names the field (as its configuration key).
func (s Schedule) Validate() error {
	var errs []error
	if s.BeforeDays < 2 || s.BeforeDays > 10 {
		errs = append(errs, fmt.Errorf("before_days: must be 2 to 10 (the day before has its own reminder), got %d", s.BeforeDays))
	}
	if s.AfterDays < 1 || s.AfterDays > 10 {
		errs = append(errs, fmt.Errorf("after_days: must be 1 to 10, got %d", s.AfterDays))
	}
	if s.SendFrom < 0 || s.SendUntil > 24*time.Hour || s.SendUntil-s.SendFrom < time.Hour {
		errs = append(errs, fmt.Errorf("send_from, send_until: want 00:00 <= send_from, send_until <= 24:00, at least an hour apart"))
	}
	if s.ReportPause < 24*time.Hour || s.ReportPause > 60*24*time.Hour {
		errs = append(errs, fmt.Errorf("report_pause: must be 24h to 1440h, got %s", s.ReportPause))
	}
	if s.FirstPaymentMonths < 0 || s.FirstPaymentMonths > 12 {
		errs = append(errs, fmt.Errorf("first_payment_months: must be 0 to 12, got %d", s.FirstPaymentMonths))
	}
	return errors.Join(errs...)
}

// Slot is one window of one month, from midnight of its first day to midnight of the day
// after its last, in the worker's zone.
type Slot struct {
	Month      tariff.YearMonth
	Window     Window
	Start, End time.Time
	Due        time.Time // the month's due date, midnight in the worker's zone
}

// SlotAt returns the window now falls in, in loc.
func (s Schedule) SlotAt(cal *coverage.Calendar, now time.Time, loc *time.Location) Slot {
	t := now.In(loc)
	month := tariff.NewYearMonth(t.Year(), t.Month())
	due := cal.DueDate(month, loc)
	before, eve, after := due.AddDate(0, 0, -s.BeforeDays), due.AddDate(0, 0, -1), due.AddDate(0, 0, s.AfterDays)
	switch {
	case t.Before(before):
		prev := cal.DueDate(month-1, loc)
		return Slot{Month: month - 1, Window: WindowAfter, Start: prev.AddDate(0, 0, s.AfterDays), End: before, Due: prev}
	case t.Before(eve):
		return Slot{Month: month, Window: WindowBefore, Start: before, End: eve, Due: due}
	case t.Before(after):
		return Slot{Month: month, Window: WindowEve, Start: eve, End: after, Due: due}
	}
	next := cal.DueDate(month+1, loc)
	return Slot{Month: month, Window: WindowAfter, Start: after, End: next.AddDate(0, 0, -s.BeforeDays), Due: due}
}

// Allowed reports whether now is inside the hours reminders may go out, in loc.
func (s Schedule) Allowed(now time.Time, loc *time.Location) bool {
	t := now.In(loc)
	since := t.Sub(midnight(t))
	return since >= s.SendFrom && since < s.SendUntil
}

// NextDay is when a reminder asked for again ("ingatkan besok", "nanti") is due: the start of
// the allowed hours on the worker's next day. A worker gets one reminder a day, and the one
// they answered was today's.
func (s Schedule) NextDay(now time.Time, loc *time.Location) time.Time {
	return midnight(now.In(loc)).AddDate(0, 0, 1).Add(s.SendFrom)
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Day writes the date of t in loc as YYYYMMDD: the worker's day, by which "one reminder a
// day" is counted.
func Day(t time.Time, loc *time.Location) int {
	y, m, d := t.In(loc).Date()
	return y*10000 + int(m)*100 + d
}

// Sent is a reminder already sent to the worker.
type Sent struct {
	Month tariff.YearMonth
	Stage Stage
	Day   int // YYYYMMDD in the worker's zone
}

// Snoozed is a worker's request to be reminded again of a month at DueAt.
type Snoozed struct {
	Month tariff.YearMonth
	DueAt time.Time
}

// Worker is what Decide needs of one worker.
type Worker struct {
	Coverage coverage.Coverage
	Start    tariff.YearMonth // the month they enrolled
	Location *time.Location   // their zone; nil means WIB
	Sent     []Sent           // reminders sent to them, at least those of the last two months
	Snooze   *Snoozed
}

// Reminder is a reminder due now.
type Reminder struct {
	Stage Stage
	Month tariff.YearMonth // the month it is about: with Stage, what makes it unique
	// Ask is what to pay now, month by month: the month due, or the arrears (with the month
	// due when it is the next to pay); for Lapsed, the month that re-activates the membership.
	Ask      []coverage.MonthDue
	Due      time.Time // Month's due date, midnight in the worker's zone
	LapsesAt time.Time // when the membership lapses if nothing is paid (LastNotice, Arrears, Late)
	LapsedAt time.Time // when it lapsed (Lapsed)
	First    bool      // the first payment, after enrolling
	Day      int       // the worker's day it is sent on, YYYYMMDD
}

// Decide returns the reminder w is due at now, if any: the one of the window now falls in,
// unless one was sent in that window already; or, failing that, the one w asked for again,
// once its time has come. Nothing in the quiet hours, nothing on a day that had a reminder,
// nothing for a sponsored worker, nothing for months paid or reported paid within ReportPause.
func (s Schedule) Decide(cal *coverage.Calendar, w Worker, now time.Time) (Reminder, bool) {
	loc := w.Location
	if loc == nil {
		loc = coverage.WIB
	}
	c := w.Coverage
	if c.State == coverage.StateSponsored || !s.Allowed(now, loc) {
		return Reminder{}, false
	}
	today := Day(now, loc)
	slot := s.SlotAt(cal, now, loc)
	last := 0
	for _, r := range w.Sent {
		last = max(last, r.Day)
	}
	if last == today {
		return Reminder{}, false
	}
	if last < Day(slot.Start, loc) {
		if r, ok := s.scheduled(cal, w, slot, now); ok && !w.sent(r.Month, r.Stage) {
			r.Day = today
			return r, true
		}
	}
	if sn := w.Snooze; sn != nil && !sn.DueAt.After(now) {
		if r, ok := s.again(w, sn.Month, now); ok {
			r.Day, r.Due = today, cal.DueDate(r.Month, loc)
			return r, true
		}
	}
	return Reminder{}, false
}

func (w Worker) sent(m tariff.YearMonth, st Stage) bool {
	return slices.ContainsFunc(w.Sent, func(r Sent) bool { return r.Month == m && r.Stage == st })
}

// scheduled is the reminder of a window, before checking what was sent.
func (s Schedule) scheduled(cal *coverage.Calendar, w Worker, slot Slot, now time.Time) (Reminder, bool) {
	c, m := w.Coverage, slot.Month
	r := Reminder{Month: m, Due: slot.Due, LapsesAt: c.LapsesAt}
	switch c.Standing {
	case coverage.StatePending:
		if slot.Window == WindowAfter || m < w.Start || int(m-w.Start) >= s.FirstPaymentMonths || c.Next.Month != m {
			return Reminder{}, false
		}
		r.Stage, r.Ask, r.First = beforeOrEve(slot), []coverage.MonthDue{c.Next}, true
	case coverage.StateActive:
		if slot.Window == WindowAfter || c.Next.Month != m {
			return Reminder{}, false
		}
		r.Stage, r.Ask = beforeOrEve(slot), []coverage.MonthDue{c.Next}
	case coverage.StateArrears:
		switch slot.Window {
		case WindowBefore:
			r.Stage = Arrears
			if !c.LapsesAt.IsZero() && !c.LapsesAt.After(slot.Due.AddDate(0, 0, 1)) {
				r.Stage = LastNotice
			}
			r.Ask = slices.Clone(c.Arrears)
			if c.Next.Month == m {
				r.Ask = append(r.Ask, c.Next)
			}
		case WindowAfter:
			if c.Unpaid != 1 || c.Arrears[len(c.Arrears)-1].Month != m {
				return Reminder{}, false
			}
			r.Stage, r.Ask = Late, slices.Clone(c.Arrears)
		default:
			return Reminder{}, false
		}
	case coverage.StateLapsed:
		loc := w.Location
		if loc == nil {
			loc = coverage.WIB
		}
		lapsed := c.LapsedAt.In(loc)
		if slot.Window == WindowBefore || tariff.NewYearMonth(lapsed.Year(), lapsed.Month()) != m || now.Before(c.LapsedAt) {
			return Reminder{}, false
		}
		// Any month reported paid lately may be what would have kept it: no notice yet.
		for _, rep := range c.Reported {
			if now.Sub(rep.ReportedAt) < s.ReportPause {
				return Reminder{}, false
			}
		}
		r.Stage, r.Ask, r.LapsedAt, r.LapsesAt = Lapsed, []coverage.MonthDue{c.Next}, c.LapsedAt, time.Time{}
		return r, true
	default:
		return Reminder{}, false
	}
	if r.Ask = s.unreported(c, r.Ask, now); len(r.Ask) == 0 {
		return Reminder{}, false
	}
	return r, true
}

func beforeOrEve(slot Slot) Stage {
	if slot.Window == WindowBefore {
		return Before
	}
	return Eve
}

// again is the reminder w asked for about month: what is still to pay of it, or nothing once
// it is paid (or reported paid).
func (s Schedule) again(w Worker, month tariff.YearMonth, now time.Time) (Reminder, bool) {
	c := w.Coverage
	var ask []coverage.MonthDue
	switch c.Standing {
	case coverage.StateArrears:
		ask = slices.Clone(c.Arrears)
		if c.Next.Month <= month {
			ask = append(ask, c.Next)
		}
	case coverage.StateActive, coverage.StatePending, coverage.StateLapsed:
		if c.Next.Month <= month || c.Standing == coverage.StateLapsed {
			ask = []coverage.MonthDue{c.Next}
		}
	}
	if ask = s.unreported(c, ask, now); len(ask) == 0 {
		return Reminder{}, false
	}
	return Reminder{Stage: Snooze, Month: month, Ask: ask, LapsesAt: c.LapsesAt, LapsedAt: c.LapsedAt,
		First: c.Standing == coverage.StatePending}, true
}

// unreported leaves out of ask the months the worker reported paid within ReportPause.
func (s Schedule) unreported(c coverage.Coverage, ask []coverage.MonthDue, now time.Time) []coverage.MonthDue {
	return slices.DeleteFunc(ask, func(d coverage.MonthDue) bool {
		return slices.ContainsFunc(c.Reported, func(r coverage.Reported) bool {
			return r.Month == d.Month && now.Sub(r.ReportedAt) < s.ReportPause
		})
	})
}

// Total is what a reminder asks for in all.
func (r Reminder) Total() int64 {
	var n int64
	for _, d := range r.Ask {
		n += d.Amount
	}
	return n
}
