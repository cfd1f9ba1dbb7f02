package occupation_test

import (
	"slices"
	"testing"

	"bpubot/flows/occupation"
	"bpubot/flows/tariff"
	"bpubot/locales"
)

func TestMatch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ojol", "ojol"},
		{"OJOL", "ojol"},
		{"  buruh_harian ", "buruh_harian"},
		{"saya ngojek di Bekasi", "ojol"},
		{"supir angkot", "ojol"},
		{"youtuber", "kreator"},
		{"Content Creator!", "kreator"},
		{"pembantu", "art"},
		{"pekerja rumah tangga", "art"},
		{"jualan gorengan", "pedagang"},
		{"kurir paket", "kurir"},
		{"melaut", "nelayan"},
		{"tukang bangunan", "buruh_harian"},
		{"lain-lain", "lainnya"},
		{"tanian", ""},
		{"", ""},
		{"dokter", ""},
	}
	for _, tt := range tests {
		if got := occupation.Match(tt.in); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The codes are the tariff's, in its order, and each has a label in every language.
func TestCodesAreTheTariffs(t *testing.T) {
	if got, want := occupation.Codes(), tariff.Default().Occupations(); !slices.Equal(got, want) {
		t.Fatalf("codes %v, tariff has %v", got, want)
	}
	for _, c := range occupation.Codes() {
		for _, lang := range []string{"id", "en"} {
			if !locales.Has(lang, "occupation."+c) {
				t.Errorf("occupation.%s missing from %s.yaml", c, lang)
			}
		}
	}
}
