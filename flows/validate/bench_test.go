package validate_test

import (
	"strings"
	"testing"

	"bpubot/flows/validate"
)

func BenchmarkMatchProvinceLong(b *testing.B) {
	in := strings.Repeat("kab bogor ", 9) + "jwa barat"
	for b.Loop() {
		validate.MatchProvince(in)
	}
}

func BenchmarkMatchProvinceTypo(b *testing.B) {
	for b.Loop() {
		validate.MatchProvince("jwa barat")
	}
}

func BenchmarkValidateNameLong(b *testing.B) {
	in := strings.Repeat("budi ", 120)
	for b.Loop() {
		validate.ValidateName(in)
	}
}

func BenchmarkParseRupiah(b *testing.B) {
	for b.Loop() {
		validate.ParseRupiah("satu juta lima ratus ribu")
	}
}

func BenchmarkParseDate(b *testing.B) {
	for b.Loop() {
		validate.ParseDate("12 Septemper 1990", testNow)
	}
}
