package validate

import (
	_ "embed"
	"slices"
	"strings"
	"unicode/utf8"
)

// RegencyKind tells a kabupaten (regency) from a kota (city). Both are the
// second level of government, below the province, and each has its own
// Kemendagri code: 01–69 for a kabupaten, 71–99 for a kota.
type RegencyKind string

// The two kinds of regency.
const (
	Kabupaten RegencyKind = "kabupaten"
	Kota      RegencyKind = "kota"
)

// Regency is a kabupaten or kota from the official list (Kepmendagri
// 300.2.2-2138/2025), shipped in data/regencies.tsv.
type Regency struct {
	Code         string      // four digits, as the first four digits of a NIK: "3201"
	ProvinceCode string      // two digits: "32"
	Kind         RegencyKind // Kabupaten or Kota
	Name         string      // official name with its kind: "Kabupaten Bogor", "Kota Administrasi Jakarta Selatan"
	BaseName     string      // the name without its kind: "Bogor", "Jakarta Selatan"
	nameEN       string      // English name where English speakers have their own ("South Jakarta")
}

// Display is the regency's name for a worker who speaks lang, with its kind
// so that "Kota Bogor" and "Kabupaten Bogor" can be told apart: "Kabupaten
// Bogor", "Kota Bogor", "Kota Jakarta Selatan" in Indonesian; "Bogor
// Regency", "Bogor City", "South Jakarta" in English ("en").
func (r Regency) Display(lang string) string {
	return r.displayName(lang, "Kabupaten ")
}

// Short is Display with "Kabupaten" written "Kab.", for buttons and lists
// where space is short: "Kab. Tasikmalaya", "Kota Tasikmalaya". English
// names are already short.
func (r Regency) Short(lang string) string {
	return r.displayName(lang, "Kab. ")
}

func (r Regency) displayName(lang, kabupaten string) string {
	switch {
	case lang == "en":
		return r.englishName()
	case r.Kind == Kota:
		return "Kota " + r.BaseName
	}
	return kabupaten + r.BaseName
}

func (r Regency) englishName() string {
	switch {
	case r.nameEN != "":
		return r.nameEN
	case r.Kind == Kota:
		return r.BaseName + " City"
	}
	return r.BaseName + " Regency"
}

// Province is the province the regency belongs to.
func (r Regency) Province() Province {
	p, _ := ProvinceByCode(r.ProvinceCode)
	return p
}

// RegencyByCode finds a regency by its four-digit code, the first four
// digits of a NIK issued there ("3201" is Kabupaten Bogor). A code retired
// when Papua was split in 2022 ("9101", Kabupaten Merauke, now "9301") still
// finds the regency, under its current code: NIKs keep the code they were
// issued with.
func RegencyByCode(code string) (Regency, bool) {
	if i, ok := regencies.byCode[code]; ok {
		return regencies.all[i], true
	}
	return Regency{}, false
}

// RegenciesOf returns the regencies of a province in code order, kabupaten
// first, or nil for an unknown province code. The slice is a copy.
func RegenciesOf(provinceCode string) []Regency {
	p, ok := provinceIndex(provinceCode)
	if !ok {
		return nil
	}
	span := regencies.provinces[p]
	return slices.Clone(regencies.all[span.from:span.to])
}

// maxRegencyInput bounds, in bytes, the text MatchRegency and FindRegency
// look at; no answer naming a regency is longer.
const maxRegencyInput = 120

