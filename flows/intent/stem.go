package intent

import "strings"

// The stemmer is a dictionary-checked version of the Nazief–Adriani order:
// inflectional suffixes (-lah, -kah, -nya, -ku, -mu, Javanese -e/-ne), then
// derivational suffixes (-kan, -an, -i, colloquial -in, Javanese -ke), then
// up to two prefixes with the meN-/peN- sound changes, plus colloquial
// nge-/ng-/ny-/n- and Javanese m- before b. A candidate is accepted only if
// it is a known root, so an unknown word is left whole instead of cut wrong.

var (
	particles   = []string{"lah", "kah", "tah", "pun"}
	possessives = []string{"nya", "ku", "mu", "ne", "e"}
	derivations = []string{"kan", "an", "in", "i", "ke"}
)

// prefixRule strips prefix and tries each replacement in front of the rest
// ("men"+"unggu" -> "t"+"unggu"). next restricts the first letter of the
// rest; empty means any.
type prefixRule struct {
	prefix  string
	repl    []string
	next    string
	slangOK bool // colloquial: only as the outermost prefix
}

var prefixRules = []prefixRule{
	{prefix: "menge", repl: []string{""}},
	{prefix: "meng", repl: []string{"", "k"}},
	{prefix: "meny", repl: []string{"s"}},
	{prefix: "mem", repl: []string{"", "p"}},
	{prefix: "men", repl: []string{"", "t"}},
	{prefix: "me", repl: []string{""}},
	{prefix: "penge", repl: []string{""}},
	{prefix: "peng", repl: []string{"", "k"}},
	{prefix: "peny", repl: []string{"s"}},
	{prefix: "pem", repl: []string{"", "p"}},
	{prefix: "pen", repl: []string{"", "t"}},
	{prefix: "per", repl: []string{""}},
	{prefix: "pe", repl: []string{""}},
	{prefix: "ber", repl: []string{""}},
	{prefix: "bel", repl: []string{""}},
	{prefix: "be", repl: []string{""}},
	{prefix: "ter", repl: []string{""}},
	{prefix: "te", repl: []string{""}, next: "r"},
	{prefix: "di", repl: []string{""}},
	{prefix: "ke", repl: []string{""}},
	{prefix: "se", repl: []string{""}},
	{prefix: "nge", repl: []string{""}, slangOK: true},
	{prefix: "ng", repl: []string{"", "k"}, next: "aeiou", slangOK: true},
	{prefix: "ny", repl: []string{"s", "c"}, next: "aeiou", slangOK: true},
	{prefix: "n", repl: []string{"t"}, next: "aeiou", slangOK: true},
	{prefix: "m", repl: []string{""}, next: "b", slangOK: true},
}

const minRootLen = 3

// stemmer reduces a word to a root from its dictionary. isWord accepts
// extra stopping points (one-word slang keys) after inflectional suffixes
// only: "dftrnya" -> "dftr", but never "makan" -> "mak" + "-an".
type stemmer struct {
	isRoot func(string) bool
	isWord func(string) bool
}

// stem returns the root of w and true, or w and false if no root was found.
func (s stemmer) stem(w string) (string, bool) {
	if s.isRoot(w) {
		return w, true
	}
	if len(w) < minRootLen+2 {
		return w, false
	}
	// Inflectional forms, least stripped first.
	var infl [8]string
	ni := 0
	infl[ni] = w
	ni++
	if p, ok := cutSuffix(w, particles); ok {
		infl[ni] = p
		ni++
	}
	for k := range ni {
		for _, suf := range possessives {
			if p, ok := strings.CutSuffix(infl[k], suf); ok && len(p) >= minRootLen && ni < len(infl) {
				infl[ni] = p
				ni++
			}
		}
	}
	for k := range ni {
		f := infl[k]
		if k > 0 && (s.isRoot(f) || s.isWord != nil && s.isWord(f)) {
			return f, true
		}
		if r, ok := s.prefixes(f, 0); ok {
			return r, true
		}
	}
	for k := range ni {
		for _, suf := range derivations {
			f, ok := strings.CutSuffix(infl[k], suf)
			if !ok || len(f) < minRootLen {
				continue
			}
			if s.isRoot(f) {
				return f, true
			}
			if r, ok := s.prefixes(f, 0); ok {
				return r, true
			}
		}
	}
	return w, false
}

// prefixes strips up to two prefixes from w, depth counting those removed.
func (s stemmer) prefixes(w string, depth int) (string, bool) {
	if depth == 2 {
		return "", false
	}
	var buf [64]byte
	for _, r := range prefixRules {
		if r.slangOK && depth > 0 {
			continue
		}
		rest, ok := strings.CutPrefix(w, r.prefix)
		if !ok || rest == "" {
			continue
		}
		if r.next != "" && !strings.ContainsRune(r.next, rune(rest[0])) {
			continue
		}
		for _, repl := range r.repl {
			if len(repl)+len(rest) < minRootLen || len(repl)+len(rest) > len(buf) {
				continue
			}
			cand := rest
			if repl != "" {
				cand = string(append(append(buf[:0], repl...), rest...))
			}
			if s.isRoot(cand) {
				return cand, true
			}
			if got, ok := s.prefixes(cand, depth+1); ok {
				return got, true
			}
		}
	}
	return "", false
}

func cutSuffix(w string, sufs []string) (string, bool) {
	for _, suf := range sufs {
		if f, ok := strings.CutSuffix(w, suf); ok && len(f) >= minRootLen {
			return f, true
		}
	}
	return w, false
}
