package tariff

import (
	"errors"
	"testing"
	"time"
)

func TestYearMonth(t *testing.T) {
	m := NewYearMonth(2026, time.December)
	if got := (m + 1).String(); got != "2027-01" {
		t.Errorf("month after 2026-12 = %s", got)
	}
	if got := m.Start(); !got.Equal(time.Date(2026, time.December, 1, 0, 0, 0, 0, wib)) {
		t.Errorf("Start = %v", got)
	}
	// 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Jakarta.
	if got := MonthOf(time.Date(2026, time.December, 31, 18, 0, 0, 0, time.UTC)); got != m+1 {
		t.Errorf("MonthOf(31 Dec 18:00 UTC) = %s, want 2027-01", got)
	}
	for _, s := range []string{"2026-1", "2026/01", "Jan 2026", "", "2026-13"} {
		if _, err := ParseYearMonth(s); err == nil {
			t.Errorf("ParseYearMonth(%q) accepted", s)
		}
	}
	if got, err := ParseYearMonth("2027-03"); err != nil || got != NewYearMonth(2027, time.March) {
		t.Errorf("ParseYearMonth(2027-03) = %s, %v", got, err)
	}
}

func TestSpan(t *testing.T) {
	vendor := Participant{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM}
	// Arrears Jan–Mar 2026 paid in April: the discount for vendors starts in April, so the
	// months before it are charged in full.
	pq, err := Default().Span(vendor, NewYearMonth(2026, time.January), 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(3*16_800 + 8_400); pq.Total != want {
		t.Errorf("Jan–Apr 2026 total %d, want %d", pq.Total, want)
	}
	for _, n := range []int{0, -1, MaxSpan + 1} {
		if _, err := Default().Span(vendor, NewYearMonth(2026, time.January), n); !errors.Is(err, ErrSpanLength) {
			t.Errorf("Span of %d months: err = %v, want ErrSpanLength", n, err)
		}
	}
	// Period is Span limited to the periods a worker may choose.
	p, err := Default().Period(vendor, month(2026, time.November), 12)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Default().Span(vendor, NewYearMonth(2026, time.November), 12)
	if err != nil || s.Total != p.Total || len(s.Months) != 12 {
		t.Errorf("Span and Period disagree: %d vs %d (%v)", s.Total, p.Total, err)
	}
}

func TestBreakdown(t *testing.T) {
	ym := NewYearMonth
	tests := []struct {
		name   string
		p      Participant
		first  YearMonth
		months int
		want   []Stretch // First and Last as months, filled below
		spans  [][2]YearMonth
	}{
		{
			name:  "vendor, 12 months from Nov 2026: the discount ends after two",
			p:     Participant{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM},
			first: ym(2026, time.November), months: 12,
			want: []Stretch{
				{Months: 2, Monthly: 8_400, Discount: 8_400, DiscountName: "PP 50/2025", Total: 16_800},
				{Months: 10, Monthly: 16_800, Total: 168_000},
			},
			spans: [][2]YearMonth{{ym(2026, time.November), ym(2026, time.December)}, {ym(2027, time.January), ym(2027, time.October)}},
		},
		{
			name:  "vendor, 3 months from Feb 2026: the discount starts in the third",
			p:     Participant{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM},
			first: ym(2026, time.February), months: 3,
			want: []Stretch{
				{Months: 2, Monthly: 16_800, Total: 33_600},
				{Months: 1, Monthly: 8_400, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
			},
			spans: [][2]YearMonth{{ym(2026, time.February), ym(2026, time.March)}, {ym(2026, time.April), ym(2026, time.April)}},
		},
		{
			name:  "ojol with JHT, 6 months inside the discount: one stretch",
			p:     Participant{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKMJHT},
			first: ym(2026, time.March), months: 6,
			want: []Stretch{
				{Months: 6, Monthly: 28_400, Discount: 8_400, DiscountName: "PP 50/2025", Total: 170_400},
			},
			spans: [][2]YearMonth{{ym(2026, time.March), ym(2026, time.August)}},
		},
		{
			name:  "government-sponsored ojol across the discount end: no discount, one stretch",
			p:     Participant{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKM, GovSponsored: true},
			first: ym(2027, time.January), months: 6,
			want:  []Stretch{{Months: 6, Monthly: 16_800, Total: 100_800}},
			spans: [][2]YearMonth{{ym(2027, time.January), ym(2027, time.June)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pq, err := Default().Span(tt.p, tt.first, tt.months)
			if err != nil {
				t.Fatal(err)
			}
			got := pq.Breakdown()
			if len(got) != len(tt.want) {
				t.Fatalf("%d stretches, want %d: %+v", len(got), len(tt.want), got)
			}
			var sum int64
			for i, s := range got {
				w := tt.want[i]
				w.First, w.Last = tt.spans[i][0].Start(), tt.spans[i][1].Start()
				if s != w {
					t.Errorf("stretch %d = %+v, want %+v", i, s, w)
				}
				sum += s.Total
			}
			if sum != pq.Total {
				t.Errorf("stretches add up to %d, quote total %d", sum, pq.Total)
			}
		})
	}
	if got := (PeriodQuote{}).Breakdown(); got != nil {
		t.Errorf("empty quote breakdown = %v", got)
	}
}
