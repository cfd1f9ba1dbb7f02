package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanSpaces trims s, drops zero-width characters that copy-paste from
// chat apps leaves behind, and collapses every run of Unicode white space
// into one ASCII space.
func cleanSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isZeroWidth(r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isZeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// isApostrophe accepts the apostrophes phone keyboards produce.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02bc':
		return true
	}
	return false
}

// capitalize writes s (already cleaned, single-spaced) the way a KTP would
// read in title case: the first letter of each word and of each part after
// a dot, or after a hyphen when hyphenBreaks, is upper case and the rest
// lower case. After an apostrophe the next letter is upper case only when a
// single letter precedes it ("D'Angelo", "O'Neil"), because in Indonesian
// names the apostrophe usually marks a glottal stop inside a word ("Ma'ruf",
// "Syafi'i"), and not when that letter is repeated after it ("A'an", "I'in").
func capitalize(s string, hyphenBreaks bool) string {
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	start := true
	letters := 0
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r):
			if start {
				r = unicode.ToTitle(r)
				start = false
			} else {
				r = unicode.ToLower(r)
			}
			letters++
		case r == ' ' || r == '.' || (hyphenBreaks && r == '-'):
			start, letters = true, 0
		case r == '\'':
			if letters == 1 && i+1 < len(rs) && !sameLetter(rs[i-1], rs[i+1]) {
				start, letters = true, 0
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func sameLetter(a, b rune) bool {
	return unicode.ToLower(a) == unicode.ToLower(b)
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions) between a and b, counted in runes.
func editDistance(a, b string) int {
	return distanceWithin(a, b, -1)
}

// shortWord is the length in runes up to which distanceWithin works without
// allocating; every place name and alias is shorter.
const shortWord = 48

// distanceWithin is editDistance when that is at most limit, and limit+1
// otherwise; it gives up as soon as the distance must exceed limit. A
// negative limit means no limit. Words of up to shortWord runes are compared
// without allocating, so typo matching can try every alias in turn.
func distanceWithin(a, b string, limit int) int {
	n, m := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	if limit < 0 {
		limit = max(n, m)
	}
	// The distance is at least the difference in length.
	if n-m > limit || m-n > limit {
		return limit + 1
	}
	var bufA, bufB [shortWord]rune
	ra, rb := appendRunes(bufA[:0], a), appendRunes(bufB[:0], b)
	// Three rolling rows are enough for transpositions.
	var rows [3][shortWord + 1]int
	prev2, prev, cur := rows[0][:], rows[1][:], rows[2][:]
	if m > shortWord {
		prev2, prev, cur = make([]int, m+1), make([]int, m+1), make([]int, m+1)
	}
	for j := 0; j <= m; j++ {
		prev[j] = j
	}
	prevMin := 0
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		// Every later cell grows from one of the last two rows.
		if rowMin > limit && prevMin > limit {
			return limit + 1
		}
		prevMin = rowMin
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[m], limit+1)
}

// appendRunes appends the runes of s to buf.
func appendRunes(buf []rune, s string) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

// properName describes the rules shared by people's names and place names.
type properName struct {
	field          string
	minLen, maxLen int
	hyphens        bool // place names may contain hyphens ("Toli-Toli")
	short, long    Code
	chars          Code
	tidy, finalize func(words []string) []string
}

// clean applies the rules to s: characters allowed are letters (with their
// combining marks), spaces, dots, apostrophes and, when allowed, hyphens.
// Every word must hold a letter and no two punctuation marks may touch. The
// result is single-spaced, title-cased, between minLen and maxLen
// characters and has at least two letters.
func (p properName) clean(s string) (string, error) {
	s = cleanSpaces(s)
	if s == "" {
		return "", newError(p.field, CodeEmpty)
	}
	// Cheap bound before any per-rune work on pasted text.
	if len(s) > 8*p.maxLen {
		return "", newError(p.field, p.long)
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case isApostrophe(r):
			rs[i] = '\''
		case p.hyphens && isDash(r):
			rs[i] = '-'
		case unicode.IsLetter(r), r == ' ', r == '.':
		case unicode.Is(unicode.Mn, r) && i > 0 && (unicode.IsLetter(rs[i-1]) || unicode.Is(unicode.Mn, rs[i-1])):
		default:
			return "", newError(p.field, p.chars)
		}
	}
	s = string(rs)
	// "M . Rizki" and "Toli - Toli" are spacing slips, not new words.
	s = strings.ReplaceAll(s, " .", ".")
	if p.hyphens {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " -", "-"), "- ", "-")
	}
	words := strings.Split(s, " ")
	for _, w := range words {
		if !wellFormedWord(w) {
			return "", newError(p.field, p.chars)
		}
	}
	if p.tidy != nil {
		words = p.tidy(words)
	}
	s = capitalize(strings.Join(words, " "), p.hyphens)
	if p.finalize != nil {
		s = strings.Join(p.finalize(strings.Split(s, " ")), " ")
	}
	n, letters := 0, 0
	for _, r := range s {
		n++
		if unicode.IsLetter(r) {
			letters++
		}
	}
	switch {
	case n > p.maxLen:
		return "", newError(p.field, p.long)
	case n < p.minLen || letters < 2:
		return "", newError(p.field, p.short)
	}
	return s, nil
}

// wellFormedWord reports whether w starts with a letter or an apostrophe,
// holds a letter, has no two punctuation marks in a row and does not end in
// a hyphen.
func wellFormedWord(w string) bool {
	hasLetter, prevPunct := false, false
	for i, r := range w {
		punct := r == '.' || r == '\'' || r == '-'
		switch {
		case unicode.IsLetter(r):
			hasLetter = true
		case punct && prevPunct:
			return false
		case i == 0 && r != '\'' && punct:
			return false
		}
		prevPunct = punct
	}
	return hasLetter && !strings.HasSuffix(w, "-")
}

func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
		return true
	}
	return false
}
