package tariff

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// withChanges returns the embedded tariff file with each key of changes replaced by its
// value; every key must occur in the file, so a test cannot silently stop testing anything.
func withChanges(tb testing.TB, changes map[string]string) []byte {
	tb.Helper()
	s := string(embedded)
	for old, repl := range changes {
		if !strings.Contains(s, old) {
			tb.Fatalf("tariff.yaml has no %q", old)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	return []byte(s)
}

func TestDefault(t *testing.T) {
	if _, err := Parse(embedded); err != nil {
		t.Fatalf("embedded tariff.yaml: %v", err)
	}
	tr := Default()
	if tr != Default() {
		t.Error("Default built the tariff twice")
	}
	if min, max := tr.IncomeBounds(); min != 1_000_000 || max != 20_700_000 {
		t.Errorf("IncomeBounds = %d, %d; want 1000000, 20700000", min, max)
	}
	if got, want := tr.IncomeChoices(), []int64{1_000_000, 2_000_000, 3_000_000, 5_000_000}; !slices.Equal(got, want) {
		t.Errorf("IncomeChoices = %v, want %v", got, want)
	}
	for _, income := range tr.IncomeChoices() {
		if _, err := tr.Base(income); err != nil {
			t.Errorf("choice %d: %v", income, err)
		}
	}
	wantCodes := []string{"ojol", "kurir", "kreator", "art", "pedagang", "petani", "nelayan", "buruh_harian", "lainnya"}
	if got := tr.Occupations(); !slices.Equal(got, wantCodes) {
		t.Errorf("Occupations = %v, want %v", got, wantCodes)
	}
}

func TestAccessorsReturnCopies(t *testing.T) {
	tr := Default()
	tr.IncomeChoices()[0] = 1
	tr.Brackets()[0].Base = 1
	tr.Occupations()[0] = "x"
	PeriodLengths()[0] = 99
	if tr.IncomeChoices()[0] != 1_000_000 || tr.Brackets()[0].Base != 1_000_000 ||
		tr.Occupations()[0] != "ojol" || PeriodLengths()[0] != 1 {
		t.Error("a caller changed the shared tariff through an accessor")
	}
}

func TestMustParsePanicsOnBrokenData(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("mustParse returned a tariff from broken data")
		}
	}()
	mustParse([]byte("income: {min: 0}\n"))
}

func TestCategory(t *testing.T) {
	tests := []struct{ occupation, want string }{
		{"ojol", "transport"},
		{"kurir", "transport"},
		{"kreator", "general"},
		{"art", "general"},
		{"pedagang", "general"},
		{"petani", "general"},
		{"nelayan", "general"},
		{"buruh_harian", "general"},
		{"lainnya", "general"},
		{" Ojol ", "transport"},
		{"", "general"},
		{"astronot", "general"},
	}
	for _, tt := range tests {
		t.Run(tt.occupation, func(t *testing.T) {
			if got := Default().Category(tt.occupation); got != tt.want {
				t.Errorf("Category(%q) = %q, want %q", tt.occupation, got, tt.want)
			}
		})
	}
}

