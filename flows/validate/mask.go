package validate

import (
	"regexp"
	"strings"
)

// numberRun is a run of digits with the separators people type inside numbers (spaces, dots,
// dashes), optionally after a '+': "3201 0101 9001 0001", "0812-3456-7890", "+62 812 3456 789".
var numberRun = regexp.MustCompile(`\+?\d(?:[ .\-]?\d)+`)

// money is what stands before an amount of money, which is not personal: "Rp 20.000.000".
var money = regexp.MustCompile(`(?i)rp\.?\s*$`)

// MaskText hides NIKs and phone numbers in free text a worker wrote, for the staff group and
// staff views: a number of 16 digits is masked as a NIK (3201********0001), any other of 8 to
// 15 digits as a phone number (+62812*****789, 0812****890). Amounts after "Rp" stay.
func MaskText(s string) string {
	locs := numberRun.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		run := s[l[0]:l[1]]
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, run)
		if len(digits) < 8 || money.MatchString(s[:l[0]]) {
			continue
		}
		b.WriteString(s[last:l[0]])
		switch {
		case len(digits) == 16:
			b.WriteString(maskNIK(digits))
		case len(digits) > 16:
			b.WriteString(strings.Repeat("*", len(digits)))
		default:
			if strings.HasPrefix(run, "+") {
				b.WriteString(maskE164("+" + digits))
			} else {
				b.WriteString(maskPhoneLike(digits))
			}
		}
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// maskNIK keeps the first four and last four digits (models.MaskNIK).
func maskNIK(nik string) string { return nik[:4] + strings.Repeat("*", len(nik)-8) + nik[len(nik)-4:] }

// maskE164 keeps the country and operator prefix and the last three digits (models.MaskPhone).
func maskE164(phone string) string {
	if len(phone) < 10 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:6] + strings.Repeat("*", len(phone)-9) + phone[len(phone)-3:]
}

// maskPhoneLike keeps a number's first four characters and last three.
func maskPhoneLike(n string) string {
	if len(n) <= 7 {
		return strings.Repeat("*", len(n))
	}
	return n[:4] + strings.Repeat("*", len(n)-7) + n[len(n)-3:]
}
