package validate_test

import (
	"fmt"
	"testing"
	"time"

	"bpubot/flows/validate"
)

func TestParseDate(t *testing.T) {
	mar12 := date(1990, 3, 12)
	tests := []struct {
		in   string
		want time.Time
	}{
		// Numeric, day first.
		{"12-03-1990", mar12},
		{"12/3/90", mar12},
		{"12.03.1990", mar12},
		{"12 03 1990", mar12},
		{"12 - 03 - 1990", mar12},
		{"12031990", mar12},
		{"120390", mar12},
		{"03/12/1990", date(1990, 12, 3)},
		{"1/1/2000", date(2000, 1, 1)},
		{"  12-03-1990\n", mar12},
		// ISO, year first.
		{"1990-03-12", mar12},
		{"1990/3/12", mar12},
		// Month names.
		{"12 Maret 1990", mar12},
		{"12 MARET 1990", mar12},
		{"12 mar 1990", mar12},
		{"12 maret 90", mar12},
		{"12-Mar-1990", mar12},
		{"12maret1990", mar12},
		{"12 March 1990", mar12},
		{"March 12, 1990", mar12},
		{"12th March 1990", mar12},
		{"12-III-1990", mar12},
		{"tgl 12 maret 1990", mar12},
		{"Tgl. lahir: 12 Maret 1990", date(1990, 3, 12)},
		{"Senin, 12 Maret 1990", mar12},
		{"lahir tanggal 12 mrt '90", mar12},
		{"1 Januari 1990", date(1990, 1, 1)},
		{"1 jan 1990", date(1990, 1, 1)},
		{"1 Februari 1990", date(1990, 2, 1)},
		{"1 Pebruari 1990", date(1990, 2, 1)},
		{"1 feb 1990", date(1990, 2, 1)},
		{"1 Febuari 1990", date(1990, 2, 1)},
		{"1 February 1990", date(1990, 2, 1)},
		{"1 April 1990", date(1990, 4, 1)},
		{"1 apr 1990", date(1990, 4, 1)},
		{"1 Mei 1990", date(1990, 5, 1)},
		{"1 May 1990", date(1990, 5, 1)},
		{"1 Juni 1990", date(1990, 6, 1)},
		{"1 jun 1990", date(1990, 6, 1)},
		{"1 June 1990", date(1990, 6, 1)},
		{"1 Juli 1990", date(1990, 7, 1)},
		{"1 jul 1990", date(1990, 7, 1)},
		{"17 Agustus 1990", date(1990, 8, 17)},
		{"17 agu 1990", date(1990, 8, 17)},
		{"17 agt 1990", date(1990, 8, 17)},
		{"17 ags 1990", date(1990, 8, 17)},
		{"17 Agustud 1990", date(1990, 8, 17)},
		{"17 August 1990", date(1990, 8, 17)},
		{"5 September 1990", date(1990, 9, 5)},
		{"5 sep 1990", date(1990, 9, 5)},
		{"5 sept 1990", date(1990, 9, 5)},
		{"5 Septemper 1990", date(1990, 9, 5)},
		{"5 Oktober 1990", date(1990, 10, 5)},
		{"5 okt 1990", date(1990, 10, 5)},
		{"5 October 1990", date(1990, 10, 5)},
		{"5 November 1990", date(1990, 11, 5)},
		{"5 Nopember 1990", date(1990, 11, 5)},
		{"5 nop 1990", date(1990, 11, 5)},
		{"5 Desember 1990", date(1990, 12, 5)},
		{"5 des 1990", date(1990, 12, 5)},
		{"5 December 1990", date(1990, 12, 5)},
		{"5 Desemberr 1990", date(1990, 12, 5)},
		// Calendar edges.
		{"29-02-2000", date(2000, 2, 29)},
		{"29-02-1996", date(1996, 2, 29)},
		{"31-12-1999", date(1999, 12, 31)},
		{"1-1-1900", date(1900, 1, 1)},
		// Two-digit years against now = 15 June 2025.
		{"12-03-25", date(2025, 3, 12)},
		{"15-06-25", date(2025, 6, 15)},
		{"16-06-25", date(1925, 6, 16)},
		{"12-07-25", date(1925, 7, 12)},
		{"12-03-26", date(1926, 3, 12)},
		{"12-03-00", date(2000, 3, 12)},
		{"29-02-00", date(2000, 2, 29)},
		{"12-03-99", date(1999, 3, 12)},
		// Today.
		{"15-06-2025", date(2025, 6, 15)},
		{"15 Juni 2025", date(2025, 6, 15)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := validate.ParseDate(tt.in, testNow)
			if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseDateNowZone(t *testing.T) {
	// 00:30 WIB on 15 June is still 14 June in UTC: today is decided in now's zone.
	now := time.Date(2025, 6, 14, 17, 30, 0, 0, time.UTC).In(wib)
	if _, err := validate.ParseDate("15-06-2025", now); err != nil {
		t.Errorf("today in WIB rejected: %v", err)
	}
	if _, err := validate.ParseDate("15-06-2025", now.UTC()); validate.CodeOf(err) != validate.CodeDateFuture {
		t.Errorf("tomorrow in UTC accepted: %v", err)
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in   string
		now  time.Time
		want validate.Code
	}{
		{"", testNow, validate.CodeEmpty},
		{"   ", testNow, validate.CodeEmpty},
		{"tgl", testNow, validate.CodeEmpty},
		{"kemarin", testNow, validate.CodeDateInvalid},
		{"12 maret", testNow, validate.CodeDateInvalid},
		{"maret 1990", testNow, validate.CodeDateInvalid},
		{"1990", testNow, validate.CodeDateInvalid},
		{"12-03-199", testNow, validate.CodeDateInvalid},
		{"12-03-19900", testNow, validate.CodeDateInvalid},
		{"123-03-1990", testNow, validate.CodeDateInvalid},
		{"12-003-1990", testNow, validate.CodeDateInvalid},
		{"12-03-1990-5", testNow, validate.CodeDateInvalid},
		{"12 ju 1990", testNow, validate.CodeDateInvalid},
		{"12 ma 1990", testNow, validate.CodeDateInvalid},
		{"12 jux 1990", testNow, validate.CodeDateInvalid},
		{"12 bulan 1990", testNow, validate.CodeDateInvalid},
		{"12-13-1990", testNow, validate.CodeDateInvalid},
		{"12-00-1990", testNow, validate.CodeDateInvalid},
		{"00-01-1990", testNow, validate.CodeDateInvalid},
		{"32-01-1990", testNow, validate.CodeDateInvalid},
		{"31-04-1990", testNow, validate.CodeDateInvalid},
		{"30 Februari 2000", testNow, validate.CodeDateInvalid},
		{"29-02-2001", testNow, validate.CodeDateInvalid},
		{"29-02-1900", testNow, validate.CodeDateInvalid},
		{"31-12-1899", testNow, validate.CodeDateInvalid},
		{"0012-03-12", testNow, validate.CodeDateInvalid},
		{"12/03/1990 10:00", testNow, validate.CodeDateInvalid},
		{"12_03_1990", testNow, validate.CodeDateInvalid},
		{"1203199", testNow, validate.CodeDateInvalid},
		{"12 March 12 1990", testNow, validate.CodeDateInvalid},
		{"29-02-00", time.Date(2000, 1, 15, 0, 0, 0, 0, wib), validate.CodeDateInvalid},
		{"16-06-2025", testNow, validate.CodeDateFuture},
		{"12-07-2025", testNow, validate.CodeDateFuture},
		{"1 Januari 2030", testNow, validate.CodeDateFuture},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := validate.ParseDate(tt.in, tt.now)
			if code := validate.CodeOf(err); code != tt.want || !got.IsZero() {
				t.Errorf("ParseDate(%q) = %v, %v; want code %q", tt.in, got, err, tt.want)
			}
		})
	}
}

var indonesianMonths = []string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni",
	"Juli", "Agustus", "September", "Oktober", "November", "Desember"}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"12-03-1990", "12/3/90", "12.03.1990", "12 Maret 1990", "12 mar 1990", "12 maret 90", "1990-03-12",
		"12 March 1990", "March 12, 1990", "12-III-1990", "120390", "29-02-2000", "29-02-2001", "16-06-25",
		"tgl 12 agt 1990", "Senin, 12 Maret 1990", "", "12 ju 1990", "9999-99-99",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := validate.ParseDate(s, testNow)
		if err != nil {
			if validate.CodeOf(err) == "" {
				t.Fatalf("ParseDate(%q) error without code: %v", s, err)
			}
			return
		}
		if d.After(testNow) || d.Year() < validate.MinYear || d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v out of range", s, d)
		}
		for _, text := range []string{
			d.Format("02-01-2006"),
			fmt.Sprintf("%d %s %d", d.Day(), indonesianMonths[d.Month()], d.Year()),
			d.Format("2006-01-02"),
		} {
			again, err := validate.ParseDate(text, testNow)
			if err != nil || !again.Equal(d) {
				t.Fatalf("round trip: ParseDate(%q) = %v, %v; want %v", text, again, err, d)
			}
		}
	})
}
