package validate_test

import (
	"testing"
	"time"

	"bpubot/flows/validate"
)

// wib is a fixed UTC+7 zone so tests need no tzdata.
var wib = time.FixedZone("WIB", 7*3600)

// testNow is the clock for tests that do not set their own.
var testNow = time.Date(2025, time.June, 15, 10, 0, 0, 0, wib)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// All NIKs below are made up to satisfy the format; none is a real person's.
func TestParseNIK(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		now      time.Time
		number   string
		province string
		regency  string
		city     bool
		district string
		birth    time.Time
		female   bool
		serial   string
	}{
		{"man, kabupaten", "3201011203900001", testNow, "3201011203900001", "32", "01", false, "01", date(1990, 3, 12), false, "0001"},
		{"woman, day plus 40", "3273025203900002", testNow, "3273025203900002", "32", "73", true, "02", date(1990, 3, 12), true, "0002"},
		{"woman born on the 1st", "3578104101850123", testNow, "3578104101850123", "35", "78", true, "10", date(1985, 1, 1), true, "0123"},
		{"woman born on the 31st", "3174057101950009", testNow, "3174057101950009", "31", "74", true, "05", date(1995, 1, 31), true, "0009"},
		{"spaces", "3201 0112 0390 0001", testNow, "3201011203900001", "32", "01", false, "01", date(1990, 3, 12), false, "0001"},
		{"dots", "3201.01.120390.0001", testNow, "3201011203900001", "32", "01", false, "01", date(1990, 3, 12), false, "0001"},
		{"dashes", "3201-01-120390-0001", testNow, "3201011203900001", "32", "01", false, "01", date(1990, 3, 12), false, "0001"},
		{"mixed separators and padding", "  3201 - 01.12 0390\u00a00001 \n", testNow, "3201011203900001", "32", "01", false, "01", date(1990, 3, 12), false, "0001"},
		{"regency 70 is a kabupaten", "7370011203900001", testNow, "7370011203900001", "73", "70", false, "01", date(1990, 3, 12), false, "0001"},
		{"regency 71 is a kota", "7371011203900001", testNow, "7371011203900001", "73", "71", true, "01", date(1990, 3, 12), false, "0001"},
		{"regency 99", "1299011203900001", testNow, "1299011203900001", "12", "99", true, "01", date(1990, 3, 12), false, "0001"},
		{"serial 9999", "5103011203909999", testNow, "5103011203909999", "51", "03", false, "01", date(1990, 3, 12), false, "9999"},
		{"Papua Selatan 93", "9301011203900001", testNow, "9301011203900001", "93", "01", false, "01", date(1990, 3, 12), false, "0001"},
		{"Papua Barat Daya 96", "9671011203900001", testNow, "9671011203900001", "96", "71", true, "01", date(1990, 3, 12), false, "0001"},
		{"leap day 2000", "3201012902000003", testNow, "3201012902000003", "32", "01", false, "01", date(2000, 2, 29), false, "0003"},
		{"leap day 1996, woman", "3201016902960004", testNow, "3201016902960004", "32", "01", false, "01", date(1996, 2, 29), true, "0004"},
		{"yy equal to now, earlier this year", "3201011005250007", testNow, "3201011005250007", "32", "01", false, "01", date(2025, 5, 10), false, "0007"},
		{"born today", "3201011506250007", testNow, "3201011506250007", "32", "01", false, "01", date(2025, 6, 15), false, "0007"},
		{"yy equal to now, later this year goes back a century", "3201011007250008", testNow, "3201011007250008", "32", "01", false, "01", date(1925, 7, 10), false, "0008"},
		{"tomorrow goes back a century", "3201011606250008", testNow, "3201011606250008", "32", "01", false, "01", date(1925, 6, 16), false, "0008"},
		{"yy just above now", "3201011203260001", testNow, "3201011203260001", "32", "01", false, "01", date(1926, 3, 12), false, "0001"},
		{"yy 00", "3201011203000001", testNow, "3201011203000001", "32", "01", false, "01", date(2000, 3, 12), false, "0001"},
		{"yy 99", "3201011203990001", testNow, "3201011203990001", "32", "01", false, "01", date(1999, 3, 12), false, "0001"},
		{"today is decided in now's zone", "3201011506250007",
			time.Date(2025, 6, 14, 17, 30, 0, 0, time.UTC).In(wib), // 00:30 WIB on the 15th
			"3201011506250007", "32", "01", false, "01", date(2025, 6, 15), false, "0007"},
		{"next century", "3201011203100001", time.Date(2105, 1, 1, 0, 0, 0, 0, wib), "3201011203100001", "32", "01", false, "01", date(2010, 3, 12), false, "0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ParseNIK(tt.in, tt.now)
			if err != nil {
				t.Fatalf("ParseNIK(%q) error %v", tt.in, err)
			}
			if got.Number != tt.number || got.Province.Code != tt.province || got.RegencyCode != tt.regency ||
				got.IsCity != tt.city || got.DistrictCode != tt.district || !got.BirthDate.Equal(tt.birth) ||
				got.Female != tt.female || got.Serial != tt.serial {
				t.Errorf("ParseNIK(%q) = %+v", tt.in, got)
			}
			if got.BirthDate.Location() != time.UTC {
				t.Errorf("BirthDate location %v, want UTC", got.BirthDate.Location())
			}
		})
	}
}

