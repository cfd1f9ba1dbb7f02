package validate_test

import (
	"testing"

	"bpubot/flows/validate"
)

func TestMaskText(t *testing.T) {
	for in, want := range map[string]string{
		"nik saya 3201010101900001 ya":          "nik saya 3201********0001 ya",
		"NIK 3201 0101 0190 0001":               "NIK 3201********0001",
		"hp 081234567890 atau +62 812-3456-789": "hp 0812*****890 atau +62812****789",
		"gaji Rp 20.000.000 sebulan":            "gaji Rp 20.000.000 sebulan",
		"bayar 50000 kemarin":                   "bayar 50000 kemarin",
		"tanpa angka":                           "tanpa angka",
	} {
		if got := validate.MaskText(in); got != want {
			t.Errorf("MaskText(%q) = %q, want %q", in, got, want)
		}
	}
}
