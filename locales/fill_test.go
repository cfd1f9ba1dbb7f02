package locales

import (
	"strings"
	"testing"
)

func TestFill(t *testing.T) {
	for _, c := range []struct {
		s    string
		args []any
		want string
	}{
		{"no braces", []any{"n", 1}, "no braces"},
		{"{n} bulan: {amount}", []any{"n", 3, "amount", "Rp50.400"}, "3 bulan: Rp50.400"},
		{"{n} dan {n}", []any{"n", 2}, "2 dan 2"},
		{"{unknown} tetap", []any{"n", 1}, "{unknown} tetap"},
		{"{a {b}", []any{"b", "x"}, "{a x"},
		{"ujung {terbuka", []any{"terbuka", "x"}, "ujung {terbuka"},
		{"{v}", []any{"v", "{v}"}, "{v}"}, // a value is not expanded again
		{"{1}", []any{1, "satu"}, "satu"},
		{"{}", []any{"", "kosong"}, "kosong"},
		{"odd {n}", []any{"n"}, "odd {n}"},
	} {
		if got := fill(c.s, c.args); got != c.want {
			t.Errorf("fill(%q, %v) = %q, want %q", c.s, c.args, got, c.want)
		}
	}
}

func BenchmarkFill(b *testing.B) {
	s := "Iuran {programmes} untuk {months} bulan: {amount}. Bayar sebelum {due}."
	args := []any{"programmes", "JKK + JKM", "months", 3, "amount", "Rp50.400", "due", "15 Desember 2026"}
	b.Run("fill", func(b *testing.B) {
		for b.Loop() {
			fill(s, args)
		}
	})
	b.Run("replacer", func(b *testing.B) {
		for b.Loop() {
			pairs := []string{"{programmes}", "JKK + JKM", "{months}", "3", "{amount}", "Rp50.400", "{due}", "15 Desember 2026"}
			strings.NewReplacer(pairs...).Replace(s)
		}
	})
}
