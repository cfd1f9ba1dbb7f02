package tariff

import (
	"fmt"
	"slices"
	"time"
)

// wib is Western Indonesia Time (Asia/Jakarta). Jakarta has kept UTC+7 without daylight
// saving since 1964, so a fixed zone is exact for every month quoted and works on hosts
// without a time zone database.
var wib = time.FixedZone("WIB", 7*60*60)

// yearMonth counts months since year 0: year*12 + month-1. Consecutive months differ by one.
type yearMonth int32

// monthOf returns the month t falls in on a Jakarta calendar.
func monthOf(t time.Time) yearMonth {
	y, m, _ := t.In(wib).Date()
	return yearMonth(y*12 + int(m) - 1)
}

// start returns midnight on the first day of the month in Jakarta.
func (m yearMonth) start() time.Time {
	return time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, wib)
}

// Quote is the premium for one month.
type Quote struct {
	Month         time.Time // midnight on the first day of the month quoted, Asia/Jakarta
	Base          int64     // bracket base the percentages apply to
	JKK, JKM, JHT int64     // full (undiscounted) amounts; JHT is 0 when not in the package
	Discount      int64     // rupiah taken off (positive number)
	DiscountName  string    // e.g. "PP 50/2025", "" when none
	Total         int64     // what the worker pays for that month
}

// PeriodQuote is the premium for several consecutive months paid at once.
type PeriodQuote struct {
	Months     []Quote
	Total      int64
	Discounted bool // at least one month has a discount
}

// discount is a validated entry of the file's discounts list.
type discount struct {
	name          string
	basisPoints   int64
	programmes    [len(programmes)]bool
	allCategories bool
	categories    []string
	from, to      yearMonth
	excludesGov   bool
}

func (d *discount) applies(category string, m yearMonth, govSponsored bool) bool {
	if m < d.from || m > d.to || (govSponsored && d.excludesGov) {
		return false
	}
	return d.allCategories || slices.Contains(d.categories, category)
}

// Month quotes one month. Only the year and month of month count, read on a Jakarta
// calendar. The error wraps ErrUnknownPackage or ErrIncomeOutOfBounds.
//
// When a discount applies, the discounted charge for its programmes is rounded to the nearest
// rupiah, halves up, and Discount is what that rounding leaves off the full amount.
func (t *Tariff) Month(p Participant, month time.Time) (Quote, error) {
	return t.quote(p, monthOf(month))
}

func (t *Tariff) quote(p Participant, m yearMonth) (Quote, error) {
	if !p.Package.Valid() {
		return Quote{}, fmt.Errorf("%w: %q", ErrUnknownPackage, p.Package)
	}
	base, err := t.Base(p.Income)
	if err != nil {
		return Quote{}, err
	}
	var full [len(programmes)]int64
	for i, g := range programmes {
		if p.Package.includes(g) {
			full[i] = t.rates[i].amount(base)
		}
	}
	q := Quote{
		Month: m.start(),
		Base:  base,
		JKK:   full[JKK.index()],
		JKM:   full[JKM.index()],
		JHT:   full[JHT.index()],
	}
	category := t.Category(p.Occupation)
	for i := range t.discounts {
		d := &t.discounts[i]
		if !d.applies(category, m, p.GovSponsored) {
			continue
		}
		var eligible int64
		for j, on := range d.programmes {
			if on {
				eligible += full[j]
			}
		}
		charge := (eligible*(10000-d.basisPoints) + 5000) / 10000
		// Discounts never stack: the largest wins, the first listed on a tie.
		if off := eligible - charge; off > q.Discount {
			q.Discount, q.DiscountName = off, d.name
		}
	}
	q.Total = q.JKK + q.JKM + q.JHT - q.Discount
	return q, nil
}

// Period quotes months consecutive months starting with the month of start (Jakarta
// calendar); months must be 1, 3, 6 or 12. Each month is quoted on its own, because a
// discount may begin or end inside the period: a vendor paying 12 months from November 2026
// gets two discounted months, then ten at the full rate.
func (t *Tariff) Period(p Participant, start time.Time, months int) (PeriodQuote, error) {
	if !slices.Contains(periodLengths[:], months) {
		return PeriodQuote{}, fmt.Errorf("%w: got %d", ErrPeriodLength, months)
	}
	first := monthOf(start)
	pq := PeriodQuote{Months: make([]Quote, 0, months)}
	for i := range months {
		q, err := t.quote(p, first+yearMonth(i))
		if err != nil {
			return PeriodQuote{}, err
		}
		pq.Months = append(pq.Months, q)
		pq.Total += q.Total
		pq.Discounted = pq.Discounted || q.Discount > 0
	}
	return pq, nil
}

// Run is a stretch of consecutive months of a period that cost the same, with the same
// discount: what a summary lists when a discount ends inside the period.
type Run struct {
	First, Last  time.Time // midnight on the first day of the first and last month, Asia/Jakarta
	Months       int
	Each         int64  // what each month costs
	Discount     int64  // rupiah taken off each month
	DiscountName string // "" when none
}

// Runs groups the period's months into runs of equal cost, in order. A period inside one
// discount window (or outside every window) is one run.
func (pq PeriodQuote) Runs() []Run {
	var out []Run
	for _, q := range pq.Months {
		if n := len(out); n > 0 && out[n-1].Each == q.Total && out[n-1].DiscountName == q.DiscountName && out[n-1].Discount == q.Discount {
			out[n-1].Last = q.Month
			out[n-1].Months++
			continue
		}
		out = append(out, Run{First: q.Month, Last: q.Month, Months: 1, Each: q.Total, Discount: q.Discount, DiscountName: q.DiscountName})
	}
	return out
}
