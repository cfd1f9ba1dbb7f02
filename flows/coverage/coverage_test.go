package coverage_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
)

func ym(y int, m time.Month) tariff.YearMonth { return tariff.NewYearMonth(y, m) }

// at is a moment in Jakarta time.
func at(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, coverage.WIB)
}

func vendor() coverage.Enrollment {
	return coverage.Enrollment{
		Participant: tariff.Participant{Income: 1_000_000, Occupation: "pedagang", Package: tariff.PackageJKKJKM},
		Start:       ym(2026, time.January),
	}
}

// step is one moment of a worker's year: a payment made, or a look at their coverage.
type step struct {
	name string
	now  time.Time
	pay  *coverage.Payment // made at now
	want want              // checked when pay is nil
}

type want struct {
	state, standing coverage.State
	paidUntil       tariff.YearMonth // 0: not paid
	arrears         []tariff.YearMonth
	amounts         []int64 // per arrears month
	next            tariff.YearMonth
	nextDue         string // YYYY-MM-DD
	unpaid          int
	lapsesAt        string // YYYY-MM-DD of the midnight it lapses, "" for none
	lapsedAt        string
	reported        []tariff.YearMonth
}

func paid(first, last tariff.YearMonth, verified bool) *coverage.Payment {
	return &coverage.Payment{First: first, Last: last, Verified: verified}
}

// walk applies the steps in order, each payment stamped with its step's time.
func walk(t *testing.T, e coverage.Enrollment, steps []step) {
	t.Helper()
	rules := coverage.Default()
	var payments []coverage.Payment
	for _, s := range steps {
		if s.pay != nil {
			p := *s.pay
			p.PaidAt = s.now
			q, err := rules.Expected(e, p.First, p.Months())
			if err != nil {
				t.Fatal(err)
			}
			p.Amount = q.Total
			payments = append(payments, p)
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			c, err := rules.Compute(e, payments, s.now)
			if err != nil {
				t.Fatal(err)
			}
			check(t, c, s.want)
		})
	}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func check(t *testing.T, c coverage.Coverage, w want) {
	t.Helper()
	if w.standing == "" {
		w.standing = w.state
	}
	if c.State != w.state || c.Standing != w.standing {
		t.Errorf("state %s/%s, want %s/%s", c.State, c.Standing, w.state, w.standing)
	}
	if (w.paidUntil != 0) != c.Paid || (c.Paid && c.PaidUntil != w.paidUntil) {
		t.Errorf("paid until %s (paid %v), want %s", c.PaidUntil, c.Paid, w.paidUntil)
	}
	var months []tariff.YearMonth
	var amounts []int64
	var total int64
	for _, d := range c.Arrears {
		months = append(months, d.Month)
		amounts = append(amounts, d.Amount)
		total += d.Amount
	}
	if !slices.Equal(months, w.arrears) {
		t.Errorf("arrears %v, want %v", months, w.arrears)
	}
	if w.amounts != nil && !slices.Equal(amounts, w.amounts) {
		t.Errorf("arrears amounts %v, want %v", amounts, w.amounts)
	}
	if total != c.ArrearsTotal {
		t.Errorf("ArrearsTotal %d, months add up to %d", c.ArrearsTotal, total)
	}
	if c.Next.Month != w.next || day(c.Next.Due) != w.nextDue {
		t.Errorf("next %s due %s, want %s due %s", c.Next.Month, day(c.Next.Due), w.next, w.nextDue)
	}
	if c.Unpaid != w.unpaid {
		t.Errorf("unpaid %d in a row, want %d", c.Unpaid, w.unpaid)
	}
	// LapsesAt and LapsedAt are the midnight that starts the day given.
	if day(c.LapsesAt) != w.lapsesAt || (!c.LapsesAt.IsZero() && c.LapsesAt.Hour() != 0) {
		t.Errorf("lapses at %v, want %s", c.LapsesAt, w.lapsesAt)
	}
	if day(c.LapsedAt) != w.lapsedAt {
		t.Errorf("lapsed at %v, want %s", c.LapsedAt, w.lapsedAt)
	}
	var reported []tariff.YearMonth
	for _, r := range c.Reported {
		reported = append(reported, r.Month)
	}
	if !slices.Equal(reported, w.reported) {
		t.Errorf("reported %v, want %v", reported, w.reported)
	}
}

