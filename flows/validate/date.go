package validate

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// MinYear is the earliest year ParseDate accepts: dates are birth dates.
const MinYear = 1900

// ParseDate reads a date the way Indonesians write it, always day first:
//
//	12-03-1990  12/3/90  12.03.1990  12 03 1990  12031990  120390
//	12 Maret 1990  12 mar 90  12-Mar-1990  12 March 1990  March 12, 1990
//	12-III-1990 (Roman month)  1990-03-12 (ISO, year first)
//
// Month names may be Indonesian or English, abbreviated ("Agt", "Ags",
// "Sept", "Nop", "Peb") or slightly misspelt ("Febuari", "Agustud").
// Filler words such as "tgl", "tanggal", "lahir" and weekday names are
// ignored.
//
// A two-digit year is placed in the century that makes the date at most 100
// years before now and never after it, as for the NIK. A four-digit year
// before MinYear, an unknown shape or an impossible day gives date_invalid;
// a date after now's calendar day gives date_future.
//
// The result is midnight UTC of that calendar day; only its date matters.
// now's own location decides which day "today" is.
func ParseDate(s string, now time.Time) (time.Time, error) {
	tokens, ok := dateTokens(s)
	if !ok {
		return time.Time{}, newError(FieldDate, CodeDateInvalid)
	}
	if len(tokens) == 0 {
		return time.Time{}, newError(FieldDate, CodeEmpty)
	}
	day, month, year, yearDigits, ok := dateParts(tokens)
	if !ok || month < 1 || month > 12 {
		return time.Time{}, newError(FieldDate, CodeDateInvalid)
	}
	switch yearDigits {
	case 2:
		year = resolveTwoDigitYear(year, month, day, now)
	case 4:
		if year < MinYear {
			return time.Time{}, newError(FieldDate, CodeDateInvalid)
		}
	default:
		return time.Time{}, newError(FieldDate, CodeDateInvalid)
	}
	if day < 1 || day > daysIn(year, month) {
		return time.Time{}, newError(FieldDate, CodeDateInvalid)
	}
	if afterToday(year, month, day, now) {
		return time.Time{}, newError(FieldDate, CodeDateFuture)
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
}

// maxDateInput bounds the work ParseDate does on pasted text.
const maxDateInput = 64

// dateTokens splits s into runs of digits and runs of letters, separated by
// white space and - / . , : and drops filler words and English ordinal
// suffixes ("12th"). ok is false when s holds any other character.
func dateTokens(s string) (tokens []string, ok bool) {
	s = strings.ToLower(cleanSpaces(s))
	if len(s) > maxDateInput {
		return nil, false
	}
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			tokens = append(tokens, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if len(cur) > 0 && !isASCIIDigit(cur[0]) {
				flush()
			}
			cur = append(cur, r)
		case unicode.IsLetter(r) || isApostrophe(r):
			if len(cur) > 0 && isASCIIDigit(cur[0]) {
				flush()
			}
			if !isApostrophe(r) {
				cur = append(cur, r)
			}
		case r == ' ' || r == '-' || r == '/' || r == '.' || r == ',' || r == ':':
			flush()
		default:
			return nil, false
		}
	}
	flush()
	out := tokens[:0]
	for i, t := range tokens {
		if dateFillers[t] {
			continue
		}
		if ordinalSuffix[t] && i > 0 && isASCIIDigit(rune(tokens[i-1][0])) {
			continue
		}
		out = append(out, t)
	}
	return out, true
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

var dateFillers = map[string]bool{
	"tgl": true, "tanggal": true, "tg": true, "lahir": true, "lhr": true,
	"senin": true, "selasa": true, "rabu": true, "kamis": true, "jumat": true, "sabtu": true, "minggu": true, "ahad": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
}

var ordinalSuffix = map[string]bool{"st": true, "nd": true, "rd": true, "th": true}

// dateParts recognises the token shapes ParseDate documents.
func dateParts(t []string) (day, month, year, yearDigits int, ok bool) {
	switch {
	case len(t) == 1 && isNumber(t[0]) && (len(t[0]) == 8 || len(t[0]) == 6):
		// DDMMYYYY or DDMMYY written without separators.
		day, _ = strconv.Atoi(t[0][:2])
		month, _ = strconv.Atoi(t[0][2:4])
		year, _ = strconv.Atoi(t[0][4:])
		return day, month, year, len(t[0]) - 4, true
	case len(t) != 3:
		return 0, 0, 0, 0, false
	case isNumber(t[0]) && len(t[0]) == 4 && isNumber(t[1]) && isNumber(t[2]):
		// ISO year-month-day; the only year-first shape.
		if len(t[1]) > 2 || len(t[2]) > 2 {
			return 0, 0, 0, 0, false
		}
		year, _ = strconv.Atoi(t[0])
		month, _ = strconv.Atoi(t[1])
		day, _ = strconv.Atoi(t[2])
		return day, month, year, 4, true
	case isNumber(t[0]) && isNumber(t[2]):
		d, m, y := t[0], t[1], t[2]
		if isNumber(m) {
			if len(m) > 2 {
				return 0, 0, 0, 0, false
			}
			month, _ = strconv.Atoi(m)
		} else if month, ok = monthByWord(m); !ok {
			return 0, 0, 0, 0, false
		}
		return dayYear(d, y, month)
	case !isNumber(t[0]) && isNumber(t[1]) && isNumber(t[2]):
		// "March 12, 1990": a month word first is unambiguous.
		if month, ok = monthByWord(t[0]); !ok {
			return 0, 0, 0, 0, false
		}
		return dayYear(t[1], t[2], month)
	}
	return 0, 0, 0, 0, false
}

func dayYear(d, y string, month int) (day, m, year, yearDigits int, ok bool) {
	if len(d) > 2 || (len(y) != 2 && len(y) != 4) {
		return 0, 0, 0, 0, false
	}
	day, _ = strconv.Atoi(d)
	year, _ = strconv.Atoi(y)
	return day, month, year, len(y), true
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// monthWords maps full month names, abbreviations and common misspellings
// to month numbers. Unlisted prefixes of three letters or more and one-edit
// typos of the longer names are found by monthByWord.
var monthWords = map[string]int{
	"januari": 1, "january": 1, "jan": 1,
	"februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2, "febuari": 2,
	"maret": 3, "march": 3, "mar": 3, "mrt": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8, "agus": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10, "okto": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12,
	// Roman numerals, used on some forms ("12-III-1990").
	"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6,
	"vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12,
}

// fullMonthNames are the spellings prefixes and typos are matched against.
var fullMonthNames = map[string]int{
	"januari": 1, "january": 1, "februari": 2, "pebruari": 2, "february": 2,
	"maret": 3, "march": 3, "april": 4, "agustus": 8, "august": 8,
	"september": 9, "oktober": 10, "october": 10, "november": 11, "nopember": 11,
	"desember": 12, "december": 12, "juni": 6, "june": 6, "juli": 7, "july": 7,
}

// monthByWord resolves a month word. Prefixes ("janu", "septem") must point
// to one month; typos are allowed only in words of five letters or more
// ("juni" and "juli" are one letter apart) and must point to one month.
func monthByWord(w string) (int, bool) {
	if m, ok := monthWords[w]; ok {
		return m, true
	}
	n := len([]rune(w))
	if n < 3 {
		return 0, false
	}
	found := 0
	for name, m := range fullMonthNames {
		if strings.HasPrefix(name, w) {
			if found != 0 && found != m {
				return 0, false
			}
			found = m
		}
	}
	if found != 0 || n < 5 {
		return found, found != 0
	}
	for name, m := range fullMonthNames {
		if len(name) >= 5 && editDistance(w, name) == 1 {
			if found != 0 && found != m {
				return 0, false
			}
			found = m
		}
	}
	return found, found != 0
}

// resolveTwoDigitYear puts yy in the century of now, or the one before when
// that would be after now: a person is between 0 and 100 years old.
func resolveTwoDigitYear(yy, month, day int, now time.Time) int {
	year := now.Year()/100*100 + yy
	if year > now.Year() || afterToday(year, month, day, now) {
		year -= 100
	}
	return year
}

// afterToday reports whether the calendar day y-m-d is after now's calendar
// day in now's location.
func afterToday(y, m, d int, now time.Time) bool {
	ny, nm, nd := now.Date()
	if y != ny {
		return y > ny
	}
	if m != int(nm) {
		return m > int(nm)
	}
	return d > nd
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
