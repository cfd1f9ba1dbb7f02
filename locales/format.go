package locales

import (
	"fmt"
	"strconv"
	"time"
)

// Money formats whole rupiah the Indonesian way in every language: Rp16.800, Rp1.000.000.
func Money(rupiah int64) string {
	neg := rupiah < 0
	if neg {
		rupiah = -rupiah
	}
	digits := strconv.FormatInt(rupiah, 10)
	out := make([]byte, 0, len(digits)+len(digits)/3+3)
	if neg {
		out = append(out, '-')
	}
	out = append(out, 'R', 'p')
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, digits[i])
	}
	return string(out)
}

var monthNames = map[string][12]string{
	"id": {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

func months(lang string) [12]string {
	if m, ok := monthNames[lang]; ok {
		return m
	}
	return monthNames[Default]
}

// Date formats a day as "6 Oktober 2025".
func Date(lang string, t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + months(lang)[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Month formats a month as "November 2026".
func Month(lang string, t time.Time) string {
	return months(lang)[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

var shortMonthNames = map[string][12]string{
	"id": {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"},
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// MonthRange formats the months from first to last, both included, short: "Des 2026",
// "Jan–Feb 2027", "Nov 2026–Jan 2027".
func MonthRange(lang string, first, last time.Time) string {
	names, ok := shortMonthNames[lang]
	if !ok {
		names = shortMonthNames[Default]
	}
	fy, fm, _ := first.Date()
	ly, lm, _ := last.Date()
	switch {
	case fy == ly && fm == lm:
		return names[fm-1] + " " + strconv.Itoa(fy)
	case fy == ly:
		return names[fm-1] + "–" + names[lm-1] + " " + strconv.Itoa(ly)
	}
	return names[fm-1] + " " + strconv.Itoa(fy) + "–" + names[lm-1] + " " + strconv.Itoa(ly)
}

var weekdayNames = map[string][7]string{
	"id": {"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

// Weekday names a day of the week: "Senin".
func Weekday(lang string, d time.Weekday) string {
	names, ok := weekdayNames[lang]
	if !ok {
		names = weekdayNames[Default]
	}
	return names[d]
}

// Clock formats a time of day the Indonesian way, in every language: "08.00".
func Clock(t time.Time) string {
	return fmt.Sprintf("%02d.%02d", t.Hour(), t.Minute())
}
