package validate

import (
	"math/big"
	"strings"
	"unicode"
)

// MaxRupiah is the largest amount ParseRupiah returns; larger amounts give
// money_high. No monthly income is near it, and it keeps every result far
// from int64 overflow.
const MaxRupiah = 1_000_000_000_000_000

// maxMoneyInput bounds the work ParseRupiah does on pasted text.
const maxMoneyInput = 64

// ParseRupiah reads an amount of rupiah as workers write it and returns
// whole rupiah:
//
//	2500000  2.500.000  2,500,000  Rp 2.500.000  Rp1.000.000,-  1.000.000,00
//	2,5 juta  2.5 juta  2,5jt  rp2.5jt  3 jt  2500rb  2500 ribu  2.500k
//	1 juta 500 ribu  satu juta  setengah juta  satu setengah juta  lima ratus ribu
//	2 million  2m  2.5 million  1.5m  2 mil  IDR 2,000,000  two million
//	half a million  one and a half million  five hundred thousand
//
// Dots group thousands and a comma marks decimals, as Indonesians write, but
// the English style is accepted too: a single separator followed by exactly
// three digits groups thousands ("2.500" and "2,500" are 2500, "2.500k" is
// 2500000); otherwise it is a decimal point ("2.5 juta" and "2,5 juta" are
// both 2500000). "Rp", "IDR", "rupiah", "sekitar", "about", "±" and "per
// bulan" / "/bln" / "a month" are ignored. Units: ribu/rb/rebu/k/thousand,
// juta/jt/jutaan/million/mil/mln/m, miliar/milyar/billion/bn; English number
// words are read as their Indonesian counterparts. "m" is a million, as in
// English: no monthly income is in the billions.
//
// Ambiguous or unreadable input gives money_invalid: ranges ("2-3 juta"), a
// bare number after a unit ("2 juta 500": 2.000.500 or 2.500.000?), groups
// of the wrong size ("25.00.000"), amounts that are not whole rupiah ("2,5"),
// negative amounts. Amounts over MaxRupiah give money_high.
func ParseRupiah(s string) (int64, error) {
	s = strings.ToLower(cleanSpaces(s))
	if s == "" {
		return 0, newError(FieldAmount, CodeEmpty)
	}
	if len(s) > maxMoneyInput {
		return 0, newError(FieldAmount, CodeMoneyInvalid)
	}
	tokens, ok := moneyTokens(s)
	if !ok {
		return 0, newError(FieldAmount, CodeMoneyInvalid)
	}
	tokens = dropMoneyFillers(englishMoneyWords(tokens))
	if len(tokens) == 0 {
		return 0, newError(FieldAmount, CodeMoneyInvalid)
	}
	amount, code := rupiahOf(tokens)
	if code != "" {
		return 0, newError(FieldAmount, code)
	}
	return amount, nil
}

var maxRupiahRat = new(big.Rat).SetInt64(MaxRupiah)

// rupiahOf reads tokens (without fillers) as whole rupiah, or says why they
// are not: money_invalid or money_high.
func rupiahOf(tokens []moneyToken) (int64, Code) {
	total, ok := moneyValue(tokens)
	if !ok || !total.IsInt() || total.Sign() < 0 {
		return 0, CodeMoneyInvalid
	}
	if total.Cmp(maxRupiahRat) > 0 {
		return 0, CodeMoneyHigh
	}
	return total.Num().Int64(), ""
}

// CheckIncome bounds a declared monthly income to [min, max], inclusive:
// money_low below min, money_high above max. The bounds come from the tariff
// data, not from code.
func CheckIncome(amount, min, max int64) error {
	switch {
	case amount < min:
		return newError(FieldIncome, CodeMoneyLow)
	case amount > max:
		return newError(FieldIncome, CodeMoneyHigh)
	}
	return nil
}

// moneyToken is a numeral as written ("2.500", "2,5"), a lower-case word,
// or (in a sentence, for FindRupiah) a punctuation mark.
type moneyToken struct {
	numeral string
	word    string
	mark    rune
}

// moneyFillers are words that say nothing about the amount.
var moneyFillers = map[string]bool{
	"rp": true, "idr": true, "rupiah": true, "rupiahs": true,
	"sekitar": true, "kurang": true, "lebih": true, "kurleb": true, "kisaran": true, "kira": true, "kirakira": true,
	"per": true, "perbulan": true, "sebulan": true, "bulan": true, "bln": true, "bl": true, "bulanan": true,
	"tiap": true, "setiap": true, "month": true, "monthly": true, "each": true, "every": true,
	"about": true, "around": true, "approx": true, "approximately": true, "roughly": true,
	// "satu juta dan lima ratus ribu", "five hundred and fifty thousand"
	"dan": true, "and": true,
}

