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

func BenchmarkMatchRegency(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.MatchRegency("32", "kab. bogor")
	}
}

func BenchmarkMatchRegencyTypo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.MatchRegency("15", "saya tinggal di tanjung jabung brat")
	}
}

func BenchmarkFindRegency(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.FindRegency("jakarta selatan")
	}
}

// The slowest path: no regency anywhere, so every name is tried for typos.
func BenchmarkFindRegencyMiss(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.FindRegency("saya belum punya rumah sendiri")
	}
}

func BenchmarkRegencyByCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.RegencyByCode("3201")
	}
}

func BenchmarkParseRupiahEnglish(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.ParseRupiah("one and a half million")
	}
}

func BenchmarkFindRupiah(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		validate.FindRupiah("brp iuran kalo gaji 2 juta, sy udh telat bayar 4 bulan")
	}
}

func BenchmarkFindRupiahLong(b *testing.B) {
	in := strings.Repeat("halo kak saya mau tanya ", 40)
	b.ReportAllocs()
	for b.Loop() {
		validate.FindRupiah(in)
	}
}
