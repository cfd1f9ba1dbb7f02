package validate_test

import (
	"strings"
	"testing"

	"bpubot/flows/validate"
)

// The numbers below are made up; they only follow the numbering plan.
func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"dashes", "0812-3456-7890", "+6281234567890"},
		{"spaces", "0812 3456 7890", "+6281234567890"},
		{"dots", "0812.3456.7890", "+6281234567890"},
		{"no separators", "081234567890", "+6281234567890"},
		{"country code without plus", "628123456789", "+628123456789"},
		{"country code with dashes", "62-812-3456-7890", "+6281234567890"},
		{"plus and spaces", "+62 812 3456 789", "+628123456789"},
		{"parentheses", "+62(812)34567890", "+6281234567890"},
		{"parentheses with spaces", "+62 (812) 3456-7890", "+6281234567890"},
		{"trunk zero kept after country code", "+62 0812 3456 7890", "+6281234567890"},
		{"trunk zero after bare country code", "620812 3456 7890", "+6281234567890"},
		{"international prefix 00", "0062 812 3456 7890", "+6281234567890"},
		{"trunk zero forgotten", "812 3456 7890", "+6281234567890"},
		{"already E.164", "+6281234567890", "+6281234567890"},
		{"plus inside parentheses", "(+62) 812-3456-7890", "+6281234567890"},
		{"padding and NBSP", "\t0812\u00a03456\u00a07890 ", "+6281234567890"},
		{"shortest mobile", "0812345678", "+62812345678"},
		{"longest mobile", "0812 3456 78901", "+62812345678901"},
		{"prefix 821", "0821-1234-5678", "+6282112345678"},
		{"prefix 838", "0838-1234-5678", "+6283812345678"},
		{"prefix 857", "0857 1234 5678", "+6285712345678"},
		{"prefix 878", "0878 1234 5678", "+6287812345678"},
		{"prefix 881", "0881 2345 6789", "+6288123456789"},
		{"prefix 896", "0896 1234 5678", "+6289612345678"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.NormalizePhone(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNormalizePhoneErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want validate.Code
	}{
		{"empty", "", validate.CodeEmpty},
		{"Jakarta landline", "021-5551234", validate.CodePhoneNotMobile},
		{"Jakarta landline, parentheses", "(021) 5551 2345", validate.CodePhoneNotMobile},
		{"Bandung landline with country code", "+62 22 7654321", validate.CodePhoneNotMobile},
		{"Surabaya landline", "031-7654321", validate.CodePhoneNotMobile},
		{"Malaysian mobile", "+60 12-345 6789", validate.CodePhoneNotIndonesian},
		{"Singapore mobile", "+65 9123 4567", validate.CodePhoneNotIndonesian},
		{"UK mobile", "+44 7911 123456", validate.CodePhoneNotIndonesian},
		{"Saudi mobile via 00", "00966 50 123 4567", validate.CodePhoneNotIndonesian},
		{"too short", "0812345", validate.CodePhoneInvalid},
		{"too long", "0812 3456 7890 123", validate.CodePhoneInvalid},
		{"way too long", "0812345678901234567890", validate.CodePhoneInvalid},
		{"prefix 84 is no mobile range", "0841 2345 6789", validate.CodePhoneInvalid},
		{"letters", "0812-FLOWERS", validate.CodePhoneInvalid},
		{"label", "HP 081234567890", validate.CodePhoneInvalid},
		{"two numbers", "081234567890/085712345678", validate.CodePhoneInvalid},
		{"plus in the middle", "0812+34567890", validate.CodePhoneInvalid},
		{"double plus", "++6281234567890", validate.CodePhoneInvalid},
		{"only country code", "+62", validate.CodePhoneInvalid},
		{"unknown country code", "+999 1234 5678", validate.CodePhoneInvalid},
		{"junk", "halo kak", validate.CodePhoneInvalid},
		{"emoji", "📱081234567890", validate.CodePhoneInvalid},
		{"full-width digits", "０８１２３４５６７８９０", validate.CodePhoneInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.NormalizePhone(tt.in)
			if code := validate.CodeOf(err); code != tt.want || got != "" {
				t.Errorf("NormalizePhone(%q) = %q, %v; want code %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"0812-3456-7890", "628123456789", "+62 812 3456 789", "+62(812)34567890", "62-812-3456-7890",
		"+62 0812 3456 7890", "0062 812 3456 7890", "812 3456 7890", "021-5551234", "+60 12-345 6789",
		"0841 2345 6789", "", "+", "00", "620", "+62 (0) 812", "0812-FLOWERS",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := validate.NormalizePhone(s)
		if err != nil {
			if validate.CodeOf(err) == "" {
				t.Fatalf("NormalizePhone(%q) error without code: %v", s, err)
			}
			return
		}
		if !strings.HasPrefix(out, "+628") {
			t.Fatalf("NormalizePhone(%q) = %q, not an Indonesian mobile", s, out)
		}
		again, err := validate.NormalizePhone(out)
		if err != nil || again != out {
			t.Fatalf("round trip: NormalizePhone(%q) = %q, %v", out, again, err)
		}
	})
}
