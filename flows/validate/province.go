package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Province is one of Indonesia's 38 provinces, identified by its
// Kemendagri/Dukcapil code, the code that opens every NIK.
type Province struct {
	Code     string // two digits, e.g. "32"
	Name     string // official Indonesian name, e.g. "Jawa Barat"
	NameEN   string // English name, e.g. "West Java"
	TimeZone string // IANA zone: "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA) or "Asia/Jayapura" (WIT)
}

// Display is the province's name for a worker who speaks lang: the English
// name for "en", the official Indonesian name otherwise.
func (p Province) Display(lang string) string {
	if lang == "en" {
		return p.NameEN
	}
	return p.Name
}

const (
	wib  = "Asia/Jakarta"
	wita = "Asia/Makassar"
	wit  = "Asia/Jayapura"
)

// provinceAliases lists, per province, what workers type for it. Province
// names and abbreviations may appear anywhere in a longer answer ("kab.
// bogor jawa barat"); cities are only matched when they are the whole answer
// (after "kota"/"kab."), because city words also occur inside other places'
// names ("Padang Lawas" is in North Sumatra, not in West Sumatra).
type provinceEntry struct {
	Province
	aliases []string
	cities  []string
}

// provinceTable is in code order. Codes follow Kemendagri (the codes used by
// Dukcapil in NIKs), including the 2022 Papua splits; BPS uses other codes
// for the Papua provinces.
var provinceTable = []provinceEntry{
	{Province{"11", "Aceh", "Aceh", wib}, []string{"nad", "nanggroe aceh darussalam", "aceh darussalam", "di aceh"}, []string{"banda aceh"}},
	{Province{"12", "Sumatera Utara", "North Sumatra", wib}, []string{"sumut"}, []string{"medan"}},
	{Province{"13", "Sumatera Barat", "West Sumatra", wib}, []string{"sumbar"}, []string{"padang", "bukittinggi"}},
	{Province{"14", "Riau", "Riau", wib}, nil, []string{"pekanbaru", "dumai"}},
	{Province{"15", "Jambi", "Jambi", wib}, nil, nil},
	{Province{"16", "Sumatera Selatan", "South Sumatra", wib}, []string{"sumsel"}, []string{"palembang"}},
	{Province{"17", "Bengkulu", "Bengkulu", wib}, nil, nil},
	{Province{"18", "Lampung", "Lampung", wib}, nil, []string{"bandar lampung"}},
	{Province{"19", "Kepulauan Bangka Belitung", "Bangka Belitung Islands", wib}, []string{"babel", "bangka belitung", "bangka", "belitung"}, []string{"pangkalpinang", "pangkal pinang"}},
	{Province{"21", "Kepulauan Riau", "Riau Islands", wib}, []string{"kepri", "riau archipelago"}, []string{"batam", "tanjungpinang", "tanjung pinang"}},
	{Province{"31", "DKI Jakarta", "Jakarta", wib}, []string{"dki", "jkt", "daerah khusus ibukota jakarta", "daerah khusus ibu kota jakarta", "jakarta raya", "daerah khusus jakarta", "dkj", "jakpus", "jakut", "jakbar", "jaksel", "jaktim", "special capital region of jakarta", "jakarta special capital region", "jakarta capital region", "special region of jakarta"}, nil},
	{Province{"32", "Jawa Barat", "West Java", wib}, []string{"jabar"}, []string{"bandung", "bogor", "depok", "bekasi", "cirebon", "sukabumi", "tasikmalaya", "karawang"}},
	{Province{"33", "Jawa Tengah", "Central Java", wib}, []string{"jateng"}, []string{"semarang", "solo", "surakarta", "magelang", "pekalongan", "tegal"}},
	{Province{"34", "DI Yogyakarta", "Special Region of Yogyakarta", wib}, []string{"diy", "jogja", "yogya", "jogjakarta", "yogyakarta", "jogya", "daerah istimewa yogyakarta", "djogja", "yogyakarta special region", "special region yogyakarta"}, []string{"sleman", "bantul", "gunungkidul", "gunung kidul", "kulon progo"}},
	{Province{"35", "Jawa Timur", "East Java", wib}, []string{"jatim", "madura"}, []string{"surabaya", "malang", "sidoarjo", "kediri", "blitar", "jember", "banyuwangi"}},
	{Province{"36", "Banten", "Banten", wib}, nil, []string{"serang", "tangerang", "tangerang selatan", "tangsel", "cilegon"}},
	{Province{"51", "Bali", "Bali", wita}, nil, []string{"denpasar"}},
	{Province{"52", "Nusa Tenggara Barat", "West Nusa Tenggara", wita}, []string{"ntb", "lombok", "sumbawa"}, []string{"mataram"}},
	{Province{"53", "Nusa Tenggara Timur", "East Nusa Tenggara", wita}, []string{"ntt", "flores"}, []string{"kupang"}},
	{Province{"61", "Kalimantan Barat", "West Kalimantan", wib}, []string{"kalbar", "west borneo"}, []string{"pontianak"}},
	{Province{"62", "Kalimantan Tengah", "Central Kalimantan", wib}, []string{"kalteng", "central borneo"}, []string{"palangkaraya", "palangka raya"}},
	{Province{"63", "Kalimantan Selatan", "South Kalimantan", wita}, []string{"kalsel", "south borneo"}, []string{"banjarmasin", "banjarbaru"}},
	{Province{"64", "Kalimantan Timur", "East Kalimantan", wita}, []string{"kaltim", "east borneo"}, []string{"samarinda", "balikpapan"}},
	{Province{"65", "Kalimantan Utara", "North Kalimantan", wita}, []string{"kaltara"}, []string{"tanjung selor", "tarakan"}},
	{Province{"71", "Sulawesi Utara", "North Sulawesi", wita}, []string{"sulut", "north celebes"}, []string{"manado"}},
	{Province{"72", "Sulawesi Tengah", "Central Sulawesi", wita}, []string{"sulteng", "central celebes"}, []string{"palu"}},
	{Province{"73", "Sulawesi Selatan", "South Sulawesi", wita}, []string{"sulsel", "south celebes"}, []string{"makassar", "makasar"}},
	{Province{"74", "Sulawesi Tenggara", "Southeast Sulawesi", wita}, []string{"sultra", "south east sulawesi", "southeast celebes"}, []string{"kendari"}},
	{Province{"75", "Gorontalo", "Gorontalo", wita}, nil, nil},
	{Province{"76", "Sulawesi Barat", "West Sulawesi", wita}, []string{"sulbar"}, []string{"mamuju"}},
	{Province{"81", "Maluku", "Maluku", wit}, []string{"moluccas", "maluku islands"}, []string{"ambon"}},
	{Province{"82", "Maluku Utara", "North Maluku", wit}, []string{"malut", "north moluccas"}, []string{"ternate", "sofifi"}},
	{Province{"91", "Papua", "Papua", wit}, nil, []string{"jayapura"}},
	{Province{"92", "Papua Barat", "West Papua", wit}, []string{"pabar"}, []string{"manokwari"}},
	{Province{"93", "Papua Selatan", "South Papua", wit}, nil, []string{"merauke"}},
	{Province{"94", "Papua Tengah", "Central Papua", wit}, nil, []string{"nabire", "mimika", "timika"}},
	{Province{"95", "Papua Pegunungan", "Highland Papua", wit}, []string{"highlands papua", "papua highlands", "papua highland", "mountain papua", "papua mountains"}, []string{"wamena", "jayawijaya"}},
	{Province{"96", "Papua Barat Daya", "Southwest Papua", wit}, []string{"pbd", "south west papua"}, []string{"sorong"}},
}

