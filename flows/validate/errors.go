// Package validate checks and normalises what workers type during sign-up:
// NIK, phone number, name, dates, money amounts, provinces, kabupaten and
// kota (from the official list in data/regencies.tsv) and other place names.
//
// Apart from the names of places, which are data and come in Indonesian and
// English, it never produces user-facing text. Every failure is an *Error
// carrying a Code and the Field it concerns; the caller maps the code to a
// localised re-prompt. Functions that need the current time take it as an
// argument.
package validate

import "errors"

// Code identifies why a value was rejected. Codes are stable message keys.
type Code string

// Codes returned by this package, grouped by the field they belong to.
const (
	// CodeEmpty is returned by every parser for blank (or whitespace-only) input.
	CodeEmpty Code = "empty"

	CodeNIKLength    Code = "nik_length"    // not 16 digits
	CodeNIKDigits    Code = "nik_digits"    // characters other than digits and separators
	CodeNIKProvince  Code = "nik_province"  // first two digits are not a province code
	CodeNIKRegency   Code = "nik_regency"   // regency code 00
	CodeNIKDistrict  Code = "nik_district"  // district code 00
	CodeNIKBirthdate Code = "nik_birthdate" // DDMMYY is not a real date (women: DD+40)
	CodeNIKFuture    Code = "nik_future"    // birth date after now (a guard: the century rule prevents it)
	CodeNIKSerial    Code = "nik_serial"    // serial 0000

	CodePhoneInvalid       Code = "phone_invalid"        // not a phone number
	CodePhoneNotMobile     Code = "phone_not_mobile"     // Indonesian, but not a mobile number
	CodePhoneNotIndonesian Code = "phone_not_indonesian" // another country's number

	CodeNameShort Code = "name_short" // under 3 characters or under 2 letters
	CodeNameLong  Code = "name_long"  // over 80 characters
	CodeNameChars Code = "name_chars" // digits, symbols, emoji, or no letters at all

	CodeDateInvalid Code = "date_invalid" // not a recognisable or real date, or before 1900
	CodeDateFuture  Code = "date_future"  // after now

	CodeMoneyInvalid Code = "money_invalid" // not an amount, ambiguous, or not whole rupiah
	CodeMoneyLow     Code = "money_low"     // below the allowed minimum
	CodeMoneyHigh    Code = "money_high"    // above the allowed maximum, or absurdly large

	CodePlaceShort Code = "place_short" // under 3 characters or under 2 letters
	CodePlaceLong  Code = "place_long"  // over 60 characters
	CodePlaceChars Code = "place_chars" // characters not found in place names
)

// Field names used in Error.Field.
const (
	FieldNIK    = "nik"
	FieldPhone  = "phone"
	FieldName   = "name"
	FieldDate   = "date"
	FieldAmount = "amount" // ParseRupiah
	FieldIncome = "income" // CheckIncome
	FieldPlace  = "place"
)

// Error is a validation failure. It is meant to be turned into a re-prompt,
// never shown as is.
type Error struct {
	Code  Code
	Field string
}

func (e *Error) Error() string {
	return "validate: " + e.Field + ": " + string(e.Code)
}

// Is reports whether target is an *Error with the same Code and, when the
// target names a field, the same Field. It lets callers write
// errors.Is(err, &validate.Error{Code: validate.CodeEmpty}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// CodeOf returns the Code of the first *Error in err's chain, or "" when
// there is none (including when err is nil).
func CodeOf(err error) Code {
	var ve *Error
	if errors.As(err, &ve) {
		return ve.Code
	}
	return ""
}

func newError(field string, code Code) *Error {
	return &Error{Code: code, Field: field}
}
