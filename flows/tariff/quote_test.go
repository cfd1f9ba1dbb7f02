package tariff

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// month returns a day in the middle of a month, in Jakarta.
func month(y int, m time.Month) time.Time { return time.Date(y, m, 15, 12, 0, 0, 0, wib) }

func TestMonth(t *testing.T) {
	tr := Default()
	basic := func(occupation string, income int64) Participant {
		return Participant{Income: income, Occupation: occupation, Package: PackageJKKJKM}
	}
	withJHT := func(occupation string, income int64) Participant {
		return Participant{Income: income, Occupation: occupation, Package: PackageJKKJKMJHT}
	}
	tests := []struct {
		name      string
		p         Participant
		month     time.Time
		want      Quote // Month is checked separately
		wantTotal int64
	}{
		{
			name:  "minimum package before any discount",
			p:     basic("pedagang", 1_000_000),
			month: month(2025, time.October),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "minimum package with JHT before any discount",
			p:     withJHT("pedagang", 1_000_000),
			month: month(2025, time.October),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, JHT: 20_000, Total: 36_800},
		},
		{
			name:  "ojol in Nov 2026 pays half",
			p:     basic("ojol", 1_000_000),
			month: month(2026, time.November),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
		{
			name:  "ojol in Jan 2026, first transport month",
			p:     basic("ojol", 1_000_000),
			month: month(2026, time.January),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
		{
			name:  "kurir in Mar 2027, last transport month",
			p:     basic("kurir", 1_000_000),
			month: month(2027, time.March),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
		{
			name:  "ojol in Apr 2027 pays full",
			p:     basic("ojol", 1_000_000),
			month: month(2027, time.April),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "ojol in Dec 2025 pays full",
			p:     basic("ojol", 1_000_000),
			month: month(2025, time.December),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "vendor in Nov 2026 pays half",
			p:     basic("pedagang", 1_000_000),
			month: month(2026, time.November),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
		{
			name:  "vendor in Apr 2026, first general month",
			p:     basic("pedagang", 1_000_000),
			month: month(2026, time.April),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
		{
			name:  "vendor in Mar 2026 pays full, general discount starts in April",
			p:     basic("pedagang", 1_000_000),
			month: month(2026, time.March),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "vendor in Jan 2027 pays full",
			p:     basic("pedagang", 1_000_000),
			month: month(2027, time.January),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "unknown occupation counts as general",
			p:     basic("penjahit", 1_000_000),
			month: month(2026, time.November),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
		{
			name:  "unknown occupation gets no transport discount in Jan 2027",
			p:     basic("sopir_angkot", 1_000_000),
			month: month(2027, time.January),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "government-sponsored ojol in Nov 2026 pays full",
			p:     Participant{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKM, GovSponsored: true},
			month: month(2026, time.November),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Total: 16_800},
		},
		{
			name:  "JHT on Rp3.000.000, full",
			p:     withJHT("pedagang", 3_000_000),
			month: month(2027, time.June),
			want:  Quote{Base: 3_000_000, JKK: 30_000, JKM: 6_800, JHT: 60_000, Total: 96_800},
		},
		{
			name:  "JHT on Rp3.000.000, vendor in Nov 2026: JHT not discounted",
			p:     withJHT("pedagang", 3_000_000),
			month: month(2026, time.November),
			want:  Quote{Base: 3_000_000, JKK: 30_000, JKM: 6_800, JHT: 60_000, Discount: 18_400, DiscountName: "PP 50/2025", Total: 78_400},
		},
		{
			name:  "highest income",
			p:     basic("lainnya", 20_700_000),
			month: month(2025, time.October),
			want:  Quote{Base: 20_700_000, JKK: 207_000, JKM: 6_800, Total: 213_800},
		},
		{
			name:  "income inside a bracket uses the bracket base",
			p:     basic("pedagang", 2_750_000),
			month: month(2025, time.October),
			want:  Quote{Base: 2_700_000, JKK: 27_000, JKM: 6_800, Total: 33_800},
		},
		{
			name:  "occupation code case and space ignored",
			p:     basic("  OJOL ", 1_000_000),
			month: month(2027, time.February),
			want:  Quote{Base: 1_000_000, JKK: 10_000, JKM: 6_800, Discount: 8_400, DiscountName: "PP 50/2025", Total: 8_400},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tr.Month(tt.p, tt.month)
			if err != nil {
				t.Fatalf("Month: %v", err)
			}
			y, m, _ := tt.month.Date()
			if want := time.Date(y, m, 1, 0, 0, 0, 0, wib); !got.Month.Equal(want) {
				t.Errorf("Month = %v, want %v", got.Month, want)
			}
			got.Month = time.Time{}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// Only the Jakarta calendar month counts, whatever zone or day the caller passes.
func TestMonthJakartaCalendar(t *testing.T) {
	vendor := Participant{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM}
	tests := []struct {
		name      string
		at        time.Time
		wantMonth time.Time
		wantTotal int64
	}{
		{
			name:      "31 Mar 20:00 UTC is already April in Jakarta",
			at:        time.Date(2026, time.March, 31, 20, 0, 0, 0, time.UTC),
			wantMonth: time.Date(2026, time.April, 1, 0, 0, 0, 0, wib),
			wantTotal: 8_400,
		},
		{
			name:      "31 Mar 16:59 UTC is still March in Jakarta",
			at:        time.Date(2026, time.March, 31, 16, 59, 0, 0, time.UTC),
			wantMonth: time.Date(2026, time.March, 1, 0, 0, 0, 0, wib),
			wantTotal: 16_800,
		},
		{
			name:      "last second of 2026 in Jakarta",
			at:        time.Date(2026, time.December, 31, 23, 59, 59, 0, wib),
			wantMonth: time.Date(2026, time.December, 1, 0, 0, 0, 0, wib),
			wantTotal: 8_400,
		},
		{
			name:      "first instant of 2027 in Jakarta",
			at:        time.Date(2027, time.January, 1, 0, 0, 0, 0, wib),
			wantMonth: time.Date(2027, time.January, 1, 0, 0, 0, 0, wib),
			wantTotal: 16_800,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Default().Month(vendor, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if !q.Month.Equal(tt.wantMonth) || q.Total != tt.wantTotal {
				t.Errorf("got month %v total %d, want %v total %d", q.Month, q.Total, tt.wantMonth, tt.wantTotal)
			}
		})
	}
}

func TestMonthErrors(t *testing.T) {
	tests := []struct {
		name string
		p    Participant
		want error
	}{
		{"income just below minimum", Participant{Income: 999_999, Package: PackageJKKJKM}, ErrIncomeOutOfBounds},
		{"zero income", Participant{Income: 0, Package: PackageJKKJKM}, ErrIncomeOutOfBounds},
		{"negative income", Participant{Income: -1_000_000, Package: PackageJKKJKM}, ErrIncomeOutOfBounds},
		{"income just above maximum", Participant{Income: 20_700_001, Package: PackageJKKJKMJHT}, ErrIncomeOutOfBounds},
		{"empty package", Participant{Income: 1_000_000}, ErrUnknownPackage},
		{"unknown package", Participant{Income: 1_000_000, Package: "jht"}, ErrUnknownPackage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Default().Month(tt.p, month(2026, time.May))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == ErrIncomeOutOfBounds {
				var ie *IncomeError
				if !errors.As(err, &ie) || ie.Min != 1_000_000 || ie.Max != 20_700_000 || ie.Income != tt.p.Income {
					t.Errorf("err = %#v, want *IncomeError with bounds 1000000..20700000", err)
				}
			}
		})
	}
}

func TestPeriod(t *testing.T) {
	vendor := Participant{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM}
	ojol := Participant{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKM}
	tests := []struct {
		name           string
		p              Participant
		start          time.Time
		months         int
		wantTotal      int64
		wantDiscounted bool
		wantPerMonth   []int64
	}{
		{
			name: "vendor, 12 months from Nov 2026: 2 discounted then 10 full",
			p:    vendor, start: month(2026, time.November), months: 12,
			wantTotal: 2*8_400 + 10*16_800, wantDiscounted: true,
			wantPerMonth: []int64{8_400, 8_400, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800},
		},
		{
			name: "ojol, 6 months from Jan 2027: 3 discounted then 3 full",
			p:    ojol, start: month(2027, time.January), months: 6,
			wantTotal: 3*8_400 + 3*16_800, wantDiscounted: true,
			wantPerMonth: []int64{8_400, 8_400, 8_400, 16_800, 16_800, 16_800},
		},
		{
			name: "vendor, 3 months from Feb 2026: discount starts in the third",
			p:    vendor, start: month(2026, time.February), months: 3,
			wantTotal: 2*16_800 + 8_400, wantDiscounted: true,
			wantPerMonth: []int64{16_800, 16_800, 8_400},
		},
		{
			name: "vendor, 1 month in May 2027",
			p:    vendor, start: month(2027, time.May), months: 1,
			wantTotal: 16_800, wantDiscounted: false,
			wantPerMonth: []int64{16_800},
		},
		{
			name:  "government-sponsored ojol, 12 months from Jan 2026",
			p:     Participant{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKM, GovSponsored: true},
			start: month(2026, time.January), months: 12,
			wantTotal: 12 * 16_800, wantDiscounted: false,
			wantPerMonth: []int64{16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800, 16_800},
		},
		{
			name:  "vendor with JHT on Rp3.000.000, 3 months from Dec 2026",
			p:     Participant{Income: 3_000_000, Occupation: "pedagang", Package: PackageJKKJKMJHT},
			start: month(2026, time.December), months: 3,
			wantTotal: 78_400 + 2*96_800, wantDiscounted: true,
			wantPerMonth: []int64{78_400, 96_800, 96_800},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pq, err := Default().Period(tt.p, tt.start, tt.months)
			if err != nil {
				t.Fatal(err)
			}
			if pq.Total != tt.wantTotal || pq.Discounted != tt.wantDiscounted {
				t.Errorf("Total %d Discounted %v, want %d %v", pq.Total, pq.Discounted, tt.wantTotal, tt.wantDiscounted)
			}
			if len(pq.Months) != tt.months {
				t.Fatalf("%d months quoted, want %d", len(pq.Months), tt.months)
			}
			y, m, _ := tt.start.Date()
			for i, q := range pq.Months {
				if want := time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, wib); !q.Month.Equal(want) {
					t.Errorf("month %d is %v, want %v", i, q.Month, want)
				}
				if q.Total != tt.wantPerMonth[i] {
					t.Errorf("month %d (%s) total %d, want %d", i, q.Month.Format("2006-01"), q.Total, tt.wantPerMonth[i])
				}
			}
		})
	}
}

// Periods is Period for each length a worker may choose, in order.
func TestPeriods(t *testing.T) {
	tr := Default()
	for _, p := range []Participant{
		{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM},
		{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKM},
		{Income: 3_000_000, Occupation: "pedagang", Package: PackageJKKJKMJHT, GovSponsored: true},
	} {
		for _, start := range []time.Time{month(2025, time.October), month(2026, time.November), month(2027, time.February)} {
			got, err := tr.Periods(p, start)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(PeriodLengths()) {
				t.Fatalf("%d periods, want %d", len(got), len(PeriodLengths()))
			}
			for i, n := range PeriodLengths() {
				want, err := tr.Period(p, start, n)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got[i], want) {
					t.Errorf("%+v from %s, %d months: %+v, want %+v", p, start.Format("2006-01"), n, got[i], want)
				}
			}
		}
	}
	if _, err := tr.Periods(Participant{Income: 500_000, Package: PackageJKKJKM}, month(2026, time.June)); !errors.Is(err, ErrIncomeOutOfBounds) {
		t.Errorf("income out of bounds: err = %v", err)
	}
}

func TestPeriodErrors(t *testing.T) {
	ok := Participant{Income: 1_000_000, Package: PackageJKKJKM}
	tests := []struct {
		name   string
		p      Participant
		months int
		want   error
	}{
		{"zero months", ok, 0, ErrPeriodLength},
		{"two months", ok, 2, ErrPeriodLength},
		{"24 months", ok, 24, ErrPeriodLength},
		{"negative", ok, -3, ErrPeriodLength},
		{"income out of bounds", Participant{Income: 500_000, Package: PackageJKKJKM}, 3, ErrIncomeOutOfBounds},
		{"unknown package", Participant{Income: 1_000_000, Package: "all"}, 6, ErrUnknownPackage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Default().Period(tt.p, month(2026, time.June), tt.months); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// Every bracket boundary: both ends of a bracket use its base, and the rupiah after its end
// belongs to the next bracket.
func TestBracketBoundaries(t *testing.T) {
	tr := Default()
	bs := tr.Brackets()
	if len(bs) == 0 {
		t.Fatal("no brackets")
	}
	p := Participant{Occupation: "pedagang", Package: PackageJKKJKMJHT}
	for i, b := range bs {
		t.Run(fmt.Sprintf("%d..%d", b.From, b.To), func(t *testing.T) {
			incomes := []int64{b.From, b.To}
			if i+1 < len(bs) {
				if got, err := tr.Base(b.To + 1); err != nil || got != bs[i+1].Base {
					t.Errorf("Base(%d) = %d, %v; want next base %d", b.To+1, got, err, bs[i+1].Base)
				}
			}
			for _, income := range incomes {
				p.Income = income
				q, err := tr.Month(p, month(2025, time.October))
				if err != nil {
					t.Fatalf("income %d: %v", income, err)
				}
				want := Quote{Month: q.Month, Base: b.Base, JKK: b.Base / 100, JKM: 6_800, JHT: b.Base / 50}
				want.Total = want.JKK + want.JKM + want.JHT
				if q != want {
					t.Errorf("income %d: got %+v, want %+v", income, q, want)
				}
			}
		})
	}
}

// The anchor points the bot's texts rely on, whatever bracket table the data file holds.
func TestAnchors(t *testing.T) {
	tests := []struct {
		income, base, jkk int64
	}{
		{1_000_000, 1_000_000, 10_000},
		{3_000_000, 3_000_000, 30_000},
		{20_700_000, 20_700_000, 207_000},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.income), func(t *testing.T) {
			q, err := Default().Month(Participant{Income: tt.income, Package: PackageJKKJKM}, month(2025, time.October))
			if err != nil {
				t.Fatal(err)
			}
			if q.Base != tt.base || q.JKK != tt.jkk {
				t.Errorf("base %d JKK %d, want %d %d", q.Base, q.JKK, tt.base, tt.jkk)
			}
		})
	}
}

func TestRounding(t *testing.T) {
	// JKK at 0.25% of Rp1.000.200 is Rp2.500,5: charged Rp2.501 (halves up). With JKM at
	// Rp6.801, JKK+JKM of Rp9.301 halves to Rp4.650,5: charged Rp4.651, Rp4.650 taken off.
	tr, err := Parse(withChanges(t, map[string]string{
		"  JKM: {flat: 6800}":                             "  JKM: {flat: 6801}",
		"  JKK: {percent: 1}":                             "  JKK: {percent: 0.25}",
		"  - {from: 1000000, to: 1099999, base: 1000000}": "  - {from: 1000000, to: 1000199, base: 1000000}\n  - {from: 1000200, to: 1099999, base: 1000200}",
	}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                      string
		income                    int64
		month                     time.Time
		jkk, discount, total, jkm int64
	}{
		{"full", 1_000_200, month(2025, time.October), 2_501, 0, 2_501 + 6_801, 6_801},
		{"discounted", 1_000_000, month(2026, time.October), 2_500, 4_650, 2_500 + 6_801 - 4_650, 6_801},
		{"discounted, half rupiah", 1_000_200, month(2026, time.October), 2_501, 4_651, 4_651, 6_801},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := tr.Month(Participant{Income: tt.income, Occupation: "art", Package: PackageJKKJKM}, tt.month)
			if err != nil {
				t.Fatal(err)
			}
			if q.JKK != tt.jkk || q.JKM != tt.jkm || q.Discount != tt.discount || q.Total != tt.total {
				t.Errorf("got JKK %d JKM %d discount %d total %d, want %d %d %d %d",
					q.JKK, q.JKM, q.Discount, q.Total, tt.jkk, tt.jkm, tt.discount, tt.total)
			}
		})
	}
}

func BenchmarkMonth(b *testing.B) {
	tr := Default()
	p := Participant{Income: 3_500_000, Occupation: "ojol", Package: PackageJKKJKMJHT}
	at := month(2026, time.November)
	for b.Loop() {
		if _, err := tr.Month(p, at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPeriod12(b *testing.B) {
	tr := Default()
	p := Participant{Income: 1_000_000, Occupation: "pedagang", Package: PackageJKKJKM}
	at := month(2026, time.November)
	for b.Loop() {
		if _, err := tr.Period(p, at, 12); err != nil {
			b.Fatal(err)
		}
	}
}

// Overlapping discounts never stack: the one taking the most off applies, the first listed
// on a tie.
func TestOverlappingDiscounts(t *testing.T) {
	second := "  - name: PP 50/2025\n    percent: 50\n    programmes: [JKK, JKM]\n    categories: \"*\""
	tests := []struct {
		name         string
		replacement  string
		wantDiscount int64
		wantName     string
	}{
		{"tie goes to the first listed", "  - name: general\n    percent: 50\n    programmes: [JKK, JKM]\n    categories: \"*\"", 8_400, "PP 50/2025"},
		{"larger discount wins", "  - name: general\n    percent: 60\n    programmes: [JKK, JKM]\n    categories: \"*\"", 10_080, "general"},
		{"smaller discount loses", "  - name: general\n    percent: 40\n    programmes: [JKK, JKM]\n    categories: \"*\"", 8_400, "PP 50/2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Parse(withChanges(t, map[string]string{second: tt.replacement}))
			if err != nil {
				t.Fatal(err)
			}
			q, err := tr.Month(Participant{Income: 1_000_000, Occupation: "ojol", Package: PackageJKKJKM}, month(2026, time.November))
			if err != nil {
				t.Fatal(err)
			}
			if q.Discount != tt.wantDiscount || q.DiscountName != tt.wantName || q.Total != 16_800-tt.wantDiscount {
				t.Errorf("got discount %d %q total %d, want %d %q", q.Discount, q.DiscountName, q.Total, tt.wantDiscount, tt.wantName)
			}
		})
	}
}

func TestLowest(t *testing.T) {
	tf := Default()
	for _, c := range []struct {
		month           time.Time
		total, discount int64
	}{
		// JKK 1% of Rp1.000.000 and JKM Rp6.800; PP 50/2025 halves them while it runs.
		{month(2026, time.January), 8400, 8400},
		{month(2030, time.January), 16800, 0},
	} {
		q, err := tf.Lowest(c.month)
		if err != nil {
			t.Fatal(err)
		}
		if q.Total != c.total || q.Discount != c.discount {
			t.Errorf("Lowest(%s) = total %d, discount %d; want %d, %d", c.month.Format("2006-01"), q.Total, q.Discount, c.total, c.discount)
		}
	}
}
