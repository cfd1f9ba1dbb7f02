package tariff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The file's schema, as decoded before validation. Field names follow tariff.yaml.
type (
	fileTariff struct {
		Income          fileIncome          `yaml:"income"`
		IncomeChoices   []int64             `yaml:"income_choices"`
		Brackets        []fileBracket       `yaml:"brackets"`
		Rates           map[string]fileRate `yaml:"rates"`
		Discounts       []fileDiscount      `yaml:"discounts"`
		DefaultCategory string              `yaml:"default_category"`
		Occupations     fileOccupations     `yaml:"occupations"`
	}
	fileIncome struct {
		Min int64 `yaml:"min"`
		Max int64 `yaml:"max"`
	}
	fileBracket struct {
		From int64 `yaml:"from"`
		To   int64 `yaml:"to"`
		Base int64 `yaml:"base"`
	}
	fileRate struct {
		Percent *float64 `yaml:"percent"`
		Flat    *int64   `yaml:"flat"`
	}
	fileDiscount struct {
		Name                        string         `yaml:"name"`
		Percent                     float64        `yaml:"percent"`
		Programmes                  []string       `yaml:"programmes"`
		Categories                  fileCategories `yaml:"categories"`
		From                        string         `yaml:"from"`
		To                          string         `yaml:"to"`
		ExcludesGovernmentSponsored bool           `yaml:"excludes_government_sponsored"`
	}
)

// fileCategories is either a list of category names or a scalar, which must be "*".
type fileCategories struct {
	scalar *string
	names  []string
}

func (c *fileCategories) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		c.scalar = &n.Value
		return nil
	}
	return n.Decode(&c.names)
}

// fileOccupations keeps the mapping's order, which yaml.v3 loses when decoding into a map.
type fileOccupations struct {
	codes, categories []string
}

func (o *fileOccupations) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: occupations: want a mapping of code: category", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: occupations: want code: category", k.Line)
		}
		o.codes = append(o.codes, k.Value)
		o.categories = append(o.categories, v.Value)
	}
	return nil
}

// Limits that make a value insane rather than merely unusual.
const (
	maxRatePercent = 10        // a premium above 10% of income is a typo, not a tariff
	maxFlat        = 1_000_000 // rupiah per month
	wildcard       = "*"
)

// Parse decodes and validates a tariff file. Unknown keys are rejected, so a misspelt key
// fails instead of silently leaving a value at zero. Validation reports every bad field it
// finds, each as a *FieldError joined into one error.
func Parse(data []byte) (*Tariff, error) {
	// The node tree only serves to name the key behind a decoding error, which yaml.v3
	// reports by line number alone.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidData, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f fileTariff
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &FieldError{Field: "(file)", Reason: "empty"}
		}
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("%w: %v", ErrInvalidData, err)
		}
		errs := make([]error, len(te.Errors))
		for i, msg := range te.Errors {
			errs[i] = &FieldError{Field: fieldOnLine(&root, msg), Reason: msg}
		}
		return nil, errors.Join(errs...)
	}
	v := validator{}
	t := v.tariff(&f)
	if err := errors.Join(v.errs...); err != nil {
		return nil, err
	}
	return t, nil
}

type validator struct{ errs []error }

func (v *validator) fail(field, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
}

func (v *validator) tariff(f *fileTariff) *Tariff {
	t := &Tariff{minIncome: f.Income.Min, maxIncome: f.Income.Max}
	v.income(f.Income)
	t.brackets = v.brackets(f.Brackets, f.Income)
	t.choices = v.choices(f.IncomeChoices, f.Income)
	t.rates = v.rates(f.Rates)
	t.defaultCategory, t.occupations, t.occupationOrder = v.occupations(f.DefaultCategory, f.Occupations)
	known := map[string]bool{t.defaultCategory: true}
	for _, c := range t.occupations {
		known[c] = true
	}
	for i := range f.Discounts {
		t.discounts = append(t.discounts, v.discount(fmt.Sprintf("discounts[%d]", i), &f.Discounts[i], known))
	}
	return t
}

func (v *validator) income(in fileIncome) {
	if in.Min <= 0 {
		v.fail("income.min", "must be positive, got %d", in.Min)
	}
	if in.Max < in.Min {
		v.fail("income.max", "must not be below income.min (%d), got %d", in.Min, in.Max)
	}
}

