package tariff

import (
	"fmt"
	"slices"
	"time"
)

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
	from, to      YearMonth
	excludesGov   bool
}

func (d *discount) applies(category string, m YearMonth, govSponsored bool) bool {
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
	return t.quote(p, MonthOf(month))
}

func (t *Tariff) quote(p Participant, m YearMonth) (Quote, error) {
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
		Month: m.Start(),
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
// calendar); months must be 1, 3, 6 or 12, the periods a worker may choose. Each month is
// quoted on its own, because a discount may begin or end inside the period: a vendor paying
// 12 months from November 2026 gets two discounted months, then ten at the full rate.
func (t *Tariff) Period(p Participant, start time.Time, months int) (PeriodQuote, error) {
	if !slices.Contains(periodLengths[:], months) {
		return PeriodQuote{}, fmt.Errorf("%w: got %d", ErrPeriodLength, months)
	}
	return t.Span(p, MonthOf(start), months)
}

// Periods quotes every period a worker may choose (PeriodLengths), shortest first, from the
// month of start: what a question offering them shows. The shorter periods are the first months
// of the longest, so each month is quoted once and shared by the quotes.
func (t *Tariff) Periods(p Participant, start time.Time) ([]PeriodQuote, error) {
	longest, err := t.Span(p, MonthOf(start), periodLengths[len(periodLengths)-1])
	if err != nil {
		return nil, err
	}
	out := make([]PeriodQuote, len(periodLengths))
	for i, n := range periodLengths {
		pq := PeriodQuote{Months: longest.Months[:n:n]}
		for _, q := range pq.Months {
			pq.Total += q.Total
			pq.Discounted = pq.Discounted || q.Discount > 0
		}
		out[i] = pq
	}
	return out, nil
}

// MaxSpan is the most months Span quotes at once: twenty years, far beyond any payment, so a
// typing slip ("1000 months") fails instead of allocating.
const MaxSpan = 240

// Span quotes n consecutive months from first, each on its own like Period, for any n from 1
// to MaxSpan: the months a payment covers or a worker owes in arrears, which need not be a
// period a worker may choose. A month before a discount began is charged in full, so arrears
// from before the discount are due in full.
func (t *Tariff) Span(p Participant, first YearMonth, n int) (PeriodQuote, error) {
	if n < 1 || n > MaxSpan {
		return PeriodQuote{}, fmt.Errorf("%w: got %d", ErrSpanLength, n)
	}
	pq := PeriodQuote{Months: make([]Quote, 0, n)}
	for i := range n {
		q, err := t.quote(p, first+YearMonth(i))
		if err != nil {
			return PeriodQuote{}, err
		}
		pq.Months = append(pq.Months, q)
		pq.Total += q.Total
		pq.Discounted = pq.Discounted || q.Discount > 0
	}
	return pq, nil
}

// Stretch is a run of consecutive months of a quote that cost the same: what a summary shows
// as one line ("Nov–Des 2026: 2 × Rp8.400").
type Stretch struct {
	First, Last  time.Time // midnight on the first day of the first and of the last month, Asia/Jakarta
	Months       int
	Monthly      int64  // what each month costs
	Discount     int64  // rupiah taken off each month
	DiscountName string // "" when none
	Total        int64  // Months × Monthly
}

// Breakdown groups the quote's months into stretches of equal charge, in order: one stretch
// when nothing changes inside the period, two when a discount ends (or starts) inside it. The
// month-by-month detail is pq.Months.
func (pq PeriodQuote) Breakdown() []Stretch {
	var out []Stretch
	for _, q := range pq.Months {
		if n := len(out); n > 0 && out[n-1].Monthly == q.Total && out[n-1].Discount == q.Discount &&
			out[n-1].DiscountName == q.DiscountName {
			s := &out[n-1]
			s.Last = q.Month
			s.Months++
			s.Total += q.Total
			continue
		}
		out = append(out, Stretch{First: q.Month, Last: q.Month, Months: 1, Monthly: q.Total, Discount: q.Discount,
			DiscountName: q.DiscountName, Total: q.Total})
	}
	return out
}