// MatchRegency finds the kabupaten or kota a worker names in answer to
// "which city or regency?", among those of the province with the given
// code. It returns nothing when the answer names no regency of that
// province, one regency when it names one, and several when the answer fits
// more than one: "bogor" in Jawa Barat is both Kabupaten Bogor and Kota
// Bogor, so the caller asks "Kota Bogor atau Kabupaten Bogor?". Results are
// in code order.
//
// It understands:
//   - the name in any case, spacing and punctuation ("TANJUNG JABUNG BARAT",
//     "gunung kidul" for Gunungkidul, "toli toli" for Toli-Toli);
//   - a kind before the name, which decides between a kabupaten and a kota
//     of the same name: "kab.", "kab", "kabupaten", "kab. adm.", "kota",
//     "kota adm.", "kodya", "kotamadya"; in English, "regency" or "city"
//     after it ("Bogor Regency"). A kind that fits no regency of that name
//     is taken loosely: "kota sleman" is Kabupaten Sleman;
//   - lead-ins and particles: "saya tinggal di bogor", "domisili sleman",
//     "daerah bantul kak", "I live in Bogor";
//   - the province after or before the name: "bogor, jawa barat";
//   - a district before the regency: "kec. cibinong kab. bogor";
//   - short names and former names workers use: "jaksel", "jogja", "solo",
//     "tangsel", "kbb", "toba samosir", and big towns that are not
//     regencies themselves ("purwokerto", "cikarang");
//   - English names: "South Jakarta", "West Bandung", "Central Lombok";
//   - typos, more of them in longer names (as MatchProvince), but not in
//     the first letter: "bandng", "sukabumy", "tanjung jabung brat".
//
// An unknown province code matches nothing. To find a regency named under
// the wrong province ("jakarta selatan" when the worker chose Jawa Barat),
// use FindRegency.
func MatchRegency(provinceCode, answer string) []Regency {
	p, ok := provinceIndex(provinceCode)
	if !ok {
		return nil
	}
	return matchRegencies(p, answer)
}

// FindRegency is MatchRegency across all provinces: "jakarta selatan" is
// Kota Administrasi Jakarta Selatan in DKI Jakarta, "banjar" is both Kota
// Banjar (Jawa Barat) and Kabupaten Banjar (Kalimantan Selatan). A province
// named in the answer ("malang, jatim") limits the search to it. Across the
// whole country a name may be one typo further off than in one province
// ("sukabumi" must be typed right, "tanjung jabung brat" may not), since
// more names lie close to everyday words.
func FindRegency(answer string) []Regency {
	return matchRegencies(allProvinces, answer)
}

// allProvinces is the scope of FindRegency.
const allProvinces = -1

// regencyIndex is the regency list and the indexes MatchRegency uses, built
// once from the embedded data.
type regencyIndex struct {
	all       []Regency        // code order, so each province is one span
	byCode    map[string]int32 // current and former codes
	provinces []regencySpan    // per provinceTable index
	// keys maps a compact name (lower case, letters and digits only:
	// "tanjungjabungbarat", "jaksel") to the regencies it names, per
	// province and for all provinces.
	keys    []map[string][]int32
	allKeys map[string][]int32
	// typoKeys lists the same keys for typo matching, per province and
	// for all provinces.
	typoKeys    [][]regencyKey
	allTypoKeys []regencyKey
}

type regencySpan struct{ from, to int }

type regencyKey struct {
	key  string
	regs []int32
}

//go:embed data/regencies.tsv
var regencyData string

var regencies = buildRegencyIndex(regencyData)

// provinceIndex returns the provinceTable index of a province code.
func provinceIndex(code string) (int, bool) {
	for i, e := range provinceTable {
		if e.Code == code {
			return i, true
		}
	}
	return 0, false
}

