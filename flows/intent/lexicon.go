package intent

import (
	"fmt"
	"slices"
	"strings"
)

// lexicon turns raw text into canonical tokens: tokenize, fix spelling
// (repeated letters, then typos), rewrite slang, stem. It is read-only after
// construction and safe for concurrent use.
type lexicon struct {
	cfg   lexConfig
	slang *slangNode // root of the slang trie, keyed by token
	roots map[string]struct{}
	// vocab holds every spelling the lexicon accepts without correction,
	// with a frequency used to break ties between typo candidates.
	vocab map[string]int
	stems map[string]string // precomputed stems of vocab words
	typos *typoIndex
	stem  stemmer
}

// lexConfig switches pipeline stages, for the measurements in doc.go.
type lexConfig struct {
	noSlang, noStem, noTypo, noCollapse bool
}

// slangNode is a trie node over tokens; out is the rewrite of the key that
// ends here, already stemmed (nil: no key ends here; empty: drop the key).
type slangNode struct {
	next map[string]*slangNode
	out  []string
	key  string
	end  bool
}

func (n *slangNode) child(t string) *slangNode {
	if n.next == nil {
		return nil
	}
	return n.next[t]
}

// match returns how many tokens at the start of toks form the longest key.
func (n *slangNode) match(toks []string) (int, *slangNode) {
	best, bestN := 0, (*slangNode)(nil)
	cur := n
	for i, t := range toks {
		cur = cur.child(t)
		if cur == nil {
			break
		}
		if cur.end {
			best, bestN = i+1, cur
		}
	}
	return best, bestN
}