// A vendor's 2026: on-time months, a late month, a due date moved by holidays, four unpaid
// months (lapse), re-activation. The PP 50/2025 discount for vendors runs April–December 2026.
func TestAYearOfAVendor(t *testing.T) {
	walk(t, vendor(), []step{
		{name: "enrolled, nothing paid", now: at(2026, 1, 3, 10),
			want: want{state: coverage.StatePending, next: ym(2026, 1), nextDue: "2026-01-15"}},
		{now: at(2026, 1, 5, 10), pay: paid(ym(2026, 1), ym(2026, 1), true)},
		{name: "January paid", now: at(2026, 1, 20, 10),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 1), next: ym(2026, 2), nextDue: "2026-02-18"}},
		{name: "February due on the 18th (Imlek): the 17th is not late", now: at(2026, 2, 17, 22),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 1), next: ym(2026, 2), nextDue: "2026-02-18"}},
		{now: at(2026, 2, 18, 19), pay: paid(ym(2026, 2), ym(2026, 2), true)},
		{now: at(2026, 3, 10, 8), pay: paid(ym(2026, 3), ym(2026, 3), true)},
		{name: "April late", now: at(2026, 4, 16, 0),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 3), arrears: []tariff.YearMonth{ym(2026, 4)},
				amounts: []int64{8_400}, next: ym(2026, 5), nextDue: "2026-05-18", unpaid: 1, lapsesAt: "2026-07-16"}},
		{now: at(2026, 4, 20, 12), pay: paid(ym(2026, 4), ym(2026, 4), true)},
		{name: "April paid late", now: at(2026, 4, 21, 12),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 4), next: ym(2026, 5), nextDue: "2026-05-18"}},
		{name: "May due on the 18th (cuti bersama, weekend)", now: at(2026, 5, 18, 23),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 4), next: ym(2026, 5), nextDue: "2026-05-18"}},
		{now: at(2026, 5, 18, 23), pay: paid(ym(2026, 5), ym(2026, 6), true)},
		{name: "May and June paid at once", now: at(2026, 6, 20, 9),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 6), next: ym(2026, 7), nextDue: "2026-07-15"}},
		{name: "July unpaid", now: at(2026, 7, 16, 9),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 6), arrears: []tariff.YearMonth{ym(2026, 7)},
				next: ym(2026, 8), nextDue: "2026-08-18", unpaid: 1, lapsesAt: "2026-10-16"}},
		{name: "July and August unpaid", now: at(2026, 8, 19, 9),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 6), arrears: []tariff.YearMonth{ym(2026, 7), ym(2026, 8)},
				amounts: []int64{8_400, 8_400}, next: ym(2026, 9), nextDue: "2026-09-15", unpaid: 2, lapsesAt: "2026-10-16"}},
		{name: "three unpaid: the last month before lapse", now: at(2026, 10, 15, 23),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 6), arrears: []tariff.YearMonth{ym(2026, 7), ym(2026, 8), ym(2026, 9)},
				next: ym(2026, 10), nextDue: "2026-10-15", unpaid: 3, lapsesAt: "2026-10-16"}},
		{name: "four unpaid: lapsed", now: at(2026, 10, 16, 0),
			want: want{state: coverage.StateLapsed, paidUntil: ym(2026, 6), next: ym(2026, 10), nextDue: "2026-10-15",
				unpaid: 4, lapsedAt: "2026-10-16"}},
		{name: "still lapsed a month on", now: at(2026, 11, 20, 9),
			want: want{state: coverage.StateLapsed, paidUntil: ym(2026, 6), next: ym(2026, 11), nextDue: "2026-11-16",
				unpaid: 5, lapsedAt: "2026-10-16"}},
		{now: at(2026, 11, 21, 9), pay: paid(ym(2026, 11), ym(2026, 11), true)},
		{name: "re-activated: the lapsed months are not owed", now: at(2026, 11, 22, 9),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 11), next: ym(2026, 12), nextDue: "2026-12-15"}},
		{now: at(2026, 12, 14, 9), pay: paid(ym(2026, 12), ym(2026, 12), true)},
		{name: "year end", now: at(2026, 12, 31, 23),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 12), next: ym(2027, 1), nextDue: "2027-01-15"}},
	})
}