// buildRegencyIndex parses the regency data (see the header of
// data/regencies.tsv) and indexes it. Bad data is a bug in the shipped file,
// so it panics.
func buildRegencyIndex(data string) *regencyIndex {
	x := &regencyIndex{
		byCode:    map[string]int32{},
		provinces: make([]regencySpan, len(provinceTable)),
		keys:      make([]map[string][]int32, len(provinceTable)),
		allKeys:   map[string][]int32{},
		typoKeys:  make([][]regencyKey, len(provinceTable)),
	}
	for i := range x.keys {
		x.keys[i] = map[string][]int32{}
	}
	header := true
	for line := range strings.Lines(data) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			if line != "code\tprovince\tkind\tname\tname_en\taliases\tformer" {
				panic("validate: regencies.tsv: unexpected header " + line)
			}
			header = false
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			panic("validate: regencies.tsv: want 7 columns: " + line)
		}
		r := Regency{Code: f[0], ProvinceCode: f[1], Kind: RegencyKind(f[2]), Name: f[3], nameEN: f[4]}
		p, ok := provinceIndex(r.ProvinceCode)
		if !ok || len(r.Code) != 4 || r.Code[:2] != r.ProvinceCode || !allDigits(r.Code) {
			panic("validate: regencies.tsv: bad code or province: " + line)
		}
		prefix := map[RegencyKind]string{Kabupaten: "Kabupaten ", Kota: "Kota "}[r.Kind]
		if prefix == "" || !strings.HasPrefix(r.Name, prefix) || (r.Kind == Kota) != (r.Code[2:] >= "71") {
			panic("validate: regencies.tsv: kind does not fit code and name: " + line)
		}
		r.BaseName = strings.TrimPrefix(strings.TrimPrefix(r.Name, prefix), "Administrasi ")
		i := int32(len(x.all))
		if i > 0 && r.Code <= x.all[i-1].Code {
			panic("validate: regencies.tsv: codes out of order: " + line)
		}
		x.all = append(x.all, r)
		if x.provinces[p].to == 0 {
			x.provinces[p].from = int(i)
		}
		x.provinces[p].to = int(i) + 1
		x.addCode(r.Code, i)
		for _, c := range splitList(f[6]) {
			x.addCode(c, i)
		}
		for _, n := range append([]string{r.BaseName, r.nameEN}, splitList(f[5])...) {
			key := strings.Join(placeTokens(n), "")
			if key == "" {
				continue
			}
			x.keys[p][key] = appendRegency(x.keys[p][key], i)
			x.allKeys[key] = appendRegency(x.allKeys[key], i)
		}
	}
	for p, keys := range x.keys {
		for key, regs := range keys {
			x.typoKeys[p] = append(x.typoKeys[p], regencyKey{key, regs})
		}
		// Map order is random; typo results must not be.
		slices.SortFunc(x.typoKeys[p], func(a, b regencyKey) int { return strings.Compare(a.key, b.key) })
	}
	for key, regs := range x.allKeys {
		x.allTypoKeys = append(x.allTypoKeys, regencyKey{key, regs})
	}
	slices.SortFunc(x.allTypoKeys, func(a, b regencyKey) int { return strings.Compare(a.key, b.key) })
	return x
}

func (x *regencyIndex) addCode(code string, i int32) {
	if _, dup := x.byCode[code]; dup || len(code) != 4 || !allDigits(code) {
		panic("validate: regencies.tsv: bad or repeated code " + code)
	}
	x.byCode[code] = i
}