// newLexicon builds a lexicon from the slang table, the root list and a
// corpus whose words are accepted as correctly spelt.
func newLexicon(cfg lexConfig, slangTSV, rootsTxt, wordsTxt []byte, corpus []string) (*lexicon, error) {
	lx := &lexicon{
		cfg:   cfg,
		slang: &slangNode{},
		roots: map[string]struct{}{},
		vocab: map[string]int{},
		stems: map[string]string{},
	}
	for _, w := range strings.Fields(stripComments(rootsTxt)) {
		lx.roots[strings.ToLower(w)] = struct{}{}
	}
	type rule struct {
		line     int
		from, to []string
	}
	var rules []rule
	err := dataLines("slang.tsv", slangTSV, func(n int, line string) error {
		from, to, ok := strings.Cut(line, "\t")
		if !ok {
			return &DataError{File: "slang.tsv", Line: n, Msg: "want from<TAB>to"}
		}
		f := splitTokens(from)
		if len(f) == 0 {
			return &DataError{File: "slang.tsv", Line: n, Msg: "empty key"}
		}
		rules = append(rules, rule{n, f, splitTokens(to)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !cfg.noStem {
		lx.stem = stemmer{isRoot: lx.isRoot, isWord: lx.isSlangWord}
	} else {
		lx.stem = stemmer{isRoot: func(string) bool { return false }}
	}
	// Build the trie first: the stemmer also accepts one-word slang keys
	// ("dftrnya" -> "dftr" -> "daftar").
	for _, r := range rules {
		if cfg.noSlang {
			break
		}
		node := lx.slang
		for _, t := range r.from {
			if node.next == nil {
				node.next = map[string]*slangNode{}
			}
			c := node.next[t]
			if c == nil {
				c = &slangNode{}
				node.next[t] = c
			}
			node = c
		}
		if node.end && !slices.Equal(node.out, r.to) {
			return nil, &DataError{File: "slang.tsv", Line: r.line, Msg: fmt.Sprintf("%q has two rewrites", strings.Join(r.from, " "))}
		}
		node.end, node.out, node.key = true, r.to, strings.Join(r.from, " ")
	}
	// Stem the rewrites once, now that the trie exists.
	var walk func(n *slangNode)
	walk = func(n *slangNode) {
		if n.end {
			out := make([]string, len(n.out))
			for i, t := range n.out {
				out[i] = lx.stemRoot(t)
			}
			n.out = out
		}
		for _, c := range n.next {
			walk(c)
		}
	}
	walk(lx.slang)

	for w := range lx.roots {
		lx.vocab[w]++
	}
	for _, r := range rules {
		for _, t := range r.from {
			lx.vocab[t]++
		}
		for _, t := range r.to {
			lx.vocab[t]++
		}
	}
	for _, w := range strings.Fields(stripComments(wordsTxt)) {
		lx.vocab[strings.ToLower(w)]++
	}
	for _, text := range corpus {
		for _, t := range splitTokens(text) {
			if isNumber(t) || lx.stretched(t) {
				continue
			}
			lx.vocab[t]++
		}
	}
	for w := range lx.vocab {
		if s, ok := lx.stem.stem(w); ok && s != w {
			lx.stems[w] = s
		}
	}
	if !cfg.noTypo {
		lx.typos = newTypoIndex(lx.vocab)
	}
	return lx, nil
}

func stripComments(b []byte) string {
	var sb strings.Builder
	for line := range strings.SplitSeq(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	return sb.String()
}

func (lx *lexicon) isRoot(w string) bool {
	_, ok := lx.roots[w]
	return ok
}

func (lx *lexicon) isSlangWord(w string) bool {
	n := lx.slang.child(w)
	return n != nil && n.end
}

// stemWord returns the stem of t and, if the stemmer stopped at a one-word
// slang key, that key's node so the caller can rewrite it.
func (lx *lexicon) stemWord(t string) (string, *slangNode) {
	s, ok := lx.stems[t]
	if !ok {
		s, _ = lx.stem.stem(t)
	}
	if s != t {
		if n := lx.slang.child(s); n != nil && n.end {
			return s, n
		}
	}
	return s, nil
}

// stemRoot is stemWord for dictionary values: a slang stop is rewritten
// when it has a one-word rewrite.
func (lx *lexicon) stemRoot(t string) string {
	s, n := lx.stemWord(t)
	if n != nil && len(n.out) == 1 {
		return n.out[0]
	}
	return s
}

// stretched reports whether t is a dictionary word with letters repeated
// ("makasiii"): such corpus words are not accepted as spellings, so that
// they are collapsed to the dictionary word instead.
func (lx *lexicon) stretched(t string) bool {
	if !hasRepeat(t) || lx.known(t) {
		return false
	}
	return collapseCandidates(t, lx.known)
}

// known reports whether t needs no spelling correction.
func (lx *lexicon) known(t string) bool {
	if _, ok := lx.vocab[t]; ok {
		return true
	}
	_, ok := lx.stem.stem(t)
	return ok
}

// trace collects the explanation lines of one classification; nil when
// nobody asked, and then every method is a no-op.
type trace struct{ lines []string }

func (tr *trace) add(format string, args ...any) {
	if tr != nil {
		tr.lines = append(tr.lines, fmt.Sprintf(format, args...))
	}
}

// spell fixes the spelling of one raw token.
func (lx *lexicon) spell(t string, tr *trace) string {
	if isNumber(t) || lx.known(t) {
		return t
	}
	if !lx.cfg.noCollapse && hasRepeat(t) {
		// Candidates are checked against the vocabulary only: up to 64 of
		// them, and stemming each would be slow. A stretched inflected word
		// ("bayaaarnya") is caught by collapseAll and known below.
		var got string
		if collapseCandidates(t, func(c string) bool {
			if _, ok := lx.vocab[c]; ok {
				got = c
				return true
			}
			return false
		}) {
			tr.add("repeat: %s -> %s", t, got)
			return got
		}
		if c := collapseAll(t); c != t {
			tr.add("repeat: %s -> %s", t, c)
			t = c
			if lx.known(t) {
				return t
			}
		}
	}
	if lx.typos != nil {
		if c, d, ok := lx.typos.correct(t); ok {
			tr.add("typo: %s -> %s (distance %d)", t, c, d)
			return c
		}
	}
	return t
}

// maxRepairs bounds the unknown words repaired per message; see normalize.
const maxRepairs = 16

// normalize returns the canonical tokens of text.
func (lx *lexicon) normalize(text string, tr *trace) []string {
	raw := splitTokens(text)
	if tr != nil {
		tr.add("tokens: %s", strings.Join(raw, " "))
	}
	// Words the lexicon does not know cost microseconds each (stemming,
	// spelling search); a crafted 2 KB message of such words would cost
	// milliseconds. Real questions have a handful, so only the first
	// maxRepairs unknown words are repaired; the rest pass through as-is.
	budget := maxRepairs
	var skip []bool // unknown words past the budget: no repair, no stemming
	for i, t := range raw {
		if _, ok := lx.vocab[t]; ok || isNumber(t) {
			continue
		}
		if budget == 0 {
			if skip == nil {
				skip = make([]bool, len(raw))
			}
			skip[i] = true
			continue
		}
		budget--
		raw[i] = lx.spell(t, tr)
	}
	out := make([]string, 0, len(raw)+2)
	for i := 0; i < len(raw); {
		if n, node := lx.slang.match(raw[i:]); n > 0 {
			if tr != nil {
				tr.add("slang: %s -> %s", node.key, strings.Join(node.out, " "))
			}
			out = append(out, node.out...)
			i += n
			continue
		}
		t := raw[i]
		if skip != nil && skip[i] {
			out = append(out, t)
			i++
			continue
		}
		i++
		s, node := lx.stemWord(t)
		if node != nil {
			if tr != nil {
				tr.add("stem: %s -> %s, slang: %s -> %s", t, s, s, strings.Join(node.out, " "))
			}
			out = append(out, node.out...)
			continue
		}
		if s != t {
			tr.add("stem: %s -> %s", t, s)
		}
		out = append(out, s)
	}
	if tr != nil {
		tr.add("normalised: %s", strings.Join(out, " "))
	}
	return out
}
