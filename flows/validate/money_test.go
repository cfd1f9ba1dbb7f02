package validate_test

import (
	"strconv"
	"strings"
	"testing"

	"bpubot/flows/validate"
)

func TestParseRupiah(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"2500000", 2500000},
		{"2.500.000", 2500000},
		{"2,500,000", 2500000},
		{"Rp 2.500.000", 2500000},
		{"Rp. 2.500.000", 2500000},
		{"Rp2.500.000", 2500000},
		{"RP 2.500.000,-", 2500000},
		{"Rp1.000.000,-", 1000000},
		{"1.000.000,-", 1000000},
		{"1.000.000.-", 1000000},
		{"1.000.000,00", 1000000},
		{"1,000,000.00", 1000000},
		{"IDR 1,500,000", 1500000},
		{"1.500.000 rupiah", 1500000},
		{"rp2.5jt", 2500000},
		{"2,5 juta", 2500000},
		{"2.5 juta", 2500000},
		{"2,5jt", 2500000},
		{"2.5JT", 2500000},
		{"2,25 juta", 2250000},
		{"0,5 juta", 500000},
		{"3 jt", 3000000},
		{"3jt", 3000000},
		{"3 juta", 3000000},
		{"3 jutaan", 3000000},
		{"2500rb", 2500000},
		{"2500 ribu", 2500000},
		{"2.500 ribu", 2500000},
		{"2.500k", 2500000},
		{"1500K", 1500000},
		{"800 rb", 800000},
		{"800 rebu", 800000},
		{"1 juta 500 ribu", 1500000},
		{"1jt 500rb", 1500000},
		{"2 juta 750 ribu", 2750000},
		{"1 miliar", 1000000000},
		{"satu juta", 1000000},
		{"sejuta", 1000000},
		{"dua juta", 2000000},
		{"dua juta lima ratus ribu", 2500000},
		{"setengah juta", 500000},
		{"satu setengah juta", 1500000},
		{"1 setengah juta", 1500000},
		{"lima ratus ribu", 500000},
		{"5 ratus ribu", 500000},
		{"seratus lima puluh ribu", 150000},
		{"dua puluh juta", 20000000},
		{"sebelas juta", 11000000},
		{"dua belas juta", 12000000},
		{"seribu", 1000},
		{"sembilan ratus sembilan puluh sembilan ribu", 999000},
		{"2,5 jt/bln", 2500000},
		{"2,5 juta per bulan", 2500000},
		{"2 juta sebulan", 2000000},
		{"sekitar 2 juta", 2000000},
		{"kira-kira 2 juta", 2000000},
		{"± 2 juta", 2000000},
		{"+- 2jt", 2000000},
		{"2.500", 2500},
		{"2,500", 2500},
		{"25.00", 25},
		{"0", 0},
		{"  2500000  ", 2500000},
		{"20.700.000", 20700000},
		{"1.000.000.000.000.000", validate.MaxRupiah},
		{"1 juta dan 500 ribu", 1500000},
		// English.
		{"2 million", 2000000},
		{"2 Million", 2000000},
		{"2 millions", 2000000},
		{"2m", 2000000},
		{"2M", 2000000},
		{"2 m", 2000000},
		{"2.5 million", 2500000},
		{"2,5 million", 2500000},
		{"1.5m", 1500000},
		{"2 mil", 2000000},
		{"2 mln", 2000000},
		{"3 mio", 3000000},
		{"two million", 2000000},
		{"Two Million", 2000000},
		{"a million", 1000000},
		{"half a million", 500000},
		{"one and a half million", 1500000},
		{"2 and a half million", 2500000},
		{"twenty five million", 25000000},
		{"twenty-five million", 25000000},
		{"twelve million", 12000000},
		{"fifteen million", 15000000},
		{"ten million", 10000000},
		{"five hundred thousand", 500000},
		{"five hundred and fifty thousand", 550000},
		{"a hundred thousand", 100000},
		{"one million five hundred thousand", 1500000},
		{"2500 thousand", 2500000},
		{"1 billion", 1000000000},
		{"IDR 2,000,000", 2000000},
		{"IDR 2.000.000", 2000000},
		{"Rp 2.000.000", 2000000},
		{"2,000,000 rupiah", 2000000},
		{"2 million per month", 2000000},
		{"2 million a month", 2000000},
		{"about 2 million", 2000000},
		{"around 2.5m monthly", 2500000},
		{"roughly 3 million rupiah", 3000000},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := validate.ParseRupiah(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseRupiah(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseRupiahErrors(t *testing.T) {
	tests := []struct {
		in   string
		want validate.Code
	}{
		{"", validate.CodeEmpty},
		{"   ", validate.CodeEmpty},
		{"rp", validate.CodeMoneyInvalid},
		{"juta", validate.CodeMoneyInvalid},
		{"gak tau", validate.CodeMoneyInvalid},
		{"2-3 juta", validate.CodeMoneyInvalid},
		{"2 - 3 juta", validate.CodeMoneyInvalid},
		{"2 juta 500", validate.CodeMoneyInvalid},
		{"2jt500", validate.CodeMoneyInvalid},
		{"500 ribu 1 juta", validate.CodeMoneyInvalid},
		{"1 juta 1500 ribu", validate.CodeMoneyInvalid},
		{"1 juta 2 juta", validate.CodeMoneyInvalid},
		{"2 3", validate.CodeMoneyInvalid},
		{"2, 5 juta", validate.CodeMoneyInvalid},
		{"25.00.000", validate.CodeMoneyInvalid},
		{"2.500.00", validate.CodeMoneyInvalid},
		{"2500.000", validate.CodeMoneyInvalid},
		{"1.000,000.00", validate.CodeMoneyInvalid},
		{"2,5", validate.CodeMoneyInvalid},
		{"2.50", validate.CodeMoneyInvalid},
		{"1.000.000,50", validate.CodeMoneyInvalid},
		{"1,2345678 juta", validate.CodeMoneyInvalid},
		{"-500000", validate.CodeMoneyInvalid},
		{"2 juta 2", validate.CodeMoneyInvalid},
		{"dua tiga juta", validate.CodeMoneyInvalid},
		{"puluh juta", validate.CodeMoneyInvalid},
		{"lima puluh ratus ribu", validate.CodeMoneyInvalid},
		{"setengah", validate.CodeMoneyInvalid},
		{"2,5 setengah juta", validate.CodeMoneyInvalid},
		{"$2000", validate.CodeMoneyInvalid},
		{"2jt 😀", validate.CodeMoneyInvalid},
		{"2e6", validate.CodeMoneyInvalid},
		{"million", validate.CodeMoneyInvalid},
		{"a", validate.CodeMoneyInvalid},
		{"a month", validate.CodeMoneyInvalid},
		{"half", validate.CodeMoneyInvalid},
		{"2 or 3 million", validate.CodeMoneyInvalid},
		{"2 to 3 million", validate.CodeMoneyInvalid},
		{"two three million", validate.CodeMoneyInvalid},
		{"2 million 500", validate.CodeMoneyInvalid},
		{"-twenty million", validate.CodeMoneyInvalid},
		{"twenty- million", validate.CodeMoneyInvalid},
		{"$2 million", validate.CodeMoneyInvalid},
		{"2 million dollars", validate.CodeMoneyInvalid},
		{"2 juta atau 3 juta", validate.CodeMoneyInvalid},
		{"dan", validate.CodeMoneyInvalid},
		{strings.Repeat("1", 65), validate.CodeMoneyInvalid},
		{"1.000.000.000.000.001", validate.CodeMoneyHigh},
		{"999999999999999999999999", validate.CodeMoneyHigh},
		{"1000001 miliar", validate.CodeMoneyHigh},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := validate.ParseRupiah(tt.in)
			if code := validate.CodeOf(err); code != tt.want || got != 0 {
				t.Errorf("ParseRupiah(%q) = %d, %v; want code %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCheckIncome(t *testing.T) {
	const lo, hi = 1_000_000, 20_700_000
	tests := []struct {
		name   string
		amount int64
		want   validate.Code
	}{
		{"minimum", lo, ""},
		{"maximum", hi, ""},
		{"between", 2_500_000, ""},
		{"one below", lo - 1, validate.CodeMoneyLow},
		{"zero", 0, validate.CodeMoneyLow},
		{"negative", -5, validate.CodeMoneyLow},
		{"one above", hi + 1, validate.CodeMoneyHigh},
		{"huge", validate.MaxRupiah, validate.CodeMoneyHigh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate.CheckIncome(tt.amount, lo, hi)
			if code := validate.CodeOf(err); code != tt.want {
				t.Errorf("CheckIncome(%d) = %v, want code %q", tt.amount, err, tt.want)
			}
			if err != nil && err.(*validate.Error).Field != validate.FieldIncome {
				t.Errorf("field %q, want %q", err.(*validate.Error).Field, validate.FieldIncome)
			}
		})
	}
}

// rupiahDots writes n as Indonesians do: 2500000 becomes "2.500.000".
func rupiahDots(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

func FuzzParseRupiah(f *testing.F) {
	for _, s := range []string{
		"2500000", "2.500.000", "2,500,000", "Rp 2.500.000", "rp2.5jt", "2,5 juta", "2.5 juta", "2,5jt",
		"2500rb", "2500 ribu", "2.500k", "3 jt", "1 juta 500 ribu", "satu setengah juta", "Rp1.000.000,-",
		"1.000.000,00", "2-3 juta", "2 juta 500", "", "-", ",-", "seratus", "9999999999999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := validate.ParseRupiah(s)
		if err != nil {
			if validate.CodeOf(err) == "" {
				t.Fatalf("ParseRupiah(%q) error without code: %v", s, err)
			}
			return
		}
		if n < 0 || n > validate.MaxRupiah {
			t.Fatalf("ParseRupiah(%q) = %d out of range", s, n)
		}
		for _, text := range []string{strconv.FormatInt(n, 10), rupiahDots(n), "Rp" + rupiahDots(n) + ",-"} {
			again, err := validate.ParseRupiah(text)
			if err != nil || again != n {
				t.Fatalf("round trip: ParseRupiah(%q) = %d, %v; want %d (from %q)", text, again, err, n, s)
			}
		}
	})
}
