package validate_test

import (
	"errors"
	"fmt"
	"testing"

	"bpubot/flows/validate"
)

func TestCodeOf(t *testing.T) {
	_, nikErr := validate.ParseNIK("123", testNow)
	tests := []struct {
		name string
		err  error
		want validate.Code
	}{
		{"nil", nil, ""},
		{"plain error", errors.New("boom"), ""},
		{"validation error", nikErr, validate.CodeNIKLength},
		{"wrapped", fmt.Errorf("signup: %w", nikErr), validate.CodeNIKLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validate.CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrorAsAndIs(t *testing.T) {
	_, err := validate.NormalizePhone("021 5551234")
	wrapped := fmt.Errorf("step phone: %w", err)

	var ve *validate.Error
	if !errors.As(wrapped, &ve) {
		t.Fatalf("errors.As failed on %v", wrapped)
	}
	if ve.Code != validate.CodePhoneNotMobile || ve.Field != validate.FieldPhone {
		t.Errorf("got %+v, want phone_not_mobile on phone", ve)
	}
	if !errors.Is(wrapped, &validate.Error{Code: validate.CodePhoneNotMobile}) {
		t.Error("errors.Is by code failed")
	}
	if !errors.Is(wrapped, &validate.Error{Code: validate.CodePhoneNotMobile, Field: validate.FieldPhone}) {
		t.Error("errors.Is by code and field failed")
	}
	if errors.Is(wrapped, &validate.Error{Code: validate.CodePhoneNotMobile, Field: validate.FieldName}) {
		t.Error("errors.Is matched another field")
	}
	if errors.Is(wrapped, &validate.Error{Code: validate.CodePhoneInvalid}) {
		t.Error("errors.Is matched another code")
	}
	if ve.Error() == "" {
		t.Error("empty Error()")
	}
}

func TestEmptyInputEverywhere(t *testing.T) {
	blanks := []string{"", "   ", "\t\n", "\u00a0", "\u200b"}
	parsers := map[string]func(string) error{
		validate.FieldNIK:    func(s string) error { _, err := validate.ParseNIK(s, testNow); return err },
		validate.FieldPhone:  func(s string) error { _, err := validate.NormalizePhone(s); return err },
		validate.FieldName:   func(s string) error { _, err := validate.ValidateName(s); return err },
		validate.FieldDate:   func(s string) error { _, err := validate.ParseDate(s, testNow); return err },
		validate.FieldAmount: func(s string) error { _, err := validate.ParseRupiah(s); return err },
		validate.FieldPlace:  func(s string) error { _, err := validate.ValidatePlace(s); return err },
	}
	for field, parse := range parsers {
		for _, in := range blanks {
			t.Run(fmt.Sprintf("%s/%q", field, in), func(t *testing.T) {
				err := parse(in)
				var ve *validate.Error
				if !errors.As(err, &ve) || ve.Code != validate.CodeEmpty || ve.Field != field {
					t.Errorf("got %v, want empty on %s", err, field)
				}
			})
		}
	}
}
