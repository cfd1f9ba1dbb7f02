package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "saya mau daftar", "saya mau daftar"},
		{"lines and tabs kept", "baris 1\nbaris\t2", "baris 1\nbaris\t2"},
		{"emoji kept", "makasih 🙏🏽", "makasih 🙏🏽"},
		{"NUL", "halo\x00kak", "halokak"},
		{"controls", "a\x01b\x1bc\x7fd\u0085e", "abcde"},
		{"invalid UTF-8", "bu\xffdi", "bu\uFFFDdi"},
		{"bidi override", "nama \u202eilA\u202c saya", "nama ilA saya"},
		{"bidi isolate", "\u2067x\u2069", "x"},
		{"zero width kept for the validators", "bu\u200bdi", "bu\u200bdi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := clean(tc.in); got != tc.want {
				t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCleanBoundsLength(t *testing.T) {
	long := strings.Repeat("é", maxInboundBytes) // two bytes each: the cut falls inside one
	got := clean(long)
	if len(got) > maxInboundBytes || !utf8.ValidString(got) {
		t.Fatalf("len %d, valid %v", len(got), utf8.ValidString(got))
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "halo", "\x00", "\xff\xfe", "\u202e", strings.Repeat("a", maxInboundBytes+3)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := clean(s)
		if !utf8.ValidString(got) || len(got) > maxInboundBytes {
			t.Fatalf("clean(%q) = %q", s, got)
		}
		if strings.ContainsRune(got, 0) {
			t.Fatalf("NUL left in %q", got)
		}
		if clean(got) != got {
			t.Fatalf("clean is not idempotent on %q", s)
		}
	})
}

func BenchmarkCleanPlain(b *testing.B) {
	s := "brp iuran sebulan kak, saya ojol di bandung"
	for b.Loop() {
		_ = clean(s)
	}
}

func TestMaskText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"nik saya 3201011501900001 kak", "nik saya 3201*********001 kak"},
		{"hp 0812 3456 7890 ya", "hp 0812 **** *890 ya"},
		{"3201-0115-0190-0001", "3201-****-****-*001"},
		{"+62 812.3456.7890", "+62 81*.****.*890"},
		{"iuran 16.800 sebulan, 3 bulan", "iuran 16.800 sebulan, 3 bulan"},
		{"gaji 2.500.000", "gaji 2.500.000"},
		{"tgl 15 2026", "tgl 15 2026"},
	} {
		if got := MaskText(tc.in); got != tc.want {
			t.Errorf("MaskText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
