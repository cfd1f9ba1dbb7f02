// Package payments takes premium payments in (a provider's or partner's CSV file, the payment
// provider's webhook, one payment entered by staff, a worker's own "sudah bayar") and answers
// every question about a worker's coverage through one function, Coverage, over the stored
// enrollment and payments.
//
// Every way in goes through Intake.Record: one transaction that finds the members, checks
// each payment against what coverage says is due for its months, and writes all of them or,
// when any is wrong, none.
package payments

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/models"
)

// Line is one payment to record, as a file line, a webhook body or staff typed it.
type Line struct {
	Number   int    // line in the file (the header is line 1); 0 for a single payment
	NIK      string // as given; the member is found by its keyed hash, it is never stored
	MemberID int64  // bpubot's member id, when given instead of (or with) the NIK
	Amount   int64  // rupiah
	// The months paid: First to Last, or Count months from the first one unpaid (arrears
	// first, as payment points apply them) when First is 0.
	First, Last tariff.YearMonth
	Count       int
	PaidAt      time.Time
	Reference   string
}

// MaxReference is the longest reference accepted.
const MaxReference = 100

// MaxMonthsAhead is how far past the month of payment a payment may reach: a year paid at
// once, as payment points allow.
const MaxMonthsAhead = 12

// maskedNIK is what may be shown of a NIK as given: its digits masked, never more.
func maskedNIK(nik string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, nik)
	return models.MaskNIK(digits)
}

// parseNIK checks a NIK as given and returns its 16 digits, or a problem code.
func parseNIK(s string, now time.Time) (string, string) {
	if strings.ContainsAny(s, "eE") && strings.Contains(s, "+") {
		return "", codeNIKSpreadsheet // 3.20101E+15: a spreadsheet made the NIK a number
	}
	n, err := validate.ParseNIK(s, now)
	if err != nil {
		return "", codeNIKInvalid
	}
	return n.Number, ""
}

// ParseAmount reads an amount as written in files and forms: 50400, 50.400, Rp50.400.
func ParseAmount(s string) (int64, bool) {
	n, err := validate.ParseRupiah(s)
	return n, err == nil && n > 0
}

// ParseMonths reads the months of a payment from one field: a month ("2026-01", "01/2026",
// "202601"), a range of them ("2026-01..2026-03", "2026-01 - 2026-03", "2026-01 s/d 2026-03")
// or a number of months ("3").
func ParseMonths(s string) (first, last tariff.YearMonth, count int, ok bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && len(s) <= 3 {
		return 0, 0, n, n >= 1 && n <= tariff.MaxSpan
	}
	for _, sep := range []string{"..", "–", "—", " - ", " s/d ", " s.d. ", " sd ", " sampai ", " to "} {
		if a, b, found := strings.Cut(strings.ToLower(s), sep); found {
			first, ok1 := parseMonth(a)
			last, ok2 := parseMonth(b)
			return first, last, 0, ok1 && ok2
		}
	}
	m, ok := parseMonth(s)
	return m, m, 0, ok
}

var monthPatterns = []struct {
	re        *regexp.Regexp
	year, mon int // submatch indexes
}{
	{regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})$`), 1, 2},
	{regexp.MustCompile(`^(\d{4})(\d{2})$`), 1, 2},
	{regexp.MustCompile(`^(\d{1,2})[-/.](\d{4})$`), 2, 1},
}

// parseMonth reads one month: 2026-01, 2026/1, 202601, 01/2026, 1-2026.
func parseMonth(s string) (tariff.YearMonth, bool) {
	s = strings.TrimSpace(s)
	for _, p := range monthPatterns {
		if m := p.re.FindStringSubmatch(s); m != nil {
			y, _ := strconv.Atoi(m[p.year])
			mon, _ := strconv.Atoi(m[p.mon])
			if y < 2000 || y > 2100 || mon < 1 || mon > 12 {
				return 0, false
			}
			return tariff.NewYearMonth(y, time.Month(mon)), true
		}
	}
	return 0, false
}

var paidAtLayouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02",
	"02/01/2006 15:04:05", "02/01/2006 15:04", "02/01/2006", "2/1/2006", "02-01-2006 15:04", "02-01-2006",
}

// ParsePaidAt reads when a payment was made: RFC 3339 with its own offset, or a date with or
// without a time read in loc (Indonesian files write day/month/year).
func ParsePaidAt(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range paidAtLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// validReference reports whether a reference is usable: 1 to MaxReference printable
// characters.
func validReference(s string) bool {
	if s == "" || len(s) > MaxReference {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
