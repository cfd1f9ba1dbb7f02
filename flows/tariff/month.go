package tariff

import (
	"fmt"
	"time"
)

// wib is Western Indonesia Time (Asia/Jakarta). Jakarta has kept UTC+7 without daylight
// saving since 1964, so a fixed zone is exact for every month quoted and works on hosts
// without a time zone database.
var wib = time.FixedZone("WIB", 7*60*60)

// YearMonth is a calendar month counted from year 0: year*12 + month-1, so consecutive months
// differ by one and m+1 is the next month. Premiums, discounts and payments are all per
// month on a Jakarta calendar.
type YearMonth int32

// MonthOf returns the month t falls in on a Jakarta calendar.
func MonthOf(t time.Time) YearMonth {
	y, m, _ := t.In(wib).Date()
	return NewYearMonth(y, m)
}

// NewYearMonth returns the month m of year y.
func NewYearMonth(y int, m time.Month) YearMonth { return YearMonth(y*12 + int(m) - 1) }

// Year is the month's year.
func (m YearMonth) Year() int { return int(m) / 12 }

// Month is the month of the year.
func (m YearMonth) Month() time.Month { return time.Month(int(m)%12 + 1) }

// Start returns midnight on the first day of the month in Jakarta.
func (m YearMonth) Start() time.Time {
	return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, wib)
}

// String writes the month as YYYY-MM, the form files and flags use.
func (m YearMonth) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), int(m.Month())) }

// ParseYearMonth reads a month written YYYY-MM.
func ParseYearMonth(s string) (YearMonth, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, fmt.Errorf("want a month written YYYY-MM, got %q", s)
	}
	return NewYearMonth(t.Year(), t.Month()), nil
}
