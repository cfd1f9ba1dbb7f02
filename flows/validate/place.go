package validate

import (
	"strings"
	"unicode"
)

// placeTokens lower-cases s, turns everything but letters and digits into
// separators, and joins runs of single letters, so "D.K.I. Jakarta" and
// "N T B" become "dki jakarta" and "ntb". "Sumatra" becomes "sumatera" and
// "kep." "kepulauan", the spellings in the official names.
func placeTokens(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := fields[:0]
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if singleLetter(f) {
			j := i + 1
			for j < len(fields) && singleLetter(fields[j]) {
				j++
			}
			if j > i+1 {
				f = strings.Join(fields[i:j], "")
			}
			i = j - 1
		}
		switch f {
		case "sumatra":
			f = "sumatera"
		case "kep":
			f = "kepulauan"
		}
		out = append(out, f)
	}
	return out
}

func singleLetter(f string) bool {
	for i, r := range f {
		return i+len(string(r)) == len(f) && unicode.IsLetter(r)
	}
	return false
}

// placeLeadIns are words that come before a place name in an answer but are
// not part of it: "saya tinggal di bogor", "domisili kab. bogor", "daerah
// sleman", "I live in Bogor".
var placeLeadIns = withWords(nil,
	"saya", "sy", "sya", "aku", "aq", "gw", "gue", "gua", "kami", "kita",
	"tinggal", "tingal", "tggl", "tinggalnya", "menetap", "berdomisili", "domisili", "domisilinya", "dom",
	"alamat", "alamatnya", "almt", "rumah", "rumahnya", "rmh",
	"di", "dari", "dr", "asal", "asalnya", "daerah", "wilayah", "kawasan",
	"skrg", "sekarang", "sekarng", "ini", "yaitu", "yakni", "adalah", "ialah",
	"kak", "ka", "kakak", "pak", "bu", "bang", "mas", "mbak", "mba", "gan", "min", "halo", "hai", "hi",
	"i", "im", "am", "live", "living", "stay", "staying", "based", "reside", "currently", "now",
	"from", "in", "at", "my", "is", "the", "address", "hometown", "city", "town")

// placeTrailers are words that follow a place name in an answer but are not
// part of it: particles ("bogor kak", "sleman aja"), the country, and a
// lone "provinsi" left behind when a province named after the place has
// been taken off ("kab bogor prov jawa barat").
var placeTrailers = withWords(nil,
	"kak", "ka", "ya", "yah", "yaa", "sih", "aja", "saja", "dong", "deh", "nih", "kok", "lho", "loh", "tuh",
	"pak", "bu", "bang", "mas", "mbak", "mba", "gan", "min",
	"indonesia", "ri", "provinsi", "propinsi", "prov", "prop", "province",
	"area", "please", "thanks", "thx", "makasih", "terima", "kasih", "trims")

// withWords returns a new set holding the words of base and words.
func withWords(base map[string]bool, words ...string) map[string]bool {
	set := make(map[string]bool, len(base)+len(words))
	for w := range base {
		set[w] = true
	}
	for _, w := range words {
		set[w] = true
	}
	return set
}

// trimPlaceWords drops leading words found in leadIns and trailing
// placeTrailers, always keeping the last word standing. tokens is not
// modified; the result shares its storage.
func trimPlaceWords(tokens []string, leadIns map[string]bool) []string {
	return trimTrailers(trimLeadIns(tokens, leadIns))
}

func trimLeadIns(tokens []string, leadIns map[string]bool) []string {
	for len(tokens) > 1 && leadIns[tokens[0]] {
		tokens = tokens[1:]
	}
	return tokens
}

func trimTrailers(tokens []string) []string {
	for len(tokens) > 1 && placeTrailers[tokens[len(tokens)-1]] {
		tokens = tokens[:len(tokens)-1]
	}
	return tokens
}

// typoLimit is how many edits a place name of n characters may be off:
// none under five characters, where every edit makes another word; one up
// to eight; two up to fourteen; three beyond.
func typoLimit(n int) int {
	switch {
	case n >= 15:
		return 3
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}