func TestParseNIKProvince(t *testing.T) {
	got, err := validate.ParseNIK("3471011203900001", testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := validate.Province{Code: "34", Name: "DI Yogyakarta", NameEN: "Special Region of Yogyakarta", TimeZone: "Asia/Jakarta"}
	if got.Province != want {
		t.Errorf("Province = %+v, want %+v", got.Province, want)
	}
}

func TestParseNIKErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		now  time.Time
		want validate.Code
	}{
		{"empty", "", testNow, validate.CodeEmpty},
		{"blank", "  \t ", testNow, validate.CodeEmpty},
		{"15 digits", "320101120390000", testNow, validate.CodeNIKLength},
		{"17 digits", "32010112039000011", testNow, validate.CodeNIKLength},
		{"a phone number", "081234567890", testNow, validate.CodeNIKLength},
		{"very long", "3201011203900001320101120390000132010112039000013201011203900001", testNow, validate.CodeNIKLength},
		{"letter O for zero", "32O1011203900001", testNow, validate.CodeNIKDigits},
		{"slashes", "3201/01/120390/0001", testNow, validate.CodeNIKDigits},
		{"masked", "3201********0001", testNow, validate.CodeNIKDigits},
		{"leading dash", "-3201011203900001", testNow, validate.CodeNIKDigits},
		{"trailing dot", "3201011203900001.", testNow, validate.CodeNIKDigits},
		{"label", "NIK 3201011203900001", testNow, validate.CodeNIKDigits},
		{"full-width digits", "３２０１０１１２０３９００００１", testNow, validate.CodeNIKDigits},
		{"province 00", "0001011203900001", testNow, validate.CodeNIKProvince},
		{"province 20", "2001011203900001", testNow, validate.CodeNIKProvince},
		{"province 97", "9701011203900001", testNow, validate.CodeNIKProvince},
		{"regency 00", "3200011203900001", testNow, validate.CodeNIKRegency},
		{"district 00", "3201001203900001", testNow, validate.CodeNIKDistrict},
		{"day 00", "3201010003900001", testNow, validate.CodeNIKBirthdate},
		{"day 32", "3201013203900001", testNow, validate.CodeNIKBirthdate},
		{"day 40", "3201014003900001", testNow, validate.CodeNIKBirthdate},
		{"day 72", "3201017203900001", testNow, validate.CodeNIKBirthdate},
		{"month 00", "3201011200900001", testNow, validate.CodeNIKBirthdate},
		{"month 13", "3201011213900001", testNow, validate.CodeNIKBirthdate},
		{"31 April", "3201013104900001", testNow, validate.CodeNIKBirthdate},
		{"31 April, woman", "3201017104900001", testNow, validate.CodeNIKBirthdate},
		{"29 Feb in a common year", "3201012902010005", testNow, validate.CodeNIKBirthdate},
		{"29 Feb, woman, common year", "3201016902970005", testNow, validate.CodeNIKBirthdate},
		{"30 Feb", "3201013002000005", testNow, validate.CodeNIKBirthdate},
		{"29 Feb 00 before it happened means 1900", "3201012902000003", time.Date(2000, 1, 15, 0, 0, 0, 0, wib), validate.CodeNIKBirthdate},
		{"serial 0000", "3201011203900000", testNow, validate.CodeNIKSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ParseNIK(tt.in, tt.now)
			if code := validate.CodeOf(err); code != tt.want {
				t.Fatalf("ParseNIK(%q) = %+v, %v; want code %q", tt.in, got, err, tt.want)
			}
			if got != (validate.NIK{}) {
				t.Errorf("ParseNIK(%q) returned %+v with an error", tt.in, got)
			}
		})
	}
}