// Indexes from a normalised alias to the table index of its province.
// phraseIndex holds official names and abbreviations, which may appear
// inside longer answers; wholeIndex adds cities. The compact indexes hold the
// same keys without spaces, for "jawabarat" and for typo matching.
var phraseIndex, wholeIndex, phraseCompactIndex, wholeCompactIndex = buildProvinceIndexes()

func buildProvinceIndexes() (phrase, whole, phraseCompact, wholeCompact map[string]int) {
	phrase, whole = map[string]int{}, map[string]int{}
	phraseCompact, wholeCompact = map[string]int{}, map[string]int{}
	add := func(m map[string]int, key string, i int) {
		if j, dup := m[key]; dup && j != i {
			panic("validate: province alias " + key + " used twice")
		}
		m[key] = i
	}
	for i, e := range provinceTable {
		for _, n := range append([]string{e.Name, e.NameEN}, e.aliases...) {
			key := strings.Join(placeTokens(n), " ")
			compact := strings.ReplaceAll(key, " ", "")
			add(phrase, key, i)
			add(whole, key, i)
			add(phraseCompact, compact, i)
			add(wholeCompact, compact, i)
		}
		for _, c := range e.cities {
			key := strings.Join(placeTokens(c), " ")
			add(whole, key, i)
			add(wholeCompact, strings.ReplaceAll(key, " ", ""), i)
		}
	}
	return phrase, whole, phraseCompact, wholeCompact
}