func TestPackages(t *testing.T) {
	tests := []struct {
		in     string
		want   Package
		ok     bool
		progrs []Programme
	}{
		{"jkk_jkm", PackageJKKJKM, true, []Programme{JKK, JKM}},
		{" JKK_JKM_JHT ", PackageJKKJKMJHT, true, []Programme{JKK, JKM, JHT}},
		{"jht", "", false, nil},
		{"", "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParsePackage(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ParsePackage(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if !slices.Equal(got.Programmes(), tt.progrs) {
				t.Errorf("Programmes() = %v, want %v", got.Programmes(), tt.progrs)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "tariff.yaml")
	// A replacement with the max raised: the loaded tariff must use the file, not the embedded one.
	data := withChanges(t, map[string]string{
		"  max: 20700000": "  max: 20800000",
		"  - {from: 20700000, to: 20700000, base: 20700000}": "  - {from: 20700000, to: 20800000, base: 20700000}",
	})
	if err := os.WriteFile(good, data, 0o600); err != nil {
		t.Fatal(err)
	}
	tr, err := Load(good)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, max := tr.IncomeBounds(); max != 20_800_000 {
		t.Errorf("max = %d, want 20800000", max)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, withChanges(t, map[string]string{"  min: 1000000": "  min: -5"}), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	var fe *FieldError
	if !errors.As(err, &fe) || !errors.Is(err, ErrInvalidData) || !strings.Contains(err.Error(), bad) {
		t.Errorf("Load(bad) = %v; want a *FieldError naming the path", err)
	}

	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v; want os.ErrNotExist", err)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		field   string // must appear in the error
	}{
		{"non-positive min", map[string]string{"  min: 1000000": "  min: 0"}, "income.min"},
		{"max below min", map[string]string{"  max: 20700000": "  max: 900000"}, "income.max"},
		{"gap between brackets", map[string]string{
			"  - {from: 1100000, to: 1199999, base: 1100000}": "  - {from: 1100001, to: 1199999, base: 1100001}",
		}, "brackets[1].from"},
		{"overlapping brackets", map[string]string{
			"  - {from: 1100000, to: 1199999, base: 1100000}": "  - {from: 1099000, to: 1199999, base: 1100000}",
		}, "brackets[1].from"},
		{"bracket ends before it starts", map[string]string{
			"  - {from: 1200000, to: 1299999, base: 1200000}": "  - {from: 1200000, to: 1100000, base: 1200000}",
		}, "brackets[2].to"},
		{"base outside its bracket", map[string]string{
			"  - {from: 1200000, to: 1299999, base: 1200000}": "  - {from: 1200000, to: 1299999, base: 1300000}",
		}, "brackets[2].base"},
		{"base not increasing", map[string]string{
			"  - {from: 1000000, to: 1099999, base: 1000000}": "  - {from: 1000000, to: 1099999, base: 1099999}",
			"  - {from: 1100000, to: 1199999, base: 1100000}": "  - {from: 1100000, to: 1199999, base: 1099999}",
		}, "brackets[1].base"},
		{"first bracket above min", map[string]string{
			"  - {from: 1000000, to: 1099999, base: 1000000}": "  - {from: 1000001, to: 1099999, base: 1000001}",
		}, "brackets[0].from"},
		{"last bracket short of max", map[string]string{
			"  - {from: 20700000, to: 20700000, base: 20700000}\n": "",
		}, "brackets[196].to"},
		{"misspelt key", map[string]string{"  JKM: {flat: 6800}": "  JKM: {flta: 6800}"}, "rates.JKM.flta"},
		{"money with separators", map[string]string{"  min: 1000000": "  min: 1.000.000"}, "income.min"},
		{"text in a bracket", map[string]string{
			"  - {from: 1200000, to: 1299999, base: 1200000}": "  - {from: 1200000, to: 1299999, base: satu juta}",
		}, "brackets[2].base"},
		{"text in a list", map[string]string{"[1000000, 2000000, 3000000, 5000000]": "[1000000, dua juta]"}, "income_choices[1]"},
		{"discount flag not a boolean", map[string]string{"    excludes_government_sponsored: true\n  # PP 50/2025: the same": "    excludes_government_sponsored: maybe\n  # PP 50/2025: the same"}, "discounts[0].excludes_government_sponsored"},
		{"missing rate", map[string]string{"  JHT: {percent: 2}\n": ""}, "rates.JHT"},
		{"unknown rate", map[string]string{"  JHT: {percent: 2}": "  JHT: {percent: 2}\n  JP: {percent: 1}"}, "rates.JP"},
		{"rate with both percent and flat", map[string]string{"  JKK: {percent: 1}": "  JKK: {percent: 1, flat: 10000}"}, "rates.JKK"},
		{"rate percent too high", map[string]string{"  JKK: {percent: 1}": "  JKK: {percent: 100}"}, "rates.JKK.percent"},
		{"rate percent zero", map[string]string{"  JHT: {percent: 2}": "  JHT: {percent: 0}"}, "rates.JHT.percent"},
		{"rate percent finer than basis points", map[string]string{"  JKK: {percent: 1}": "  JKK: {percent: 0.125}"}, "rates.JKK.percent"},
		{"flat rate negative", map[string]string{"  JKM: {flat: 6800}": "  JKM: {flat: -6800}"}, "rates.JKM.flat"},
		{"choice out of bounds", map[string]string{"[1000000, 2000000, 3000000, 5000000]": "[500000, 2000000]"}, "income_choices[0]"},
		{"choices not ascending", map[string]string{"[1000000, 2000000, 3000000, 5000000]": "[3000000, 2000000]"}, "income_choices[1]"},
		{"no choices", map[string]string{"[1000000, 2000000, 3000000, 5000000]": "[]"}, "income_choices"},
		{"discount without name", map[string]string{"  - name: PP 50/2025\n    percent: 50\n    programmes: [JKK, JKM]\n    categories: [transport]": "  - name: \"\"\n    percent: 50\n    programmes: [JKK, JKM]\n    categories: [transport]"}, "discounts[0].name"},
		{"discount percent over 100", map[string]string{"    percent: 50\n    programmes: [JKK, JKM]\n    categories: [transport]": "    percent: 150\n    programmes: [JKK, JKM]\n    categories: [transport]"}, "discounts[0].percent"},
		{"discount of unknown programme", map[string]string{"    programmes: [JKK, JKM]\n    categories: [transport]": "    programmes: [JKK, JKN]\n    categories: [transport]"}, "discounts[0].programmes[1]"},
		{"discount programme twice", map[string]string{"    programmes: [JKK, JKM]\n    categories: [transport]": "    programmes: [JKK, JKK]\n    categories: [transport]"}, "discounts[0].programmes[1]"},
		{"discount of unknown category", map[string]string{"    categories: [transport]": "    categories: [transprot]"}, "discounts[0].categories[0]"},
		{"discount categories scalar other than *", map[string]string{`    categories: "*"`: "    categories: general"}, "discounts[1].categories"},
		{"discount without categories", map[string]string{"    categories: [transport]": "    categories: []"}, "discounts[0].categories"},
		{"discount month malformed", map[string]string{`    from: "2026-01"`: `    from: "Jan 2026"`}, "discounts[0].from"},
		{"discount month out of range", map[string]string{`    to: "2027-03"`: `    to: "2027-13"`}, "discounts[0].to"},
		{"discount ends before it starts", map[string]string{`    to: "2026-12"`: `    to: "2026-03"`}, "discounts[1].to"},
		{"empty default category", map[string]string{"default_category: general": "default_category: \"\""}, "default_category"},
		{"uppercase occupation code", map[string]string{"  ojol: transport": "  Ojol: transport"}, "occupations.Ojol"},
		{"occupation without category", map[string]string{"  kurir: transport": "  kurir: \"\""}, "occupations.kurir"},
		{"occupation listed twice", map[string]string{"  lainnya: general": "  lainnya: general\n  ojol: general"}, "occupations.ojol"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(withChanges(t, tt.changes))
			if err == nil {
				t.Fatal("Parse accepted the file")
			}
			if !errors.Is(err, ErrInvalidData) {
				t.Errorf("error %v does not wrap ErrInvalidData", err)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error does not name %q:\n%v", tt.field, err)
			}
		})
	}
}

func TestParseRejectsNoBrackets(t *testing.T) {
	var kept []string
	for line := range strings.Lines(string(embedded)) {
		if !strings.HasPrefix(line, "  - {from:") {
			kept = append(kept, line)
		}
	}
	_, err := Parse([]byte(strings.Join(kept, "")))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "brackets" {
		t.Errorf("Parse without brackets = %v, want a *FieldError for brackets", err)
	}
}

func TestParseRejectsEmpty(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n"} {
		var fe *FieldError
		if _, err := Parse([]byte(data)); !errors.As(err, &fe) {
			t.Errorf("Parse(%q) = %v, want a *FieldError", data, err)
		}
	}
}

// Several problems are reported together, so an operator fixes a file in one pass.
func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse(withChanges(t, map[string]string{
		"  JKK: {percent: 1}":         "  JKK: {percent: 100}",
		"    categories: [transport]": "    categories: [transprot]",
	}))
	for _, field := range []string{"rates.JKK.percent", "discounts[0].categories[0]"} {
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("error does not name %s: %v", field, err)
		}
	}
}