// approximations are the marks of an amount given roughly, read as words or dropped.
var approximations = strings.NewReplacer("kira-kira", " kirakira ", "kira2", " kirakira ", "+/-", " ", "+-", " ", "±", " ", "~", " ")

// moneyTokens splits s into numerals and words, dropping "±"-style
// approximation marks, the ",-" that closes a price, a currency dot ("Rp.")
// and "/" before "bulan". It rejects a dash between numerals (a range) and
// any other character.
func moneyTokens(s string) ([]moneyToken, bool) {
	s = approximations.Replace(s)
	rs := []rune(s)
	var tokens []moneyToken
	for i := 0; i < len(rs); {
		if t, j, ok := scanMoneyToken(rs, i); ok {
			tokens = append(tokens, t)
			i = j
			if t.numeral == "" {
				continue
			}
			// ",-" / ".-" / "-" closes a price; a dash before another
			// numeral would be a range.
			k := i
			if k < len(rs) && (rs[k] == ',' || rs[k] == '.') {
				k++
			}
			if k < len(rs) && rs[k] == '-' {
				for k < len(rs) && rs[k] == '-' {
					k++
				}
				if k < len(rs) && !unicode.IsLetter(rs[k]) && rs[k] != ' ' && rs[k] != '/' {
					return nil, false
				}
				for k < len(rs) && rs[k] == ' ' {
					k++
				}
				if k < len(rs) && isASCIIDigit(rs[k]) {
					return nil, false
				}
				i = k
			}
			continue
		}
		switch r := rs[i]; {
		case r == ' ' || r == '/' || r == '.' || r == ',' || wordHyphen(rs, i):
			i++
		default:
			return nil, false
		}
	}
	return tokens, true
}

// scanMoneyToken reads the numeral or word starting at rs[i] and returns it
// with the index just after it; ok is false when rs[i] starts neither. A
// numeral is digits with single dots and commas between them.
func scanMoneyToken(rs []rune, i int) (t moneyToken, end int, ok bool) {
	j := i + 1
	switch {
	case isASCIIDigit(rs[i]):
		for j < len(rs) && (isASCIIDigit(rs[j]) || ((rs[j] == '.' || rs[j] == ',') && j+1 < len(rs) && isASCIIDigit(rs[j+1]))) {
			j++
		}
		return moneyToken{numeral: string(rs[i:j])}, j, true
	case unicode.IsLetter(rs[i]):
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		return moneyToken{word: string(rs[i:j])}, j, true
	}
	return moneyToken{}, i, false
}

// wordHyphen reports whether rs[i] is a hyphen between two letters, as in
// "twenty-five" and "kira-kira".
func wordHyphen(rs []rune, i int) bool {
	return rs[i] == '-' && i > 0 && unicode.IsLetter(rs[i-1]) && i+1 < len(rs) && unicode.IsLetter(rs[i+1])
}

// dropMoneyFillers removes moneyFillers, in place.
func dropMoneyFillers(tokens []moneyToken) []moneyToken {
	out := tokens[:0]
	for _, t := range tokens {
		if !moneyFillers[t.word] {
			out = append(out, t)
		}
	}
	return out
}

// englishWords maps English number and unit words to the Indonesian words
// moneyValue reads; a value of two words is two tokens ("twelve" is "dua
// belas"). Words that are already Indonesian are not listed.
var englishWords = map[string][]string{
	"zero": {"nol"}, "one": {"satu"}, "two": {"dua"}, "three": {"tiga"}, "four": {"empat"}, "five": {"lima"},
	"six": {"enam"}, "seven": {"tujuh"}, "eight": {"delapan"}, "nine": {"sembilan"},
	"ten": {"sepuluh"}, "eleven": {"sebelas"}, "twelve": {"dua", "belas"}, "thirteen": {"tiga", "belas"},
	"fourteen": {"empat", "belas"}, "fifteen": {"lima", "belas"}, "sixteen": {"enam", "belas"},
	"seventeen": {"tujuh", "belas"}, "eighteen": {"delapan", "belas"}, "nineteen": {"sembilan", "belas"},
	"twenty": {"dua", "puluh"}, "thirty": {"tiga", "puluh"}, "forty": {"empat", "puluh"}, "fifty": {"lima", "puluh"},
	"sixty": {"enam", "puluh"}, "seventy": {"tujuh", "puluh"}, "eighty": {"delapan", "puluh"}, "ninety": {"sembilan", "puluh"},
	"hundred": {"ratus"}, "hundreds": {"ratus"},
	"thousand": {"ribu"}, "thousands": {"ribu"},
	"million": {"juta"}, "millions": {"juta"}, "mil": {"juta"}, "mill": {"juta"}, "mln": {"juta"}, "mio": {"juta"},
	"mn": {"juta"}, "m": {"juta"},
	"billion": {"miliar"}, "billions": {"miliar"}, "bn": {"miliar"},
	"half": {"setengah"},
}

