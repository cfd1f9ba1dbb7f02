package validate

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// indonesianMobile is the national significant number of an Indonesian
// mobile line (DOMAIN.md): 8, an operator digit other than 4, then 7 to 10
// digits.
var indonesianMobile = regexp.MustCompile(`^8[1-35-9][0-9]{7,10}$`)

// maxPhoneDigits allows an international prefix (00) plus the 15 digits
// E.164 permits.
const maxPhoneDigits = 17

// NormalizePhone reads an Indonesian mobile number as workers write it and
// returns it in E.164 ("+6281234567890"). Accepted shapes include
// "0812-3456-7890", "0812 3456 7890", "0812.3456.7890", "812 3456 7890"
// (trunk 0 forgotten), "628123456789", "62-812-...", "+62 812 3456 789",
// "+62(812)34567890", "+62 0812..." (trunk 0 kept after the country code)
// and "0062 812...".
//
// Only digits, spaces, dots, dashes, parentheses and one "+" before the
// digits are allowed. Codes: phone_invalid for anything that is not a phone number;
// phone_not_indonesian for a plausible number of another country;
// phone_not_mobile for an Indonesian number that is not a mobile line
// (landlines such as 021-5551234, toll-free 0800...).
func NormalizePhone(s string) (string, error) {
	s = cleanSpaces(s)
	if s == "" {
		return "", newError(FieldPhone, CodeEmpty)
	}
	digits, plus, ok := phoneDigits(s)
	if !ok || len(digits) < 5 || len(digits) > maxPhoneDigits {
		return "", newError(FieldPhone, CodePhoneInvalid)
	}
	international := plus
	switch {
	case !plus && strings.HasPrefix(digits, "00"):
		digits, international = digits[2:], true
	case !plus && strings.HasPrefix(digits, "62"):
		international = true
	case !plus && strings.HasPrefix(digits, "8"):
		digits = "0" + digits
	}
	if international && strings.HasPrefix(digits, "620") {
		digits = "62" + digits[3:]
	}
	text := digits
	if international {
		text = "+" + digits
	}
	num, err := phonenumbers.Parse(text, "ID")
	if err != nil {
		return "", newError(FieldPhone, CodePhoneInvalid)
	}
	if cc := int(num.GetCountryCode()); cc != 62 {
		if phonenumbers.GetRegionCodeForCountryCode(cc) != "ZZ" && phonenumbers.IsPossibleNumber(num) {
			return "", newError(FieldPhone, CodePhoneNotIndonesian)
		}
		return "", newError(FieldPhone, CodePhoneInvalid)
	}
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	if indonesianMobile.MatchString(nsn) {
		return "+62" + nsn, nil
	}
	if phonenumbers.IsValidNumber(num) {
		return "", newError(FieldPhone, CodePhoneNotMobile)
	}
	return "", newError(FieldPhone, CodePhoneInvalid)
}

// phoneDigits extracts the digits of s and whether a "+" comes before them
// ("+62 ..." or "(+62) ..."). ok is false for a second "+", a "+" after a
// digit, or any character other than digits and the usual separators.
func phoneDigits(s string) (digits string, plus, ok bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && !plus && b.Len() == 0:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false, false
		}
	}
	return b.String(), plus, true
}
