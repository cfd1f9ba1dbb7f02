package flows_test

import (
	"testing"

	"bpubot/flows/validate"
	"bpubot/locales"
)

// Every validation failure has a re-prompt in every language.
func TestValidationCodesHaveMessages(t *testing.T) {
	codes := []validate.Code{
		validate.CodeEmpty, validate.CodeNIKLength, validate.CodeNIKDigits, validate.CodeNIKProvince, validate.CodeNIKRegency,
		validate.CodeNIKDistrict, validate.CodeNIKBirthdate, validate.CodeNIKFuture, validate.CodeNIKSerial,
		validate.CodePhoneInvalid, validate.CodePhoneNotMobile, validate.CodePhoneNotIndonesian,
		validate.CodeNameShort, validate.CodeNameLong, validate.CodeNameChars, validate.CodeDateInvalid, validate.CodeDateFuture,
		validate.CodeMoneyInvalid, validate.CodeMoneyLow, validate.CodeMoneyHigh,
		validate.CodePlaceShort, validate.CodePlaceLong, validate.CodePlaceChars,
	}
	for _, c := range codes {
		for _, lang := range []string{"id", "en"} {
			if !locales.Has(lang, "validate."+string(c)) {
				t.Errorf("validate.%s missing from %s.yaml", c, lang)
			}
		}
	}
}