// appendRegency adds i to a code-ordered set of regency indexes.
func appendRegency(regs []int32, i int32) []int32 {
	if j, found := slices.BinarySearch(regs, i); !found {
		regs = slices.Insert(regs, j, i)
	}
	return regs
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func allDigits(s string) bool {
	for _, r := range s {
		if !isASCIIDigit(r) {
			return false
		}
	}
	return s != ""
}

// regencyQuery is one reading of an answer: its words and the province it
// must be in.
type regencyQuery struct {
	tokens []string
	scope  int // provinceTable index, or allProvinces
}

// matchRegencies tries readings of the answer from the most literal to the
// most forgiving, exact ones before typos, and returns the first that names
// something.
func matchRegencies(scope int, answer string) []Regency {
	if len(answer) > maxRegencyInput {
		return nil
	}
	tokens := placeTokens(answer)
	if len(tokens) == 0 {
		return nil
	}
	var buf [5]regencyQuery
	queries := append(buf[:0], regencyQuery{tokens, scope})
	// Particles are taken off apart from lead-ins: "mas" ends "Gunung Mas".
	led := trimLeadIns(tokens, placeLeadIns)
	if len(led) < len(tokens) {
		queries = append(queries, regencyQuery{led, scope})
	}
	core := trimTrailers(led)
	if len(core) < len(led) {
		queries = append(queries, regencyQuery{core, scope})
	}
	if rest, p, ok := withoutProvince(core); ok && (scope == allProvinces || scope == p) {
		queries = append(queries, regencyQuery{rest, p})
	}
	// "kec. cibinong kab. bogor": the regency follows the last kind word.
	for i := len(core) - 1; i > 0; i-- {
		if _, ok := kindWords[core[i]]; ok {
			queries = append(queries, regencyQuery{core[i:], scope})
			break
		}
	}
	for _, q := range queries {
		if regs := regencies.exact(q); len(regs) > 0 {
			return regencies.list(regs)
		}
	}
	for _, q := range queries {
		if regs := regencies.typo(q); len(regs) > 0 {
			return regencies.list(regs)
		}
	}
	return nil
}

func (x *regencyIndex) list(regs []int32) []Regency {
	out := make([]Regency, len(regs))
	for i, r := range regs {
		out[i] = x.all[r]
	}
	return out
}

// withoutProvince takes a province named at the end or the start of an
// answer off it: "bogor jawa barat", "kab bogor, jabar", "jatim malang". It
// returns the rest and the province's index.
func withoutProvince(tokens []string) ([]string, int, bool) {
	for from := 1; from < len(tokens); from++ {
		if p, ok := provincePhrase(tokens[from:]); ok {
			return trimPlaceWords(tokens[:from], placeLeadIns), p, true
		}
	}
	for to := len(tokens) - 1; to > 0; to-- {
		if p, ok := provincePhrase(tokens[:to]); ok {
			return trimPlaceWords(tokens[to:], placeLeadIns), p, true
		}
	}
	return nil, 0, false
}

// provincePhrase reports whether tokens, after an optional "provinsi", name
// a province by its name or an abbreviation (not by a city).
func provincePhrase(tokens []string) (int, bool) {
	if len(tokens) > 1 && provinceLeadIns[tokens[0]] {
		tokens = tokens[1:]
	}
	if len(tokens) > 4 {
		return 0, false
	}
	var buf [64]byte
	key := buf[:0]
	for i, t := range tokens {
		if i > 0 {
			key = append(key, ' ')
		}
		key = append(key, t...)
	}
	if p, ok := phraseIndex[string(key)]; ok {
		return p, true
	}
	if len(tokens) == 1 {
		p, ok := phraseCompactIndex[tokens[0]]
		return p, ok
	}
	return 0, false
}

// kindWords are the words that say which kind of regency follows. "adm."
// and "administrasi" after them are dropped too.
var kindWords = map[string]RegencyKind{
	"kab": Kabupaten, "kabupaten": Kabupaten, "kabupatan": Kabupaten, "kabuapten": Kabupaten, "kbupaten": Kabupaten,
	"kota": Kota, "kodya": Kota, "kotamadya": Kota, "kotamadia": Kota, "kotip": Kota, "kotif": Kota,
}

// englishKinds are the English words that say the kind after the name.
var englishKinds = map[string]RegencyKind{"regency": Kabupaten, "city": Kota, "municipality": Kota}

// splitKind takes the kind of regency off the answer: a kind word before
// the name, or an English one after it.
func splitKind(tokens []string) (RegencyKind, []string) {
	if len(tokens) > 1 {
		if k, ok := kindWords[tokens[0]]; ok {
			rest := tokens[1:]
			if len(rest) > 1 && (rest[0] == "adm" || rest[0] == "administrasi" || rest[0] == "administratif") {
				rest = rest[1:]
			}
			return k, rest
		}
		if k, ok := englishKinds[tokens[len(tokens)-1]]; ok {
			return k, tokens[:len(tokens)-1]
		}
	}
	return "", tokens
}

// englishDirections are the compass words English speakers put before a
// name that Indonesian puts after it: "South Tangerang" is Tangerang
// Selatan.
var englishDirections = map[string]string{
	"north": "utara", "south": "selatan", "east": "timur", "west": "barat", "central": "tengah",
	"southeast": "tenggara", "southwest": "baratdaya",
}

// exact looks the answer up by its compact name: with the kind taken off
// first, then (when that names nothing) as typed, since "kota baru" is
// Kabupaten Kotabaru; then with an English compass word moved to the end.
func (x *regencyIndex) exact(q regencyQuery) []int32 {
	kind, rest := splitKind(q.tokens)
	regs := x.lookup(q.scope, compactKey(rest, ""))
	if len(regs) == 0 && kind != "" {
		regs = x.lookup(q.scope, compactKey(q.tokens, ""))
	}
	if len(regs) == 0 && len(rest) > 2 {
		if d, ok := englishDirections[rest[0]+rest[1]]; ok {
			regs = x.lookup(q.scope, compactKey(rest[2:], d))
		}
	}
	if len(regs) == 0 && len(rest) > 1 {
		if d, ok := englishDirections[rest[0]]; ok {
			regs = x.lookup(q.scope, compactKey(rest[1:], d))
		}
	}
	return ofKind(x, regs, kind)
}

// typo finds the names nearest to the answer (with its kind taken off)
// within typoLimit, one edit fewer across the whole country, where more
// names lie close to everyday words ("bantu" is one letter from Bantul).
// The first letter must be right: typos rarely fall there, and everyday
// words often sit one letter from a name elsewhere ("malam", "balam").
// When the nearest names belong to different places the answer is too far
// from all of them to say which, and nothing is found.
func (x *regencyIndex) typo(q regencyQuery) []int32 {
	kind, rest := splitKind(q.tokens)
	key := compactKey(rest, "")
	n := utf8.RuneCountInString(key)
	limit := typoLimit(n)
	var keys []regencyKey
	if q.scope == allProvinces {
		limit--
		keys = x.allTypoKeys
	} else {
		keys = x.typoKeys[q.scope]
	}
	if limit <= 0 {
		return nil
	}
	best := limit + 1
	var regs []int32
	for _, k := range keys {
		// Keys are ASCII. The distance is at least the difference in length.
		if len(k.key) < 5 || k.key[0] != key[0] || len(k.key)-n > limit || n-len(k.key) > limit {
			continue
		}
		d := distanceWithin(key, k.key, limit)
		switch {
		case d > limit || d > best:
		case d < best:
			best, regs = d, append(regs[:0], k.regs...)
		default:
			for _, r := range k.regs {
				regs = appendRegency(regs, r)
			}
		}
	}
	for _, r := range regs {
		if x.all[r].BaseName != x.all[regs[0]].BaseName {
			return nil
		}
	}
	return ofKind(x, regs, kind)
}

// lookup returns the regencies a compact key names in the scope.
func (x *regencyIndex) lookup(scope int, key string) []int32 {
	if scope == allProvinces {
		return x.allKeys[key]
	}
	return x.keys[scope][key]
}

// ofKind keeps the regencies of the kind asked for, or all of them when
// none is of that kind: workers say "kota" of any town.
func ofKind(x *regencyIndex, regs []int32, kind RegencyKind) []int32 {
	if kind == "" {
		return regs
	}
	n := 0
	for _, r := range regs {
		if x.all[r].Kind == kind {
			n++
		}
	}
	if n == 0 || n == len(regs) {
		return regs
	}
	out := make([]int32, 0, n)
	for _, r := range regs {
		if x.all[r].Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// compactKey joins tokens and suffix without spaces, the form of the index
// keys.
func compactKey(tokens []string, suffix string) string {
	n := len(suffix)
	for _, t := range tokens {
		n += len(t)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range tokens {
		b.WriteString(t)
	}
	b.WriteString(suffix)
	return b.String()
}