func (v *validator) brackets(bs []fileBracket, in fileIncome) []Bracket {
	if len(bs) == 0 {
		v.fail("brackets", "must list at least one bracket")
		return nil
	}
	out := make([]Bracket, len(bs))
	for i, b := range bs {
		at := fmt.Sprintf("brackets[%d]", i)
		if b.To < b.From {
			v.fail(at+".to", "must not be below from (%d), got %d", b.From, b.To)
		}
		if b.Base < b.From || b.Base > b.To {
			v.fail(at+".base", "must lie within from..to (%d..%d), got %d", b.From, b.To, b.Base)
		}
		if i == 0 {
			if b.From != in.Min {
				v.fail(at+".from", "first bracket must start at income.min (%d), got %d", in.Min, b.From)
			}
		} else {
			prev := bs[i-1]
			if b.From != prev.To+1 {
				v.fail(at+".from", "must be the previous bracket's to + 1 (%d) so brackets are contiguous, got %d", prev.To+1, b.From)
			}
			if b.Base <= prev.Base {
				v.fail(at+".base", "must be greater than the previous base (%d), got %d", prev.Base, b.Base)
			}
		}
		out[i] = Bracket(b)
	}
	if last := bs[len(bs)-1]; last.To != in.Max {
		v.fail(fmt.Sprintf("brackets[%d].to", len(bs)-1), "last bracket must end at income.max (%d), got %d", in.Max, last.To)
	}
	return out
}

func (v *validator) choices(cs []int64, in fileIncome) []int64 {
	if len(cs) == 0 {
		v.fail("income_choices", "must list at least one income")
	}
	for i, c := range cs {
		at := fmt.Sprintf("income_choices[%d]", i)
		if c < in.Min || c > in.Max {
			v.fail(at, "must lie within income.min..income.max (%d..%d), got %d", in.Min, in.Max, c)
		}
		if i > 0 && c <= cs[i-1] {
			v.fail(at, "must be greater than the previous choice (%d), got %d", cs[i-1], c)
		}
	}
	return slices.Clone(cs)
}