// Provinces returns all 38 provinces in code order. The slice is a copy.
func Provinces() []Province {
	out := make([]Province, len(provinceTable))
	for i, e := range provinceTable {
		out[i] = e.Province
	}
	return out
}

// ProvinceByCode finds a province by its two-digit code.
func ProvinceByCode(code string) (Province, bool) {
	for _, e := range provinceTable {
		if e.Code == code {
			return e.Province, true
		}
	}
	return Province{}, false
}

// maxProvinceInput bounds the work MatchProvince does on pasted text.
const maxProvinceInput = 100

// MatchProvince understands a province as workers type it: official names
// in any case and spacing ("JAWA BARAT", "jawabarat", "Prov. Jawa Barat"),
// common abbreviations ("jabar", "sumut", "ntb", "kepri", "babel", "diy",
// "jkt"), spelling variants ("sumatra", "jogja"), provincial capitals and a
// few big cities ("bandung", "kota makassar"), a province named inside a
// longer answer ("kab. bogor, jawa barat"), and small typos ("jwa barat").
// It returns ok=false when nothing is close enough or when the answer fits
// more than one province equally well ("sulawesi", "jawa barat atau jawa
// tengah"), so the caller can ask again or offer a list.
func MatchProvince(s string) (Province, bool) {
	tokens := placeTokens(s)
	if len(tokens) == 0 || len([]rune(strings.Join(tokens, " "))) > maxProvinceInput {
		return Province{}, false
	}
	core := trimPlaceWords(tokens, provinceLeadIns)
	for _, t := range [][]string{tokens, core} {
		if i, ok := wholeIndex[strings.Join(t, " ")]; ok {
			return provinceTable[i].Province, true
		}
		if i, ok := wholeCompactIndex[strings.Join(t, "")]; ok {
			return provinceTable[i].Province, true
		}
	}
	if i, ok := matchInside(tokens); ok {
		return provinceTable[i].Province, true
	}
	if i, ok := matchTypo(strings.Join(core, "")); ok {
		return provinceTable[i].Province, true
	}
	if len(core) < len(tokens) {
		if i, ok := matchTypo(strings.Join(tokens, "")); ok {
			return provinceTable[i].Province, true
		}
	}
	return Province{}, false
}

// provinceLeadIns are the words dropped before a province: the lead-ins of
// any place, and the words that name what kind of place follows.
var provinceLeadIns = withWords(placeLeadIns,
	"provinsi", "propinsi", "prov", "prop", "province", "of",
	"kota", "kab", "kabupaten", "kotamadya", "kodya")

// matchInside looks for province names and abbreviations among the words of
// a longer answer. A match inside a longer match does not count ("riau" in
// "kepulauan riau"); the rest must all name the same province.
func matchInside(tokens []string) (int, bool) {
	type span struct{ from, to, idx int }
	var spans []span
	for from := range tokens {
		for to := from + 1; to <= len(tokens); to++ {
			if i, ok := phraseIndex[strings.Join(tokens[from:to], " ")]; ok {
				spans = append(spans, span{from, to, i})
			} else if i, ok := phraseCompactIndex[tokens[from]]; ok && to == from+1 {
				spans = append(spans, span{from, to, i})
			}
		}
	}
	found := -1
	for _, a := range spans {
		inner := false
		for _, b := range spans {
			if b != a && b.from <= a.from && a.to <= b.to {
				inner = true
				break
			}
		}
		if inner {
			continue
		}
		if found >= 0 && found != a.idx {
			return 0, false
		}
		found = a.idx
	}
	return found, found >= 0
}

