package intent

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInputBytes bounds the work done per message: only the first
// MaxInputBytes bytes are read. Real questions are short; the cap keeps a
// pasted 100 KB chain letter as cheap to classify as a greeting.
const MaxInputBytes = 2000

// maxTokens bounds the token slice for inputs made of one-letter words.
const maxTokens = 400

const (
	classNone = iota
	classLetter
	classDigit
)

// latinFold maps lower-case Latin-1 letters with diacritics to ASCII.
var latinFold = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
	'ñ': 'n', 'ç': 'c', 'ý': 'y', 'ÿ': 'y',
}

// splitTokens lower-cases text and cuts it into letter runs and digit runs.
// Punctuation, emoji, symbols and invalid UTF-8 separate tokens; apostrophes
// inside words are dropped ("assalamu'alaikum"); "16rb" and "2jt" split into
// number and unit; a '2' right after a word marks reduplication ("anak2") and
// is dropped; '.' and ',' between digits stay in the number ("16.800");
// consecutive identical tokens ("kira-kira", "stop stop") are merged.
func splitTokens(text string) []string {
	if len(text) > MaxInputBytes {
		text = text[:MaxInputBytes] // a rune cut in half decodes as invalid: a separator
	}
	buf := make([]byte, 0, len(text)+8)
	prev := classNone
	runLen := 0 // length of the current letter run, for the reduplication rule
	sep := func() {
		if prev != classNone {
			buf = append(buf, ' ')
			prev = classNone
			runLen = 0
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
				if prev == classDigit {
					sep()
				}
				buf = append(buf, c|0x20)
				prev = classLetter
				runLen++
			case '0' <= c && c <= '9':
				if prev == classLetter {
					if c == '2' && runLen >= 2 && (i >= len(text) || !isASCIIAlnum(text[i])) {
						sep() // "anak2" means "anak-anak"
						continue
					}
					sep()
				}
				buf = append(buf, c)
				prev = classDigit
			case c == '\'' || c == '`':
				// dropped inside words, a separator elsewhere
				if prev != classLetter {
					sep()
				}
			case (c == '.' || c == ',') && prev == classDigit && i < len(text) && '0' <= text[i] && text[i] <= '9':
				buf = append(buf, c)
			default:
				sep()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			sep()
		case r == '’' || r == '‘':
			if prev != classLetter {
				sep()
			}
		case unicode.Is(unicode.Mn, r):
			// combining mark: part of the previous letter
		case unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if f, ok := latinFold[r]; ok {
				r = f
			}
			if prev == classDigit {
				sep()
			}
			buf = utf8.AppendRune(buf, r)
			prev = classLetter
			runLen++
		case unicode.IsDigit(r):
			// non-ASCII digits carry no meaning here
			sep()
		default:
			sep()
		}
	}
	fields := strings.Fields(string(buf))
	out := fields[:0]
	for _, f := range fields {
		if len(out) > 0 && out[len(out)-1] == f {
			continue
		}
		out = append(out, f)
		if len(out) == maxTokens {
			break
		}
	}
	return out
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isNumber reports whether a token is a digit run (with '.' or ',').
func isNumber(t string) bool {
	return t != "" && '0' <= t[0] && t[0] <= '9'
}

// hasRepeat reports whether t has the same byte twice in a row.
func hasRepeat(t string) bool {
	for i := 1; i < len(t); i++ {
		if t[i] == t[i-1] {
			return true
		}
	}
	return false
}

// repeatRun is a run of one repeated byte inside a token.
type repeatRun struct{ start, n int }

// collapseCandidates calls try with spellings of t where each run of a
// repeated letter is kept once or twice, shortest spellings first, until try
// returns true. It reports whether try accepted one. At most 6 runs are
// varied, so at most 64 calls are made.
func collapseCandidates(t string, try func(string) bool) bool {
	var runs [6]repeatRun
	nr := 0
	for i := 0; i < len(t); {
		j := i + 1
		for j < len(t) && t[j] == t[i] {
			j++
		}
		if j-i >= 2 && t[i] < utf8.RuneSelf {
			if nr == len(runs) {
				break
			}
			runs[nr] = repeatRun{i, j - i}
			nr++
		}
		i = j
	}
	if nr == 0 {
		return false
	}
	var buf [64]byte
	if len(t) > len(buf) {
		return false
	}
	// masks with fewer doubled runs come first: popcount order
	for bits := 0; bits <= nr; bits++ {
		for mask := 0; mask < 1<<nr; mask++ {
			if popcount(mask) != bits {
				continue
			}
			b := buf[:0]
			last := 0
			for k := 0; k < nr; k++ {
				b = append(b, t[last:runs[k].start]...)
				keep := 1
				if mask&(1<<k) != 0 {
					keep = 2
				}
				for x := 0; x < keep; x++ {
					b = append(b, t[runs[k].start])
				}
				last = runs[k].start + runs[k].n
			}
			b = append(b, t[last:]...)
			if try(string(b)) {
				return true
			}
		}
	}
	return false
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// collapseAll squeezes every run of three or more equal letters to one:
// the fallback when no spelling is in the vocabulary ("hmmmm" -> "hm").
func collapseAll(t string) string {
	var b strings.Builder
	for i := 0; i < len(t); {
		j := i + 1
		for j < len(t) && t[j] == t[i] {
			j++
		}
		if j-i >= 3 {
			b.WriteByte(t[i])
		} else {
			b.WriteString(t[i:j])
		}
		i = j
	}
	return b.String()
}