// englishOne maps the unit after "a"/"an" to the Indonesian word for one of
// it: "a million" is "sejuta".
var englishOne = map[string]string{
	"hundred": "seratus", "thousand": "seribu", "million": "sejuta", "billion": "semiliar",
}

// englishMoneyWords rewrites English amounts in Indonesian words: "one and
// a half million" becomes "satu setengah juta", "half a million"
// "setengah juta", "a hundred thousand" "seratus ribu". An "a" before a
// period ("a month") is dropped. Other tokens pass unchanged.
func englishMoneyWords(tokens []moneyToken) []moneyToken {
	word := func(i int) string {
		if i < len(tokens) {
			return tokens[i].word
		}
		return ""
	}
	out := make([]moneyToken, 0, len(tokens)+2)
	for i := 0; i < len(tokens); i++ {
		w := tokens[i].word
		switch {
		case w == "half" && (word(i+1) == "a" || word(i+1) == "an"):
			out = append(out, moneyToken{word: "setengah"})
			i++
		case w == "and" && word(i+1) == "a" && word(i+2) == "half":
			out = append(out, moneyToken{word: "setengah"})
			i += 2
		case (w == "a" || w == "an") && englishOne[word(i+1)] != "":
			out = append(out, moneyToken{word: englishOne[word(i+1)]})
			i++
		case (w == "a" || w == "an") && (word(i+1) == "month" || word(i+1) == "year"):
		case englishWords[w] != nil:
			for _, id := range englishWords[w] {
				out = append(out, moneyToken{word: id})
			}
		default:
			out = append(out, tokens[i])
		}
	}
	return out
}

// Number words. Digit words name 1–9; "se-" words are one of a unit.
var (
	digitWords = map[string]int64{
		"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
		"enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
	}
	scaleWords = map[string]int64{
		"ribu": 1e3, "rb": 1e3, "rbu": 1e3, "rebu": 1e3, "k": 1e3, "ribuan": 1e3,
		"juta": 1e6, "jt": 1e6, "jta": 1e6, "jutaan": 1e6,
		"miliar": 1e9, "milyar": 1e9,
	}
	// seWords are "one <multiplier>" in a single word: value and magnitude.
	seWords = map[string][2]int64{"sepuluh": {10, 10}, "sebelas": {11, 10}, "seratus": {100, 100}}
	// seScaleWords are "one <scale>" in a single word.
	seScaleWords = map[string]int64{"seribu": 1e3, "sejuta": 1e6, "semiliar": 1e9, "semilyar": 1e9}
)

// moneyValue reads groups of "quantity [scale]", such as "1 juta" "500
// ribu". Scales must fall from group to group, each group must be smaller
// than the scale before it, and only a lone group may go without a scale.
func moneyValue(tokens []moneyToken) (*big.Rat, bool) {
	total := new(big.Rat)
	prevScale := int64(0)
	for len(tokens) > 0 {
		var qty *big.Rat
		var scale int64
		if n, ok := seScaleWords[tokens[0].word]; ok {
			qty, scale, tokens = big.NewRat(1, 1), n, tokens[1:]
		} else {
			var ok bool
			qty, tokens, ok = moneyQuantity(tokens)
			if !ok {
				return nil, false
			}
			if len(tokens) > 0 {
				if scale, ok = scaleWords[tokens[0].word]; !ok {
					return nil, false
				}
				tokens = tokens[1:]
			}
		}
		if scale == 0 {
			// A bare number must be the whole amount.
			if prevScale != 0 || len(tokens) > 0 {
				return nil, false
			}
			return qty, true
		}
		value := new(big.Rat).Mul(qty, new(big.Rat).SetInt64(scale))
		if prevScale != 0 && (scale >= prevScale || value.Cmp(new(big.Rat).SetInt64(prevScale)) >= 0) {
			return nil, false
		}
		total.Add(total, value)
		prevScale = scale
	}
	return total, prevScale != 0
}

