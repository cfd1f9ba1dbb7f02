// Package tariff computes the monthly premiums (iuran) a BPU ("Bukan Penerima Upah") worker
// pays BPJS Ketenagakerjaan, including temporary discounts such as PP 50/2025.
//
// The figures that regulations change or that are not certain (income bounds, the bracket
// table, rates, discount windows, occupation categories) live in tariff.yaml, which is
// embedded; Load reads a replacement copy from disk. A *Tariff never changes after it is
// built, so one value can serve every goroutine.
package tariff

import (
	_ "embed"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Programme is one of the BPJS Ketenagakerjaan programmes open to BPU workers.
type Programme string

const (
	JKK Programme = "JKK" // Jaminan Kecelakaan Kerja, work accident
	JKM Programme = "JKM" // Jaminan Kematian, death benefit
	JHT Programme = "JHT" // Jaminan Hari Tua, old-age savings (optional for BPU)
)

// programmes lists every Programme in the order amounts are computed and shown.
var programmes = [...]Programme{JKK, JKM, JHT}

// index returns the position of g in programmes, or -1.
func (g Programme) index() int {
	switch g {
	case JKK:
		return 0
	case JKM:
		return 1
	case JHT:
		return 2
	}
	return -1
}

// Package is the set of programmes a worker signs up for. JKK and JKM are always included.
type Package string

const (
	PackageJKKJKM    Package = "jkk_jkm"     // the minimum package
	PackageJKKJKMJHT Package = "jkk_jkm_jht" // the minimum package plus old-age savings
)

// Programmes returns the programmes in p, or nil for an unknown package.
func (p Package) Programmes() []Programme {
	switch p {
	case PackageJKKJKM:
		return []Programme{JKK, JKM}
	case PackageJKKJKMJHT:
		return []Programme{JKK, JKM, JHT}
	}
	return nil
}

// Valid reports whether p is a known package.
func (p Package) Valid() bool {
	return p == PackageJKKJKM || p == PackageJKKJKMJHT
}

// includes reports whether p contains g; it is Programmes without the allocation.
func (p Package) includes(g Programme) bool {
	switch g {
	case JKK, JKM:
		return p.Valid()
	case JHT:
		return p == PackageJKKJKMJHT
	}
	return false
}

// ParsePackage accepts a package code as stored or sent by a button, ignoring case and
// surrounding space.
func ParsePackage(s string) (Package, bool) {
	p := Package(strings.ToLower(strings.TrimSpace(s)))
	if !p.Valid() {
		return "", false
	}
	return p, true
}

// periodLengths are the numbers of months a worker may pay at once.
var periodLengths = [...]int{1, 3, 6, 12}

// PeriodLengths returns the numbers of months a worker may pay at once, ascending.
func PeriodLengths() []int { return slices.Clone(periodLengths[:]) }

// Participant is what the premium depends on.
type Participant struct {
	Income       int64  // declared monthly income in rupiah
	Occupation   string // occupation code; unknown codes get the default category
	Package      Package
	GovSponsored bool // premium paid from APBN/APBD: excluded from discounts that say so
}

// Bracket is one tier of the income table: a declared income from From to To inclusive pays
// premiums computed on Base.
type Bracket struct {
	From, To, Base int64
}

// Tariff is a validated tariff table. Build it with Default, Load or Parse.
type Tariff struct {
	minIncome, maxIncome int64
	brackets             []Bracket
	rates                [len(programmes)]rate
	discounts            []discount
	defaultCategory      string
	occupations          map[string]string
	occupationOrder      []string
	choices              []int64
}

// rate is a programme's monthly premium: a share of the base in basis points, or a flat sum.
type rate struct {
	basisPoints int64
	flat        int64
}

// amount is the full premium on base, rounded to the nearest rupiah, halves up.
func (r rate) amount(base int64) int64 {
	if r.basisPoints == 0 {
		return r.flat
	}
	return (base*r.basisPoints + 5000) / 10000
}

//go:embed tariff.yaml
var embedded []byte

var defaultTariff = sync.OnceValue(func() *Tariff { return mustParse(embedded) })

// Default returns the tariff embedded in the binary. It panics only if that file is broken,
// which the package tests rule out.
func Default() *Tariff { return defaultTariff() }

func mustParse(data []byte) *Tariff {
	t, err := Parse(data)
	if err != nil {
		panic(fmt.Sprintf("tariff: embedded tariff.yaml: %v", err))
	}
	return t
}

// Load reads and validates a tariff file, for replacing the embedded one without a build.
func Load(path string) (*Tariff, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tariff: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// IncomeBounds returns the lowest and highest declared income the tariff accepts.
func (t *Tariff) IncomeBounds() (min, max int64) { return t.minIncome, t.maxIncome }

// IncomeChoices returns typical declared incomes for a choice menu, ascending.
func (t *Tariff) IncomeChoices() []int64 { return slices.Clone(t.choices) }

// Brackets returns the income table, ascending.
func (t *Tariff) Brackets() []Bracket { return slices.Clone(t.brackets) }

// Occupations returns the occupation codes the tariff knows, in file order.
func (t *Tariff) Occupations() []string { return slices.Clone(t.occupationOrder) }

// Category returns the category of an occupation code (case and surrounding space ignored);
// codes the tariff does not list get the default category.
func (t *Tariff) Category(occupation string) string {
	if c, ok := t.occupations[strings.ToLower(strings.TrimSpace(occupation))]; ok {
		return c
	}
	return t.defaultCategory
}

// Base returns the amount premiums are computed on for a declared income: the base of the
// bracket the income falls in. The error is an *IncomeError when income is out of bounds.
func (t *Tariff) Base(income int64) (int64, error) {
	if income < t.minIncome || income > t.maxIncome {
		return 0, &IncomeError{Income: income, Min: t.minIncome, Max: t.maxIncome}
	}
	// Brackets are contiguous and cover minIncome..maxIncome, so the search always lands.
	i := sort.Search(len(t.brackets), func(i int) bool { return t.brackets[i].To >= income })
	return t.brackets[i].Base, nil
}