func (v *validator) rates(rs map[string]fileRate) [len(programmes)]rate {
	var out [len(programmes)]rate
	for i, g := range programmes {
		at := "rates." + string(g)
		r, ok := rs[string(g)]
		switch {
		case !ok:
			v.fail(at, "missing")
		case (r.Percent == nil) == (r.Flat == nil):
			v.fail(at, "must have exactly one of percent or flat")
		case r.Percent != nil:
			if bp, ok := v.basisPoints(at+".percent", *r.Percent, maxRatePercent); ok {
				out[i].basisPoints = bp
			}
		default:
			if *r.Flat <= 0 || *r.Flat > maxFlat {
				v.fail(at+".flat", "must be above 0 and at most %d rupiah, got %d", maxFlat, *r.Flat)
			}
			out[i].flat = *r.Flat
		}
	}
	var unknown []string
	for k := range rs {
		if Programme(k).index() < 0 {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		v.fail("rates."+k, "unknown programme (want JKK, JKM or JHT)")
	}
	return out
}

// basisPoints converts a percentage with at most two decimals, 0 < p <= limit.
func (v *validator) basisPoints(field string, p float64, limit float64) (int64, bool) {
	if !(p > 0 && p <= limit) {
		v.fail(field, "must be above 0 and at most %g, got %g", limit, p)
		return 0, false
	}
	bp := math.Round(p * 100)
	if math.Abs(p*100-bp) > 1e-6 {
		v.fail(field, "at most two decimals, got %g", p)
		return 0, false
	}
	return int64(bp), true
}

func (v *validator) occupations(def string, o fileOccupations) (string, map[string]string, []string) {
	if strings.TrimSpace(def) == "" {
		v.fail("default_category", "must not be empty")
	}
	if len(o.codes) == 0 {
		v.fail("occupations", "must list at least one occupation")
	}
	m := make(map[string]string, len(o.codes))
	for i, code := range o.codes {
		at := "occupations." + code
		if code == "" || code != strings.ToLower(strings.TrimSpace(code)) {
			v.fail(at, "codes must be non-empty lowercase without surrounding space")
		}
		if strings.TrimSpace(o.categories[i]) == "" {
			v.fail(at, "category must not be empty")
		}
		if _, dup := m[code]; dup {
			v.fail(at, "listed twice")
		}
		m[code] = o.categories[i]
	}
	return def, m, slices.Clone(o.codes)
}

func (v *validator) discount(at string, d *fileDiscount, knownCategories map[string]bool) discount {
	out := discount{name: d.Name, excludesGov: d.ExcludesGovernmentSponsored}
	if strings.TrimSpace(d.Name) == "" {
		v.fail(at+".name", "must not be empty")
	}
	if bp, ok := v.basisPoints(at+".percent", d.Percent, 100); ok {
		out.basisPoints = bp
	}
	if len(d.Programmes) == 0 {
		v.fail(at+".programmes", "must list at least one programme")
	}
	for i, name := range d.Programmes {
		j := Programme(name).index()
		switch {
		case j < 0:
			v.fail(fmt.Sprintf("%s.programmes[%d]", at, i), "unknown programme %q (want JKK, JKM or JHT)", name)
		case out.programmes[j]:
			v.fail(fmt.Sprintf("%s.programmes[%d]", at, i), "%s listed twice", name)
		default:
			out.programmes[j] = true
		}
	}
	switch c := d.Categories; {
	case c.scalar != nil:
		if *c.scalar != wildcard {
			v.fail(at+".categories", "must be a list of categories or %q, got %q", wildcard, *c.scalar)
		}
		out.allCategories = true
	case len(c.names) == 0:
		v.fail(at+".categories", "must list at least one category, or be %q", wildcard)
	default:
		for i, name := range c.names {
			if !knownCategories[name] {
				v.fail(fmt.Sprintf("%s.categories[%d]", at, i), "unknown category %q (not default_category nor used in occupations)", name)
			}
		}
		out.categories = slices.Clone(c.names)
	}
	from, okFrom := v.month(at+".from", d.From)
	to, okTo := v.month(at+".to", d.To)
	if okFrom && okTo && to < from {
		v.fail(at+".to", "must not be before from (%s), got %s", d.From, d.To)
	}
	out.from, out.to = from, to
	return out
}

func (v *validator) month(field, s string) (YearMonth, bool) {
	m, err := ParseYearMonth(s)
	if err != nil {
		v.fail(field, "must be a month written YYYY-MM, got %q", s)
		return 0, false
	}
	return m, true
}

// fieldOnLine names the key a yaml.v3 decoding message points at, as "income.min" or
// "brackets[3].base"; "(file)" when it cannot tell. The messages give a line ("line 12:
// cannot unmarshal !!str `1.000.000` into int64", "line 9: field flta not found in type
// ...") and, to tell apart several keys on one line, the offending value or key.
func fieldOnLine(root *yaml.Node, msg string) string {
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err != nil {
		return "(file)"
	}
	var token string
	if m := tokenPattern.FindStringSubmatch(msg); m != nil {
		token = m[1] + m[2]
	}
	if path := keyOnLine(root, line, token, ""); path != "" {
		return path
	}
	return "(file)"
}

var tokenPattern = regexp.MustCompile("`([^`]*)`|field (\\S+) not found")

// keyOnLine returns the path of the key or list item written on line whose key or value is
// token; failing that, of the only one on that line; failing that, of the flow mapping or
// list holding them all.
func keyOnLine(n *yaml.Node, line int, token, path string) string {
	var found []string
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p := keyOnLine(c, line, token, path); p != "" {
				return p
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if deeper := keyOnLine(v, line, token, p); deeper != "" {
				return deeper
			}
			if k.Line != line {
				continue
			}
			if token != "" && (k.Value == token || v.Kind == yaml.ScalarNode && v.Value == token) {
				return p
			}
			found = append(found, p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if deeper := keyOnLine(c, line, token, p); deeper != "" {
				return deeper
			}
			if c.Kind != yaml.ScalarNode || c.Line != line {
				continue
			}
			if token != "" && c.Value == token {
				return p
			}
			found = append(found, p)
		}
	}
	switch {
	case len(found) == 1:
		return found[0]
	case len(found) > 1:
		return path
	}
	return ""
}
