package coverage_test

import (
	"strings"
	"testing"
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
)

func TestDueDates(t *testing.T) {
	cal := coverage.DefaultCalendar()
	// The due date of every month of 2026 and 2027: the 15th, or the next working day.
	want := map[int][12]int{
		// Feb: 15 Sun, 16 cuti bersama Imlek, 17 Imlek. Mar: 15 Sun. May: 15 cuti bersama
		// Kenaikan, then the weekend. Aug: 15 Sat, 17 Proklamasi. Nov: 15 Sun.
		2026: {15, 18, 16, 15, 18, 15, 15, 18, 15, 15, 16, 15},
		// Mar: 15 cuti bersama Idul Fitri (projected). May: 15 Sat, 16 Idul Adha (projected).
		// Aug: 15 Sun.
		2027: {15, 15, 16, 15, 17, 15, 15, 16, 15, 15, 15, 15},
	}
	for year, days := range want {
		for i, day := range days {
			m := tariff.NewYearMonth(year, time.Month(i+1))
			got := cal.DueDate(m, coverage.WIB)
			if got.Year() != year || got.Month() != time.Month(i+1) || got.Day() != day || got.Hour() != 0 || got.Location() != coverage.WIB {
				t.Errorf("DueDate(%s) = %v, want %d-%02d-%02d 00:00 WIB", m, got, year, i+1, day)
			}
		}
	}
}

func TestOverdueInTheWorkersZone(t *testing.T) {
	cal := coverage.DefaultCalendar()
	jan := tariff.NewYearMonth(2026, time.January) // due Thursday 15 January 2026
	// 16 January 00:30 in Jayapura is still the 15th in Jakarta.
	now := time.Date(2026, time.January, 15, 15, 30, 0, 0, time.UTC)
	if !cal.Overdue(jan, coverage.WIT, now) {
		t.Error("a worker in Papua is late from midnight Jayapura time")
	}
	if cal.Overdue(jan, coverage.WIB, now) {
		t.Error("a worker in Java still has until midnight Jakarta time")
	}
	if cal.Overdue(jan, coverage.WIB, time.Date(2026, time.January, 15, 23, 59, 59, 0, coverage.WIB)) {
		t.Error("the due date itself is not late")
	}
}

func TestWorkingDays(t *testing.T) {
	cal := coverage.DefaultCalendar()
	for _, c := range []struct {
		date    string
		working bool
	}{
		{"2026-01-01", false}, // Tahun Baru
		{"2026-01-02", true},
		{"2026-01-03", false}, // Saturday
		{"2026-03-24", false}, // cuti bersama Idul Fitri
		{"2026-03-25", true},
		{"2026-12-24", false},
		{"2028-01-03", true}, // outside the file: weekends only
	} {
		d, _ := time.ParseInLocation(time.DateOnly, c.date, coverage.WIB)
		if got := cal.WorkingDay(d); got != c.working {
			t.Errorf("WorkingDay(%s) = %v, want %v", c.date, got, c.working)
		}
	}
	h, ok := cal.Holiday(time.Date(2026, time.March, 21, 9, 0, 0, 0, coverage.WITA))
	if !ok || h.Kind != coverage.KindHoliday || !h.Uncertain || !strings.Contains(h.Name, "Idul Fitri") {
		t.Errorf("21 March 2026 = %+v, %v", h, ok)
	}
	if years := cal.Years(); len(years) != 2 || years[0] != 2026 || years[1] != 2027 {
		t.Errorf("Years = %v", years)
	}
}

// The 2026 decree's counts: 17 national holidays and 8 cuti bersama days.
func TestDecree2026(t *testing.T) {
	cal := coverage.DefaultCalendar()
	counts := map[string]int{}
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if h, ok := cal.Holiday(d); ok {
			counts[h.Kind]++
		}
	}
	if counts[coverage.KindHoliday] != 17 || counts[coverage.KindCutiBersama] != 8 {
		t.Errorf("2026 has %v, want 17 holidays and 8 cuti bersama", counts)
	}
}

func TestParseCalendarErrors(t *testing.T) {
	for _, c := range []struct{ name, file, want string }{
		{"no years", "days: []", "years"},
		{"bad date", "years: [2026]\ndays:\n  - {date: 2026-02-30, kind: holiday, name: X}", "days[0].date"},
		{"outside years", "years: [2026]\ndays:\n  - {date: 2027-01-01, kind: holiday, name: X}", "outside the years"},
		{"bad kind", "years: [2026]\ndays:\n  - {date: 2026-01-01, kind: libur, name: X}", "days[0].kind"},
		{"no name", "years: [2026]\ndays:\n  - {date: 2026-01-01, kind: holiday}", "days[0].name"},
		{"twice", "years: [2026]\ndays:\n  - {date: 2026-01-01, kind: holiday, name: X}\n  - {date: 2026-01-01, kind: holiday, name: Y}", "listed twice"},
		{"unknown key", "years: [2026]\nday: []", "field day not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := coverage.ParseCalendar([]byte(c.file))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestZone(t *testing.T) {
	for code, want := range map[string]*time.Location{
		"31": coverage.WIB, "61": coverage.WIB, "51": coverage.WITA, "73": coverage.WITA, "81": coverage.WIT,
		"96": coverage.WIT, "": coverage.WIB, "99": coverage.WIB,
	} {
		if got := coverage.Zone(code); got != want {
			t.Errorf("Zone(%q) = %v, want %v", code, got, want)
		}
	}
	// Every province has one of the three zones.
	for _, p := range validate.Provinces() {
		if z := coverage.Zone(p.Code); z == coverage.WIB && p.TimeZone != "Asia/Jakarta" {
			t.Errorf("province %s (%s) keeps %s but got WIB", p.Code, p.Name, p.TimeZone)
		}
	}
}