// matchTypo finds the alias nearest to compact by edit distance, within
// typoLimit: short answers must match exactly ("ntb" and "ntt" are one edit
// apart). A tie between provinces is no match.
func matchTypo(compact string) (int, bool) {
	n := utf8.RuneCountInString(compact)
	limit := typoLimit(n)
	if limit == 0 {
		return 0, false
	}
	best, bestIdx, tie := limit+1, -1, false
	for alias, i := range wholeCompactIndex {
		// Aliases are ASCII. The distance is at least the difference in length.
		if len(alias) < 4 || len(alias)-n > limit || n-len(alias) > limit {
			continue
		}
		d := distanceWithin(compact, alias, limit)
		switch {
		case d < best:
			best, bestIdx, tie = d, i, false
		case d == best && i != bestIdx:
			tie = true
		}
	}
	if bestIdx < 0 || tie {
		return 0, false
	}
	return bestIdx, true
}

// Place length bounds, in characters after whitespace is collapsed.
const (
	PlaceMinLen = 3
	PlaceMaxLen = 60
)

var placeName = properName{
	field:    FieldPlace,
	minLen:   PlaceMinLen,
	maxLen:   PlaceMaxLen,
	hyphens:  true,
	short:    CodePlaceShort,
	long:     CodePlaceLong,
	chars:    CodePlaceChars,
	tidy:     tidyPlaceWords,
	finalize: upperPlaceAcronyms,
}

// placePrefixes are words that introduce a place name but are not one.
var placePrefixes = map[string]bool{
	"kab": true, "kab.": true, "kabupaten": true, "kota": true, "kodya": true, "kotamadya": true,
	"kec": true, "kec.": true, "kecamatan": true, "kel": true, "kel.": true, "kelurahan": true,
	"ds": true, "ds.": true, "desa": true,
}

// ValidatePlace checks a city, regency or district name typed freely and
// returns it cleaned and title-cased: "kab bandung" becomes "Kab. Bandung",
// "KOTA  tj.pinang" becomes "Kota Tj. Pinang", "toli - toli" becomes
// "Toli-Toli", "dki jakarta" becomes "DKI Jakarta".
//
// Allowed are letters, spaces, dots, apostrophes and hyphens; anything else
// (digits included) gives place_chars. Under 3 characters or 2 letters, or
// only a prefix such as "Kab.", gives place_short; over 60 characters gives
// place_long.
func ValidatePlace(s string) (string, error) {
	out, err := placeName.clean(s)
	if err != nil {
		return "", err
	}
	allPrefixes := true
	for _, w := range strings.Split(out, " ") {
		allPrefixes = allPrefixes && placePrefixes[strings.ToLower(w)]
	}
	if allPrefixes {
		return "", newError(FieldPlace, CodePlaceShort)
	}
	return out, nil
}

// tidyPlaceWords puts the dot after an abbreviated prefix ("kab" becomes
// "kab.") and a space after a dot that ends an abbreviation of two or more
// letters ("tj.pinang" becomes "tj. pinang"). Initials stay together
// ("D.I.").
func tidyPlaceWords(words []string) []string {
	var out []string
	for _, w := range words {
		for {
			cut := abbreviationEnd(w)
			if cut < 0 {
				break
			}
			out = append(out, w[:cut])
			w = w[cut:]
		}
		out = append(out, w)
	}
	switch strings.ToLower(out[0]) {
	case "kab", "kec", "kel", "ds":
		out[0] += "."
	}
	return out
}

// abbreviationEnd returns the byte index just after the first dot in w that
// follows two or more letters and precedes a letter, or -1.
func abbreviationEnd(w string) int {
	letters := 0
	for i, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '.':
			if letters >= 2 && i+1 < len(w) {
				return i + 1
			}
			letters = 0
		case r == '-' || r == '\'':
			letters = 0
		}
	}
	return -1
}

// upperPlaceAcronyms restores the capitals of "DKI", "DIY", "NTB", "NTT" and
// of "DI" opening "DI Yogyakarta".
func upperPlaceAcronyms(words []string) []string {
	for i, w := range words {
		switch strings.ToLower(w) {
		case "dki", "diy", "ntb", "ntt":
			words[i] = strings.ToUpper(w)
		case "di":
			if i == 0 && len(words) > 1 {
				words[i] = "DI"
			}
		}
	}
	return words
}
