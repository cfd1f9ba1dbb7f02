// Package coverage works out a BPU worker's standing from their enrollment and payments: the
// last month paid, the months in arrears with what each costs, the next due date, and whether
// the membership is active, in arrears, lapsed or paid by a sponsor.
//
// It is pure: no database, no platform, no clock of its own. Every function takes the time it
// is asked about, so a test walks a worker through a year in microseconds, and the status
// reply, the reminder planner, the arrears report and the payment import all read the same
// answer. Months are calendar months on a Jakarta calendar (tariff.YearMonth), like premiums;
// due dates are read in the worker's own zone (Zone).
package coverage

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"bpubot/flows/tariff"
)

// State is a membership's standing.
type State string

const (
	// StatePending: enrolled, no payment recorded yet; cover starts with the first payment.
	StatePending State = "pending"
	// StateActive: every month due so far is paid.
	StateActive State = "active"
	// StateArrears: 1 to MaxArrears months due and unpaid; they can still be paid.
	StateArrears State = "arrears"
	// StateLapsed: more than MaxArrears months in a row unpaid; the membership has ended until
	// the worker pays again with their NIK.
	StateLapsed State = "lapsed"
	// StateSponsored: a partner (Pemda, SERTAKAN) pays; the worker is not reminded, the
	// partner's staff follow Standing.
	StateSponsored State = "sponsored"
)

// MaxArrears is how many months in a row may go unpaid before the membership lapses: after
// more than 3 consecutive unpaid months it ends.
const MaxArrears = 3

// Enrollment is what coverage depends on, as stored.
type Enrollment struct {
	Participant tariff.Participant // package, declared income, occupation, GovSponsored
	Start       tariff.YearMonth   // the month the worker enrolled: the first they may pay for
	Sponsored   bool               // a partner pays the premium
	Location    *time.Location     // the worker's zone (Zone); nil means WIB
}

func (e Enrollment) loc() *time.Location {
	if e.Location == nil {
		return WIB
	}
	return e.Location
}

// Payment is money received for a run of months, First to Last inclusive.
type Payment struct {
	First, Last tariff.YearMonth
	Amount      int64
	PaidAt      time.Time
	// Verified is false for a worker's own report ("sudah bayar"): it pauses reminders but
	// covers nothing until an import, the provider or staff confirm a payment.
	Verified bool
}

// Months is how many months the payment covers.
func (p Payment) Months() int { return int(p.Last-p.First) + 1 }

// MonthDue is one month's premium and the day it is due by.
type MonthDue struct {
	Month        tariff.YearMonth
	Due          time.Time // midnight of the due date in the worker's zone
	Amount       int64     // what the month costs, the discount of that month taken off
	Discount     int64     // rupiah taken off, 0 when none
	DiscountName string
}

// Reported is a month a worker said they paid that no verified payment covers yet.
type Reported struct {
	Month      tariff.YearMonth
	ReportedAt time.Time // when the worker said so (the latest report)
}

// Coverage is a membership's standing at one moment.
type Coverage struct {
	// State is what to tell the worker and whether to remind them: Standing, or
	// StateSponsored when a partner pays.
	State State
	// Standing is what the payments alone say (pending, active, arrears, lapsed), sponsored or
	// not: the partner's staff follow it.
	Standing State
	// PaidUntil is the last month a verified payment covers; valid only when Paid.
	PaidUntil tariff.YearMonth
	Paid      bool
	// Arrears are the months due, unpaid and still owed, oldest first, each at its own
	// month's rate (a month from before a discount is owed in full). Empty when lapsed: the
	// months of a lapse are no longer owed, the worker starts again.
	Arrears      []MonthDue
	ArrearsTotal int64
	// Unpaid is how many late months in a row are unpaid, up to the last one late: 0 when
	// the last month due is paid, above MaxArrears when lapsed.
	Unpaid int
	// LapsedAt is when the membership lapsed (the moment the month after MaxArrears unpaid
	// ones became late); zero unless lapsed.
	LapsedAt time.Time
	// LapsesAt is when it will lapse if nothing more is paid; zero unless in arrears with the
	// unpaid months running up to now.
	LapsesAt time.Time
	// Next is the next month to pay: the first unpaid month not yet late, or, when pending or
	// lapsed, the current month, which (re)starts cover. Its Due may have passed then.
	Next MonthDue
	// Reported are the months only a worker's own report covers, oldest first.
	Reported []Reported
}

