package validate

import (
	"strconv"
	"time"
)

// NIK is a parsed Nomor Induk Kependudukan, the 16-digit number on the KTP:
// province (2) + regency (2) + district (2) + birth date DDMMYY (women add
// 40 to the day) + serial (4). It has no check digit, so a NIK that parses
// can still belong to nobody; what it does give is the birth date and sex,
// which the flow can compare with the worker's answers or skip asking for.
//
// Province and regency are where the NIK was issued, not where the worker
// lives now; NIKs issued before a province split keep the old code (a
// worker in Papua Selatan may hold a 91 NIK, one in Kalimantan Utara a 64).
type NIK struct {
	Number       string    // 16 digits, separators removed
	Province     Province  // from the first two digits
	RegencyCode  string    // digits 3–4: 01–69 kabupaten, 71–99 kota
	IsCity       bool      // regency code 71 or above (kota)
	DistrictCode string    // digits 5–6, kecamatan
	BirthDate    time.Time // midnight UTC; the day has the +40 for women removed
	Female       bool      // day was written +40
	Serial       string    // last 4 digits
}

// ParseNIK reads a NIK as typed or pasted. Digits may be grouped with
// spaces, dots or dashes ("3201 0101 9000 0001", "3201-01-010190-0001");
// anything else, or a separator before the first or after the last digit,
// gives nik_digits. Other than 16 digits gives nik_length.
//
// The two-digit birth year is resolved against now: the century that makes
// the person between 0 and 100 years old and not born after now (yy up to
// now's yy means this century, otherwise the last; a date later than now in
// this century also goes back one).
//
// Checks, in order, with their codes: province code in the official list
// (nik_province); regency not 00 (nik_regency); district not 00
// (nik_district); day 01–31 or 41–71, month 01–12 and a real calendar date,
// 29 February only in leap years (nik_birthdate); birth date not after now
// (nik_future; kept as a guard, since the century rule never yields a date
// after now); serial not 0000 (nik_serial).
func ParseNIK(s string, now time.Time) (NIK, error) {
	number, err := nikDigits(s)
	if err != nil {
		return NIK{}, err
	}
	n := NIK{
		Number:       number,
		RegencyCode:  number[2:4],
		DistrictCode: number[4:6],
		Serial:       number[12:],
	}
	var ok bool
	if n.Province, ok = ProvinceByCode(number[:2]); !ok {
		return NIK{}, newError(FieldNIK, CodeNIKProvince)
	}
	if n.RegencyCode == "00" {
		return NIK{}, newError(FieldNIK, CodeNIKRegency)
	}
	n.IsCity = n.RegencyCode >= "71"
	if n.DistrictCode == "00" {
		return NIK{}, newError(FieldNIK, CodeNIKDistrict)
	}
	day, _ := strconv.Atoi(number[6:8])
	month, _ := strconv.Atoi(number[8:10])
	yy, _ := strconv.Atoi(number[10:12])
	if day > 40 {
		n.Female = true
		day -= 40
	}
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return NIK{}, newError(FieldNIK, CodeNIKBirthdate)
	}
	year := resolveTwoDigitYear(yy, month, day, now)
	if day > daysIn(year, month) {
		return NIK{}, newError(FieldNIK, CodeNIKBirthdate)
	}
	if afterToday(year, month, day, now) {
		return NIK{}, newError(FieldNIK, CodeNIKFuture)
	}
	n.BirthDate = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if n.Serial == "0000" {
		return NIK{}, newError(FieldNIK, CodeNIKSerial)
	}
	return n, nil
}

// nikDigits strips separators from s and returns its 16 digits.
func nikDigits(s string) (string, error) {
	s = cleanSpaces(s)
	if s == "" {
		return "", newError(FieldNIK, CodeEmpty)
	}
	digits := make([]byte, 0, 16)
	sep := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
			sep = false
		case c == ' ' || c == '.' || c == '-':
			if len(digits) == 0 {
				return "", newError(FieldNIK, CodeNIKDigits)
			}
			sep = true
		default:
			return "", newError(FieldNIK, CodeNIKDigits)
		}
	}
	if sep {
		return "", newError(FieldNIK, CodeNIKDigits)
	}
	if len(digits) != 16 {
		return "", newError(FieldNIK, CodeNIKLength)
	}
	return string(digits), nil
}

// Age returns the completed years between the birth date and now's calendar
// day in now's location, or 0 if now is before the birth date. Someone born
// on 29 February turns a year older on 1 March in common years.
func (n NIK) Age(now time.Time) int {
	return ageOn(n.BirthDate, now)
}

func ageOn(birth, now time.Time) int {
	by, bm, bd := birth.Date()
	ny, nm, nd := now.Date()
	age := ny - by
	if nm < bm || (nm == bm && nd < bd) {
		age--
	}
	return max(age, 0)
}
