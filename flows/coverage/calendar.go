package coverage

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"bpubot/flows/tariff"

	"gopkg.in/yaml.v3"
)

// Kinds of non-working days.
const (
	KindHoliday     = "holiday"      // hari libur nasional
	KindCutiBersama = "cuti_bersama" // collective leave decreed with the holidays
)

// Holiday is one non-working day of the national calendar.
type Holiday struct {
	Date      time.Time // midnight, UTC; only the date counts
	Kind      string    // KindHoliday or KindCutiBersama
	Name      string
	Uncertain bool // the date may still change (not yet decreed, or subject to the sidang isbat)
}

// Calendar knows Indonesia's national holidays and cuti bersama for the years it lists, and
// from them the working days. A *Calendar never changes after it is built.
type Calendar struct {
	years []int
	days  map[civilDate]Holiday
	// dueDays holds the day of the month each month of the listed years is due by, worked
	// out once: coverage asks for due dates in loops.
	dueDays map[tariff.YearMonth]int
}

// civilDate is a date without a zone: holidays fall on the same date in WIB, WITA and WIT.
type civilDate struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, m, d}
}

type fileCalendar struct {
	Years []int `yaml:"years"`
	Days  []struct {
		Date      string `yaml:"date"`
		Kind      string `yaml:"kind"`
		Name      string `yaml:"name"`
		Uncertain bool   `yaml:"uncertain"`
	} `yaml:"days"`
}

//go:embed holidays.yaml
var holidaysFile []byte

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := ParseCalendar(holidaysFile)
	if err != nil {
		panic(fmt.Sprintf("coverage: embedded holidays.yaml: %v", err))
	}
	return c
})

// DefaultCalendar returns the calendar embedded in the binary (holidays.yaml).
func DefaultCalendar() *Calendar { return defaultCalendar() }

// LoadCalendar reads a replacement holidays file, for a new decree without a new build.
func LoadCalendar(path string) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	c, err := ParseCalendar(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseCalendar decodes and checks a holidays file: every date real, inside a listed year,
// listed once, of a known kind and named. Every problem is reported, joined.
func ParseCalendar(data []byte) (*Calendar, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f fileCalendar
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	var errs []error
	if len(f.Years) == 0 {
		errs = append(errs, errors.New("holidays: years: list the years the file is complete for"))
	}
	c := &Calendar{years: slices.Sorted(slices.Values(f.Years)), days: map[civilDate]Holiday{}}
	for i, d := range f.Days {
		at := fmt.Sprintf("holidays: days[%d]", i)
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.date: want YYYY-MM-DD, got %q", at, d.Date))
			continue
		}
		key := dateOf(t)
		switch {
		case !slices.Contains(c.years, t.Year()):
			errs = append(errs, fmt.Errorf("%s.date: %s is outside the years listed", at, d.Date))
		case d.Kind != KindHoliday && d.Kind != KindCutiBersama:
			errs = append(errs, fmt.Errorf("%s.kind: want %s or %s, got %q", at, KindHoliday, KindCutiBersama, d.Kind))
		case d.Name == "":
			errs = append(errs, fmt.Errorf("%s.name: required", at))
		}
		if _, dup := c.days[key]; dup {
			errs = append(errs, fmt.Errorf("%s.date: %s listed twice", at, d.Date))
		}
		c.days[key] = Holiday{Date: t, Kind: d.Kind, Name: d.Name, Uncertain: d.Uncertain}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c.dueDays = map[tariff.YearMonth]int{}
	for _, y := range c.years {
		for m := time.January; m <= time.December; m++ {
			ym := tariff.NewYearMonth(y, m)
			c.dueDays[ym] = c.dueDate(ym, time.UTC).Day()
		}
	}
	return c, nil
}

// Years returns the years the calendar is complete for, ascending. Outside them only weekends
// are known: a check at start-up can warn when the current year is missing.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Holiday returns the holiday or cuti bersama on the date of day (read in day's own zone).
func (c *Calendar) Holiday(day time.Time) (Holiday, bool) {
	h, ok := c.days[dateOf(day)]
	return h, ok
}

// WorkingDay reports whether the date of day (in day's own zone) is a working day: not a
// Saturday, Sunday, national holiday or cuti bersama.
func (c *Calendar) WorkingDay(day time.Time) bool {
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := c.days[dateOf(day)]
	return !holiday
}

// NextWorkingDay returns midnight of day's date in loc when that is a working day, else
// midnight of the first working day after it.
func (c *Calendar) NextWorkingDay(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.In(loc).Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for !c.WorkingDay(t) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// DueDay is the day of the month a month's premium is due by.
const DueDay = 15

// DueDate returns the day month's premium is due by, at midnight in loc: the 15th of that
// month, or the next working day when the 15th is a weekend, a holiday or cuti bersama. A
// payment is late from midnight after the due date, in the worker's own zone.
func (c *Calendar) DueDate(month tariff.YearMonth, loc *time.Location) time.Time {
	if d, ok := c.dueDays[month]; ok {
		return time.Date(month.Year(), month.Month(), d, 0, 0, 0, 0, loc)
	}
	return c.dueDate(month, loc)
}

func (c *Calendar) dueDate(month tariff.YearMonth, loc *time.Location) time.Time {
	return c.NextWorkingDay(time.Date(month.Year(), month.Month(), DueDay, 0, 0, 0, 0, loc), loc)
}

// Overdue reports whether month's premium is late at now in loc: its due date has ended.
func (c *Calendar) Overdue(month tariff.YearMonth, loc *time.Location, now time.Time) bool {
	return !now.Before(c.DueDate(month, loc).AddDate(0, 0, 1))
}
