package validate_test

import (
	"strings"
	"testing"

	"bpubot/flows/validate"
)

func TestFindRupiah(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"brp iuran kalo gaji 2 juta", 2000000},
		{"penghasilan sy 3,5jt sebulan", 3500000},
		{"my income is 2m", 2000000},
		{"my income is 2 million", 2000000},
		{"I earn about 2.5 million a month", 2500000},
		{"how much if my salary is two million", 2000000},
		{"berapa iurannya kalau penghasilan Rp 2.000.000", 2000000},
		{"gaji saya rp2.5jt", 2500000},
		{"gaji 2500000", 2500000},
		{"gaji saya sebulan 2500000 berapa iurannya", 2500000},
		{"penghasilan 2.500.000 per bulan", 2500000},
		{"kalau 2.000.000?", 2000000},
		{"2500000", 2500000},
		{"2.500.000", 2500000},
		{"Rp 2.000.000,-", 2000000},
		{"IDR 2,000,000", 2000000},
		{"2000000 rupiah", 2000000},
		{"iuran 16.800 kan?", 16800},
		{"iuran rp16.800", 16800},
		{"gaji 1 juta 500 ribu", 1500000},
		{"gaji 1 juta dan 500 ribu", 1500000},
		{"gaji satu setengah juta", 1500000},
		{"dua juta lima ratus ribu sebulan", 2500000},
		{"kalo gajinya 500rb gimana", 500000},
		{"penghasilan 800 rb", 800000},
		{"dapet 50k sehari", 50000},
		{"saya punya 2 anak, gaji 3 juta", 3000000},
		{"telat 3 bulan, gaji 2 juta", 2000000},
		{"gaji 2 juta, mau bayar 3 bulan", 2000000},
		{"lahir 15 agustus 1990, gaji 2 juta", 2000000},
		{"gaji agustus 2025 2 juta", 2000000},
		{"gaji 2 juta, 2 juta itu kecil ya", 2000000},
		{"nik 3201010101900001 gaji 2jt", 2000000},
		{"hp 081234567890 gaji 2jt", 2000000},
		{"income: 3 million", 3000000},
		{"income = 3m/month", 3000000},
		{"iuran rp 2025", 2025},
		{"gaji 2500", 2500},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, ok := validate.FindRupiah(tt.in); !ok || got != tt.want {
				t.Errorf("FindRupiah(%q) = %d, %v; want %d", tt.in, got, ok, tt.want)
			}
		})
	}
}

func TestFindRupiahNone(t *testing.T) {
	for _, in := range []string{
		"", "halo", "berapa iurannya", "telat bayar 4 bulan", "sudah 3 bulan tidak bayar", "saya punya 2 anak",
		"dua anak", "umur 35 tahun", "umur saya 35", "lahir 1990", "tahun 2025", "tgl 15",
		"15 agustus 2025", "15/08/2025", "15-08-1990", "2025-08-15", "jam 08.30", "pukul 8:30",
		"3201010101900001", "nik saya 3201010101900001", "081234567890", "0812-3456-7890",
		"+62 812 3456 7890", "+6281234567890", "hp 0812 3456 7890", "rt 03 rw 05", "kode otp 123456",
		"diskon 50%", "gaji 2-3 juta", "gaji 2 - 3 juta", "gaji antara 2 sampai 3 juta", "2 atau 3 juta",
		"between 2 and 3 million", "2 to 3 million", "gaji 2 dan 3 juta", "gaji 2 juta atau 3 juta",
		"gaji 2 juta 500", "gaji 2,5", "gaji 500", "2.500", "1.000 orang", "saya kerja 8 jam", "4x",
		"ke 3", "bulan ke 2", "paket 1", "pilih 2", "juta", "million", "rp", "gaji juta", "satu", "kalau 100",
		"2 juta kemarin, sekarang 3 juta", "rp 0", "gaji 0", "potongan iuran pp 50 2025 itu apa", "iuran 2025",
		"gaji 1990",
		strings.Repeat("gaji 2 juta ", 100),
	} {
		t.Run(in, func(t *testing.T) {
			if got, ok := validate.FindRupiah(in); ok || got != 0 {
				t.Errorf("FindRupiah(%q) = %d, %v; want none", in, got, ok)
			}
		})
	}
}

// Whatever ParseRupiah reads as a positive amount with a unit or in rupiah
// form, FindRupiah finds in a sentence too.
func TestFindRupiahAgreesWithParseRupiah(t *testing.T) {
	for _, in := range []string{
		"2.500.000", "Rp 2.500.000", "2,5 juta", "2.5 juta", "2,5jt", "rp2.5jt", "3 jt", "2500rb", "2.500k",
		"1 juta 500 ribu", "satu juta", "sejuta", "setengah juta", "satu setengah juta", "lima ratus ribu",
		"2 million", "2m", "2.5 million", "1.5m", "two million", "2 mil", "IDR 2,000,000", "half a million",
	} {
		want, err := validate.ParseRupiah(in)
		if err != nil {
			t.Fatalf("ParseRupiah(%q): %v", in, err)
		}
		for _, sentence := range []string{in, "gaji saya " + in + " sebulan", "berapa iurannya kalau " + in + "?"} {
			if got, ok := validate.FindRupiah(sentence); !ok || got != want {
				t.Errorf("FindRupiah(%q) = %d, %v; want %d", sentence, got, ok, want)
			}
		}
	}
}

func FuzzFindRupiah(f *testing.F) {
	for _, s := range []string{
		"brp iuran kalo gaji 2 juta", "penghasilan sy 3,5jt sebulan", "my income is 2m", "telat bayar 4 bulan",
		"nik 3201010101900001", "15/08/2025", "gaji 2-3 juta", "1 juta dan 500 ribu", "half a million",
		"+62 812 3456 7890", "", "rp", "2,-", "twenty-five million", "a a a a", "dan dan 2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := validate.FindRupiah(s)
		if ok != (n > 0) || n < 0 || n > validate.MaxRupiah {
			t.Fatalf("FindRupiah(%q) = %d, %v", s, n, ok)
		}
	})
}