// moneyQuantity reads the number before a scale: a numeral ("2,5"), number
// words below a thousand ("lima ratus", "dua puluh lima"), either optionally
// followed by "setengah" (a half: "satu setengah juta"), or "setengah" alone.
func moneyQuantity(tokens []moneyToken) (*big.Rat, []moneyToken, bool) {
	if len(tokens) == 0 {
		return nil, nil, false
	}
	if t := tokens[0]; t.numeral != "" {
		// "5 ratus ribu": a single digit written as a numeral.
		if len(t.numeral) == 1 && t.numeral != "0" && len(tokens) > 1 && isMultiplierWord(tokens[1].word) {
			return wordQuantity(tokens)
		}
		q, ok := parseNumeral(t.numeral)
		if !ok {
			return nil, nil, false
		}
		tokens = tokens[1:]
		if len(tokens) > 0 && tokens[0].word == "setengah" {
			if !q.IsInt() || len(tokens) < 2 || scaleWords[tokens[1].word] == 0 {
				return nil, nil, false
			}
			q.Add(q, big.NewRat(1, 2))
			tokens = tokens[1:]
		}
		return q, tokens, true
	}
	return wordQuantity(tokens)
}

func isMultiplierWord(w string) bool {
	return w == "ratus" || w == "puluh" || w == "belas"
}

// wordQuantity reads Indonesian number words below a thousand, in falling
// order of magnitude ("seratus dua puluh lima"), then an optional
// "setengah". A numeral digit may stand for a digit word before "ratus",
// "puluh" or "belas".
func wordQuantity(tokens []moneyToken) (*big.Rat, []moneyToken, bool) {
	var sum int64
	pending := int64(-1) // a digit waiting for its multiplier
	lastMag := int64(1000)
	add := func(v, mag int64) bool {
		if mag >= lastMag {
			return false
		}
		sum += v
		lastMag = mag
		return true
	}
	read := 0
	half := false
loop:
	for _, t := range tokens {
		w := t.word
		if t.numeral != "" {
			if len(t.numeral) != 1 || pending >= 0 || read+1 >= len(tokens) || !isMultiplierWord(tokens[read+1].word) {
				break
			}
			pending = int64(t.numeral[0] - '0')
			read++
			continue
		}
		d, isDigit := digitWords[w]
		switch {
		case isDigit:
			if pending >= 0 {
				return nil, nil, false
			}
			pending = d
		case seWords[w] != [2]int64{}:
			if pending >= 0 || !add(seWords[w][0], seWords[w][1]) {
				return nil, nil, false
			}
		case isMultiplierWord(w):
			if pending <= 0 {
				return nil, nil, false
			}
			var ok bool
			switch w {
			case "ratus":
				ok = add(pending*100, 100)
			case "puluh":
				ok = add(pending*10, 10)
			case "belas":
				ok = add(10+pending, 10)
			}
			if !ok {
				return nil, nil, false
			}
			pending = -1
		case w == "setengah":
			half = true
			read++
			break loop
		default:
			break loop
		}
		read++
	}
	if pending >= 0 && !add(pending, 1) {
		return nil, nil, false
	}
	if read == 0 || (lastMag == 1000 && !half) {
		return nil, nil, false
	}
	q := new(big.Rat).SetInt64(sum)
	if half {
		q.Add(q, big.NewRat(1, 2))
	}
	return q, tokens[read:], true
}

// parseNumeral reads digits with "." and "," separators. With both kinds,
// the last one written is the decimal mark and the other groups thousands.
// A kind used more than once groups thousands. A single separator followed
// by exactly three digits, after one to three digits not starting with 0,
// groups thousands; otherwise it is the decimal mark, except that three
// digits after more than three ("2500.000") are ambiguous.
func parseNumeral(s string) (*big.Rat, bool) {
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	intPart, frac := s, ""
	switch {
	case dots == 0 && commas == 0:
	case dots > 0 && commas > 0:
		dec := strings.LastIndexAny(s, ".,")
		sep := "."
		if s[dec] == '.' {
			sep = ","
		}
		if strings.Count(s, s[dec:dec+1]) != 1 {
			return nil, false
		}
		intPart, frac = s[:dec], s[dec+1:]
		var ok bool
		if intPart, ok = ungroup(intPart, sep); !ok {
			return nil, false
		}
	case dots > 1 || commas > 1:
		sep := "."
		if commas > 0 {
			sep = ","
		}
		var ok bool
		if intPart, ok = ungroup(s, sep); !ok {
			return nil, false
		}
	default:
		i := strings.IndexAny(s, ".,")
		intPart, frac = s[:i], s[i+1:]
		if len(frac) == 3 {
			switch {
			case len(intPart) <= 3 && intPart[0] != '0':
				intPart, frac = intPart+frac, ""
			case len(intPart) > 3:
				return nil, false
			}
		}
	}
	q, ok := new(big.Rat).SetString(intPart + "." + frac + "0")
	return q, ok
}

// ungroup removes thousands separators sep from s, which must read as one to
// three leading digits followed by groups of exactly three.
func ungroup(s, sep string) (string, bool) {
	groups := strings.Split(s, sep)
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}
