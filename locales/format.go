package locales

import (
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