// Paying the fourth month after the lapse does not undo it: the lapse happened when that month
// became late; the payment re-activates from the month it covers.
func TestPayingAfterTheLapse(t *testing.T) {
	e := vendor()
	walk(t, e, []step{
		{now: at(2026, 1, 5, 10), pay: paid(ym(2026, 1), ym(2026, 1), true)},
		{name: "lapsed when May became late", now: at(2026, 5, 19, 0),
			want: want{state: coverage.StateLapsed, paidUntil: ym(2026, 1), next: ym(2026, 5), nextDue: "2026-05-18", unpaid: 4, lapsedAt: "2026-05-19"}},
		{now: at(2026, 5, 20, 10), pay: paid(ym(2026, 5), ym(2026, 5), true)},
		{name: "May paid late re-activates, February to April are gone", now: at(2026, 5, 21, 10),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 5), next: ym(2026, 6), nextDue: "2026-06-15"}},
	})
	walk(t, e, []step{
		{now: at(2026, 1, 5, 10), pay: paid(ym(2026, 1), ym(2026, 1), true)},
		{now: at(2026, 5, 18, 10), pay: paid(ym(2026, 2), ym(2026, 2), true)},
		{name: "February paid on May's due date: three in arrears, no lapse", now: at(2026, 5, 19, 0),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 2), arrears: []tariff.YearMonth{ym(2026, 3), ym(2026, 4), ym(2026, 5)},
				amounts: []int64{16_800, 8_400, 8_400}, next: ym(2026, 6), nextDue: "2026-06-15", unpaid: 3, lapsesAt: "2026-06-16"}},
	})
}

// A month left unpaid between paid ones stays owed, at its own rate: March 2026 is before the
// vendors' discount, so it is due in full in April.
func TestHoleIsOwedInFull(t *testing.T) {
	walk(t, vendor(), []step{
		{now: at(2026, 1, 5, 10), pay: paid(ym(2026, 1), ym(2026, 2), true)},
		{now: at(2026, 4, 10, 10), pay: paid(ym(2026, 4), ym(2026, 4), true)},
		{name: "March owed in full, April paid", now: at(2026, 4, 20, 10),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 4), arrears: []tariff.YearMonth{ym(2026, 3)},
				amounts: []int64{16_800}, next: ym(2026, 5), nextDue: "2026-05-18"}},
	})
}

// An ojol's discount ends with March 2027: arrears across the end are half, then full.
func TestArrearsAcrossTheDiscountEnd(t *testing.T) {
	e := coverage.Enrollment{
		Participant: tariff.Participant{Income: 1_000_000, Occupation: "ojol", Package: tariff.PackageJKKJKMJHT},
		Start:       ym(2026, 6),
	}
	walk(t, e, []step{
		{now: at(2026, 6, 1, 10), pay: paid(ym(2026, 6), ym(2027, 1), true)},
		{name: "February to April 2027 unpaid", now: at(2027, 4, 16, 10),
			want: want{state: coverage.StateArrears, paidUntil: ym(2027, 1), arrears: []tariff.YearMonth{ym(2027, 2), ym(2027, 3), ym(2027, 4)},
				// JKK+JKM half (8.400) plus JHT never discounted (20.000), then 36.800 in full.
				amounts: []int64{28_400, 28_400, 36_800}, next: ym(2027, 5), nextDue: "2027-05-17", unpaid: 3, lapsesAt: "2027-05-18"}},
	})
}

// A government-sponsored worker: no reminders (state sponsored), no discount, and the partner's
// staff see the arrears.
func TestGovernmentSponsored(t *testing.T) {
	e := coverage.Enrollment{
		Participant: tariff.Participant{Income: 1_000_000, Occupation: "ojol", Package: tariff.PackageJKKJKM, GovSponsored: true},
		Start:       ym(2026, 3), Sponsored: true,
	}
	walk(t, e, []step{
		{name: "sponsor has not paid yet", now: at(2026, 3, 2, 10),
			want: want{state: coverage.StateSponsored, standing: coverage.StatePending, next: ym(2026, 3), nextDue: "2026-03-16"}},
		{now: at(2026, 3, 2, 10), pay: paid(ym(2026, 3), ym(2026, 5), true)},
		{name: "two months behind", now: at(2026, 7, 16, 10),
			want: want{state: coverage.StateSponsored, standing: coverage.StateArrears, paidUntil: ym(2026, 5),
				arrears: []tariff.YearMonth{ym(2026, 6), ym(2026, 7)}, amounts: []int64{16_800, 16_800},
				next: ym(2026, 8), nextDue: "2026-08-18", unpaid: 2, lapsesAt: "2026-09-16"}},
	})
}

// A worker's "sudah bayar" covers nothing until a payment is confirmed; then it is just paid.
func TestSelfReport(t *testing.T) {
	walk(t, vendor(), []step{
		{now: at(2026, 1, 5, 10), pay: paid(ym(2026, 1), ym(2026, 1), true)},
		{now: at(2026, 2, 14, 20), pay: paid(ym(2026, 2), ym(2026, 2), false)},
		{name: "reported, not confirmed", now: at(2026, 2, 19, 10),
			want: want{state: coverage.StateArrears, paidUntil: ym(2026, 1), arrears: []tariff.YearMonth{ym(2026, 2)},
				next: ym(2026, 3), nextDue: "2026-03-16", unpaid: 1, lapsesAt: "2026-05-19", reported: []tariff.YearMonth{ym(2026, 2)}}},
		{now: at(2026, 2, 20, 10), pay: paid(ym(2026, 2), ym(2026, 2), true)},
		{name: "confirmed", now: at(2026, 2, 21, 10),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 2), next: ym(2026, 3), nextDue: "2026-03-16"}},
	})
}

