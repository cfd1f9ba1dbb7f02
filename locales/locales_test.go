package locales_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"bpubot/locales"
)

func TestLanguagesHaveTheSameKeys(t *testing.T) {
	id, en := locales.Keys("id"), locales.Keys("en")
	inEN := map[string]bool{}
	for _, k := range en {
		inEN[k] = true
	}
	for _, k := range id {
		if !inEN[k] {
			t.Errorf("key %s is in id.yaml but not en.yaml", k)
		}
		delete(inEN, k)
	}
	for k := range inEN {
		t.Errorf("key %s is in en.yaml but not id.yaml", k)
	}
}

// keyUse finds message keys in code: the literal key argument of Text/t/choice/reject/say
// helpers and of flow tables (Ask, Cancelled, Resume, BackTo, invalid, picked...), and keys
// built from a literal prefix, which are listed as prefixes.
var keyUse = regexp.MustCompile(`(?:Text\([^,()]+, |\bt\(|choice\(|reject\(|invalid\(|picked\(|text\(|Info\(|ask\(|keptUnless\("[^"]*", |(?:Ask|Cancelled|Resume|BackTo|key): |note = )"([a-z_]+\.[a-z0-9_.]*)"`)

// TestEveryKeyUsedExists scans the code for message keys and checks each exists in every
// language. A key ending in "." is a prefix completed at run time: some key must start with it.
func TestEveryKeyUsedExists(t *testing.T) {
	root := filepath.Join("..")
	found := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			found++
			for _, lang := range []string{"id", "en"} {
				if strings.HasSuffix(key, ".") {
					ok := false
					for _, k := range locales.Keys(lang) {
						if strings.HasPrefix(k, key) {
							ok = true
							break
						}
					}
					if !ok {
						t.Errorf("%s: no %s key starts with %q", path, lang, key)
					}
				} else if !locales.Has(lang, key) {
					t.Errorf("%s: key %q missing from %s.yaml", path, key, lang)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found only %d key uses: the scanner is broken", found)
	}
}

func TestText(t *testing.T) {
	if got := locales.Text("id", "signup.period_choice", "n", 3, "amount", "Rp50.400"); got != "3 bulan: Rp50.400" {
		t.Errorf("Text = %q", got)
	}
	if got := locales.Text("xx", "package.jkk_jkm"); got != "JKK + JKM" {
		t.Errorf("unknown language must fall back to Indonesian, got %q", got)
	}
	if got := locales.Text("id", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
}

func TestMoneyAndDates(t *testing.T) {
	for n, want := range map[int64]string{0: "Rp0", 800: "Rp800", 16800: "Rp16.800", 1000000: "Rp1.000.000", 20700000: "Rp20.700.000", -8400: "-Rp8.400"} {
		if got := locales.Money(n); got != want {
			t.Errorf("Money(%d) = %q, want %q", n, got, want)
		}
	}
	d := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
	if got := locales.Date("id", d); got != "6 Oktober 2025" {
		t.Errorf("Date = %q", got)
	}
	if got := locales.Date("en", d); got != "6 October 2025" {
		t.Errorf("Date en = %q", got)
	}
}

func TestMonthRange(t *testing.T) {
	m := func(y int, mo time.Month) time.Time { return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		lang        string
		first, last time.Time
		want        string
	}{
		{"id", m(2026, 12), m(2026, 12), "Des 2026"},
		{"id", m(2027, 1), m(2027, 2), "Jan–Feb 2027"},
		{"id", m(2026, 11), m(2027, 1), "Nov 2026–Jan 2027"},
		{"en", m(2026, 8), m(2026, 10), "Aug–Oct 2026"},
		{"xx", m(2026, 5), m(2026, 5), "Mei 2026"},
	} {
		if got := locales.MonthRange(c.lang, c.first, c.last); got != c.want {
			t.Errorf("MonthRange(%s, %v, %v) = %q, want %q", c.lang, c.first, c.last, got, c.want)
		}
	}
	if got := locales.Weekday("id", time.Monday); got != "Senin" {
		t.Errorf("Weekday = %q", got)
	}
	if got := locales.Clock(time.Date(2026, 1, 1, 8, 5, 0, 0, time.UTC)); got != "08.05" {
		t.Errorf("Clock = %q", got)
	}
}

// Counted things take the plural their number needs: never "1 months".
func TestPlurals(t *testing.T) {
	for _, c := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "signup.period_choice", []any{"n", 1, "amount", "Rp8.400"}, "1 month: Rp8.400"},
		{"en", "signup.period_choice", []any{"n", 3, "amount", "Rp25.200"}, "3 months: Rp25.200"},
		{"en", "signup.period_choice", []any{"n", int64(12), "amount", "Rp1"}, "12 months: Rp1"},
		{"id", "signup.period_choice", []any{"n", 1, "amount", "Rp8.400"}, "1 bulan: Rp8.400"},
		{"xx", "signup.period_choice", []any{"n", 1, "amount", "Rp8.400"}, "1 bulan: Rp8.400"},
		{"en", "signup.period_choice", []any{"amount", "Rp8.400"}, "{n} months: Rp8.400"},
	} {
		if got := locales.Text(c.lang, c.key, c.args...); got != c.want {
			t.Errorf("Text(%s, %s, %v) = %q, want %q", c.lang, c.key, c.args, got, c.want)
		}
	}
}

// countedNoun finds a count pasted before a plural noun in an English text: such a message
// must be a plural message (a map of forms) counting with {n}, or "1 months" reaches a worker.
// ({min}–{max} years, a range that never starts at one, is not a count.)
var countedNoun = regexp.MustCompile(`\{(n|months|count)\} (months|years|days|weeks|children|hours|members|requests)\b`)

var oneThings = regexp.MustCompile(`\b1 (months|years|days|weeks|children|hours|members|requests)\b`)

func TestCountsArePlural(t *testing.T) {
	for _, key := range locales.Keys("en") {
		text := locales.Text("en", key)
		if m := countedNoun.FindString(text); m != "" && oneThings.MatchString(locales.Text("en", key, "n", 1, "months", 1, "count", 1)) {
			t.Errorf("en %s counts with %q but has no singular form", key, m)
		}
	}
}