// PayNow is what to pay now, month by month: the arrears, or when pending or lapsed the month
// that starts cover again.
func (c Coverage) PayNow() []MonthDue {
	switch c.Standing {
	case StatePending, StateLapsed:
		return []MonthDue{c.Next}
	}
	return c.Arrears
}

// Rules compute coverage: the tariff for amounts, the calendar for due dates.
type Rules struct {
	Tariff   *tariff.Tariff
	Calendar *Calendar
}

// Default returns rules with the embedded tariff and holiday calendar.
func Default() Rules { return Rules{Tariff: tariff.Default(), Calendar: DefaultCalendar()} }

// ErrPaymentMonths: a payment whose last month is before its first.
var ErrPaymentMonths = errors.New("coverage: payment ends before it starts")

// maxHistory bounds the months Compute walks, so a corrupt date (year 9999) cannot make it
// loop for long: a hundred years.
const maxHistory = 1200

// Compute works out e's coverage at now from its payments, in any order. The error wraps
// ErrPaymentMonths for a malformed payment, or the tariff's error when the enrollment cannot
// be quoted (unknown package, income out of bounds).
//
// The rules, from the regulation as DOMAIN.md gives it:
//   - cover starts with the first verified payment; months before it are not owed;
//   - month m is due by DueDate(m) and late from the next midnight in the worker's zone;
//   - when MaxArrears+1 months in a row are late and unpaid at the moment the last of them
//     becomes late, the membership lapses then: those months, and anything owed before them,
//     are no longer owed. Paying those months afterwards does not undo the lapse; a payment
//     made after it re-activates the membership from the first month it covers;
//   - any other late unpaid month stays owed (arrears), at its own month's rate;
//   - self-reports pause reminders (Reported) but cover nothing.
func (r Rules) Compute(e Enrollment, payments []Payment, now time.Time) (Coverage, error) {
	loc := e.loc()
	var c Coverage
	var first, last tariff.YearMonth
	for _, p := range payments {
		if p.Last < p.First || p.Last-p.First >= maxHistory {
			return Coverage{}, fmt.Errorf("%w: %s to %s", ErrPaymentMonths, p.First, p.Last)
		}
		if p.Verified {
			if !c.Paid || p.First < first {
				first = p.First
			}
			if !c.Paid || p.Last > last {
				last = p.Last
			}
			c.Paid = true
		}
	}
	if last-first >= maxHistory {
		return Coverage{}, fmt.Errorf("%w: payments from %s to %s", ErrPaymentMonths, first, last)
	}
	// paid[m-first] is when month m was first covered by a verified payment.
	type paidMonth struct {
		at time.Time
		ok bool
	}
	var paid []paidMonth
	if c.Paid {
		paid = make([]paidMonth, last-first+1)
	}
	var reported map[tariff.YearMonth]time.Time
	for _, p := range payments {
		for m := p.First; m <= p.Last; m++ {
			if !p.Verified {
				if reported == nil {
					reported = map[tariff.YearMonth]time.Time{}
				}
				if at, ok := reported[m]; !ok || p.PaidAt.After(at) {
					reported[m] = p.PaidAt
				}
				continue
			}
			if pm := &paid[m-first]; !pm.ok || p.PaidAt.Before(pm.at) {
				*pm = paidMonth{p.PaidAt, true}
			}
		}
	}
	covered := func(m tariff.YearMonth) bool { return m >= first && m <= last && paid[m-first].ok }
	for m, at := range reported {
		if !covered(m) {
			c.Reported = append(c.Reported, Reported{Month: m, ReportedAt: at})
		}
	}
	slices.SortFunc(c.Reported, func(a, b Reported) int { return int(a.Month - b.Month) })

	current := tariff.MonthOf(now)
	if !c.Paid {
		return r.finish(c, e, StatePending, max(current, e.Start))
	}
	c.PaidUntil = last
	// The last month that is late now: the current one once its due date has passed.
	lateUntil := current
	if !r.Calendar.Overdue(current, loc, now) {
		lateUntil--
	}
	if lateUntil-first > maxHistory {
		return Coverage{}, fmt.Errorf("%w: first payment for %s is too long before %s", ErrPaymentMonths, first, current)
	}
	late := func(m tariff.YearMonth) time.Time { return r.Calendar.DueDate(m, loc).AddDate(0, 0, 1) }

	// Walk the membership's terms: each starts with a covered month and ends at a lapse.
	start := first
	for a := start; a+MaxArrears <= lateUntil; a++ {
		at := late(a + MaxArrears)
		lapsed := true
		for m := a; m <= a+MaxArrears && lapsed; m++ {
			lapsed = !covered(m) || paid[m-first].at.After(at)
		}
		if !lapsed {
			continue
		}
		// Lapsed at `at`. A later term starts with the first month covered after a.
		next := a + 1
		for next <= last && !covered(next) {
			next++
		}
		if next > last {
			c.LapsedAt = at
			c.Unpaid = int(lateUntil-a) + 1
			return r.finish(c, e, StateLapsed, current)
		}
		start, a = next, next-1
	}

	// In the current term every late month not covered is owed.
	run := 0
	for m := start; m <= lateUntil; m++ {
		if covered(m) {
			run = 0
			continue
		}
		run++
		d, err := r.due(e, m)
		if err != nil {
			return Coverage{}, err
		}
		c.Arrears = append(c.Arrears, d)
		c.ArrearsTotal += d.Amount
	}
	c.Unpaid = run
	if run > 0 {
		// The membership lapses when the month making MaxArrears+1 in a row becomes late,
		// unless a payment (made before then) covers one of the months up to it.
		end := lateUntil + tariff.YearMonth(MaxArrears+1-run)
		c.LapsesAt = late(end)
		for m := lateUntil + 1; m <= end; m++ {
			if covered(m) {
				c.LapsesAt = time.Time{}
			}
		}
	}
	next := max(lateUntil+1, start)
	for covered(next) {
		next++
	}
	standing := StateActive
	if len(c.Arrears) > 0 {
		standing = StateArrears
	}
	return r.finish(c, e, standing, next)
}

// finish sets the standing, the state and the next month to pay.
func (r Rules) finish(c Coverage, e Enrollment, standing State, next tariff.YearMonth) (Coverage, error) {
	d, err := r.due(e, next)
	if err != nil {
		return Coverage{}, err
	}
	c.Next, c.Standing, c.State = d, standing, standing
	if e.Sponsored {
		c.State = StateSponsored
	}
	return c, nil
}

// due quotes month m for e.
func (r Rules) due(e Enrollment, m tariff.YearMonth) (MonthDue, error) {
	q, err := r.Tariff.Month(e.Participant, m.Start())
	if err != nil {
		return MonthDue{}, err
	}
	return MonthDue{Month: m, Due: r.Calendar.DueDate(m, e.loc()), Amount: q.Total, Discount: q.Discount, DiscountName: q.DiscountName}, nil
}

// Expected is what a payment for n months from first should amount to for e: each month at
// its own rate. Imports, the webhook and staff entries check amounts against it.
func (r Rules) Expected(e Enrollment, first tariff.YearMonth, n int) (tariff.PeriodQuote, error) {
	return r.Tariff.Span(e.Participant, first, n)
}