func TestNIKAge(t *testing.T) {
	man, err := validate.ParseNIK("3201011203900001", testNow)
	if err != nil {
		t.Fatal(err)
	}
	leap, err := validate.ParseNIK("3201016902000004", testNow)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		nik  validate.NIK
		now  time.Time
		want int
	}{
		{"day before birthday", man, time.Date(2025, 3, 11, 23, 59, 0, 0, wib), 34},
		{"on birthday", man, time.Date(2025, 3, 12, 0, 0, 0, 0, wib), 35},
		{"birthday in WIB, still the day before in UTC", man, time.Date(2025, 3, 11, 17, 30, 0, 0, time.UTC).In(wib), 35},
		{"later in the year", man, testNow, 35},
		{"leap birthday, 28 Feb of a common year", leap, time.Date(2025, 2, 28, 12, 0, 0, 0, wib), 24},
		{"leap birthday, 1 Mar of a common year", leap, time.Date(2025, 3, 1, 12, 0, 0, 0, wib), 25},
		{"leap birthday, 29 Feb", leap, time.Date(2024, 2, 29, 12, 0, 0, 0, wib), 24},
		{"newborn", leap, time.Date(2000, 2, 29, 12, 0, 0, 0, wib), 0},
		{"before birth", leap, time.Date(1999, 1, 1, 0, 0, 0, 0, wib), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.nik.Age(tt.now); got != tt.want {
				t.Errorf("Age(%v) = %d, want %d", tt.now, got, tt.want)
			}
		})
	}
}

func FuzzParseNIK(f *testing.F) {
	for _, s := range []string{
		"3201011203900001", "3273025203900002", "3201 0112 0390 0001", "3201-01-120390-0001",
		"3201.01.120390.0001", "3201012902000003", "3201012902010005", "3201011007250008",
		"3201********0001", "", " ", "-", "0000000000000000", "9671011203909999", "32010112039000011",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := validate.ParseNIK(s, testNow)
		if err != nil {
			if validate.CodeOf(err) == "" {
				t.Fatalf("ParseNIK(%q) error without code: %v", s, err)
			}
			return
		}
		again, err := validate.ParseNIK(n.Number, testNow)
		if err != nil || again != n {
			t.Fatalf("round trip: ParseNIK(%q) = %+v, %v; first %+v", n.Number, again, err, n)
		}
		if len(n.Number) != 16 || n.BirthDate.After(testNow) || n.Age(testNow) < 0 || n.Age(testNow) > 100 {
			t.Fatalf("ParseNIK(%q) = %+v out of range", s, n)
		}
	})
}