// Paid ahead: the next month to pay is the first after the paid ones.
func TestPaidAhead(t *testing.T) {
	walk(t, vendor(), []step{
		{now: at(2026, 1, 5, 10), pay: paid(ym(2026, 1), ym(2026, 12), true)},
		{name: "a year paid", now: at(2026, 3, 1, 10),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 12), next: ym(2027, 1), nextDue: "2027-01-15"}},
	})
	// A first payment for next month: this month is not owed, cover starts next month.
	e := vendor()
	e.Start = ym(2026, 1)
	walk(t, e, []step{
		{now: at(2026, 1, 28, 10), pay: paid(ym(2026, 2), ym(2026, 2), true)},
		{name: "enrolled late in January, paid from February", now: at(2026, 1, 29, 10),
			want: want{state: coverage.StateActive, paidUntil: ym(2026, 2), next: ym(2026, 3), nextDue: "2026-03-16"}},
	})
}

func TestPayNow(t *testing.T) {
	rules := coverage.Default()
	e := vendor()
	c, err := rules.Compute(e, nil, at(2026, 1, 20, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.PayNow(); len(got) != 1 || got[0].Month != ym(2026, 1) || got[0].Amount != 16_800 {
		t.Errorf("pending: pay now %+v, want January's Rp16.800", got)
	}
	c, err = rules.Compute(e, []coverage.Payment{{First: ym(2026, 1), Last: ym(2026, 1), Verified: true}}, at(2026, 3, 20, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.PayNow(); len(got) != 2 || got[0].Month != ym(2026, 2) || got[1].Month != ym(2026, 3) {
		t.Errorf("arrears: pay now %+v, want February and March", got)
	}
}

func TestComputeErrors(t *testing.T) {
	rules := coverage.Default()
	if _, err := rules.Compute(vendor(), []coverage.Payment{{First: ym(2026, 3), Last: ym(2026, 2), Verified: true}}, at(2026, 4, 1, 0)); !errors.Is(err, coverage.ErrPaymentMonths) {
		t.Errorf("backwards payment: %v", err)
	}
	bad := vendor()
	bad.Participant.Income = 10
	if _, err := rules.Compute(bad, nil, at(2026, 4, 1, 0)); !errors.Is(err, tariff.ErrIncomeOutOfBounds) {
		t.Errorf("income out of bounds: %v", err)
	}
	if _, err := rules.Compute(vendor(), []coverage.Payment{{First: ym(1900, 1), Last: ym(1900, 1), Verified: true}}, at(2026, 4, 1, 0)); !errors.Is(err, coverage.ErrPaymentMonths) {
		t.Errorf("a payment from 1900: %v", err)
	}
}

func BenchmarkCompute(b *testing.B) {
	rules := coverage.Default()
	e := vendor()
	var payments []coverage.Payment
	for m := ym(2026, 1); m <= ym(2026, 12); m++ {
		if m != ym(2026, 7) {
			payments = append(payments, coverage.Payment{First: m, Last: m, Amount: 16_800, Verified: true, PaidAt: m.Start().AddDate(0, 0, 10)})
		}
	}
	now := at(2027, 1, 20, 10)
	for b.Loop() {
		if _, err := rules.Compute(e, payments, now); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleRules_Compute() {
	rules := coverage.Default()
	e := coverage.Enrollment{
		Participant: tariff.Participant{Income: 1_000_000, Occupation: "ojol", Package: tariff.PackageJKKJKM},
		Start:       tariff.NewYearMonth(2026, time.January),
		Location:    coverage.Zone("73"), // Sulawesi Selatan, WITA
	}
	payments := []coverage.Payment{{First: tariff.NewYearMonth(2026, time.January), Last: tariff.NewYearMonth(2026, time.March), Amount: 25_200, Verified: true}}
	c, _ := rules.Compute(e, payments, time.Date(2026, time.May, 20, 9, 0, 0, 0, coverage.WITA))
	fmt.Println(c.State, "paid until", c.PaidUntil)
	for _, m := range c.Arrears {
		fmt.Println(m.Month, m.Amount, m.Due.Format(time.DateOnly))
	}
	fmt.Println("next", c.Next.Month, "due", c.Next.Due.Format(time.DateOnly))
	// Output:
	// arrears paid until 2026-03
	// 2026-04 8400 2026-04-15
	// 2026-05 8400 2026-05-18
	// next 2026-06 due 2026-06-15
}
