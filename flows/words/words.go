// Package words reads the short answers workers give: yes, no, skip, back, agree, cancel... in
// every language, with particles ("kak", "dong"), fillers ("sudah benar", "saya setuju") and
// small typos. The words are data (words.yaml, embedded); the code only knows how to read them.
package words

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Kind is what a short answer means. An answer may mean several things at once ("lanjut" is
// both yes and continue), so Kinds are bits.
type Kind uint16

// The kinds of answers.
const (
	Yes Kind = 1 << iota
	No
	Agree
	Skip
	Back
	Cancel
	Menu
	Human
	Done
	Continue
	Restart
	Edit
	Paid  // "sudah bayar": the worker says they paid
	Later // "nanti", "besok": remind me later

	// None is an answer that means none of these.
	None Kind = 0
)

// Has reports whether k includes any of want.
func (k Kind) Has(want Kind) bool { return k&want != 0 }

// positive and negative answers contradict each other in one message ("ya tapi salah").
const (
	positive = Yes | Agree | Continue
	negative = No | Skip
)

var kindNames = []struct {
	name string
	kind Kind
}{
	{"yes", Yes}, {"no", No}, {"agree", Agree}, {"skip", Skip}, {"back", Back}, {"cancel", Cancel}, {"menu", Menu},
	{"human", Human}, {"done", Done}, {"continue", Continue}, {"restart", Restart}, {"edit", Edit},
	{"paid", Paid}, {"later", Later},
}

//go:embed words.yaml
var data []byte

// language is one language's section of words.yaml.
type language struct {
	Lists           map[string][]string `yaml:",inline"`
	Negators        []string            `yaml:"negators"`
	Particles       []string            `yaml:"particles"`
	Fillers         []string            `yaml:"fillers"`
	LeadIns         []string            `yaml:"lead_ins"`
	Languages       map[string][]string `yaml:"languages"`
	LanguageFillers []string            `yaml:"language_fillers"`
	Fields          map[string][]string `yaml:"fields"`
}

// Set is the loaded word lists of every language, merged. It never changes once built.
type Set struct {
	phrases   map[string]Kind   // a whole answer ("sudah benar") and what it means
	leading   []phrase          // phrases an answer may open with, longest first
	negators  map[string]bool   // words that make a no of what they open
	particles map[string]bool   // dropped wherever they are
	fillers   map[string]bool   // dropped from short answers
	vocab     []string          // every word of the lists, for forgiving typos
	vocabSet  map[string]bool   // the same, for look-ups
	leadIns   [][]string        // lead-ins, longest first
	languages map[string]string // a language request phrase and the language it asks for
	langFill  map[string]bool
	fields    map[string]string // a field's name as workers write it, and the field
	fieldList []fieldName       // the same names as words, to find one among others
}

type fieldName struct {
	tokens []string
	field  string
}

type phrase struct {
	tokens []string
	kinds  Kind
}

var defaultSet = sync.OnceValue(func() *Set {
	s, err := Parse(data)
	if err != nil {
		panic(fmt.Sprintf("words: embedded words.yaml: %v", err)) // the package tests rule this out
	}
	return s
})

// Default is the set embedded in the binary.
func Default() *Set { return defaultSet() }

// Parse builds a set from the YAML of words.yaml.
func Parse(raw []byte) (*Set, error) {
	var file map[string]language
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return nil, err
	}
	s := &Set{
		phrases: map[string]Kind{}, negators: map[string]bool{}, particles: map[string]bool{}, fillers: map[string]bool{},
		vocabSet: map[string]bool{}, languages: map[string]string{}, langFill: map[string]bool{}, fields: map[string]string{},
	}
	langs := make([]string, 0, len(file))
	for l := range file {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		lang := file[l]
		for list, entries := range lang.Lists {
			kind, ok := kindOf(list)
			if !ok {
				return nil, fmt.Errorf("%s.%s: not a kind of answer", l, list)
			}
			for _, e := range entries {
				toks := Tokens(e)
				if len(toks) == 0 {
					return nil, fmt.Errorf("%s.%s: empty entry %q", l, list, e)
				}
				s.phrases[strings.Join(toks, " ")] |= kind
				for _, t := range toks {
					s.addVocab(t)
				}
			}
		}
		addAll(s.negators, lang.Negators)
		for _, n := range lang.Negators {
			for _, t := range Tokens(n) {
				s.addVocab(t)
			}
		}
		addAll(s.particles, lang.Particles)
		addAll(s.fillers, lang.Fillers)
		addAll(s.langFill, lang.LanguageFillers)
		for _, e := range lang.LeadIns {
			s.leadIns = append(s.leadIns, Tokens(e))
		}
		for code, entries := range lang.Languages {
			for _, e := range entries {
				s.languages[strings.Join(Tokens(e), " ")] = code
			}
		}
		for field, entries := range lang.Fields {
			for _, e := range entries {
				s.fields[strings.Join(Tokens(e), " ")] = field
			}
		}
	}
	for p, k := range s.phrases {
		s.leading = append(s.leading, phrase{tokens: strings.Fields(p), kinds: k})
	}
	sort.Slice(s.leading, func(i, j int) bool {
		a, b := s.leading[i], s.leading[j]
		if len(a.tokens) != len(b.tokens) {
			return len(a.tokens) > len(b.tokens)
		}
		return strings.Join(a.tokens, " ") < strings.Join(b.tokens, " ")
	})
	for name, f := range s.fields {
		s.fieldList = append(s.fieldList, fieldName{tokens: strings.Fields(name), field: f})
	}
	sort.SliceStable(s.leadIns, func(i, j int) bool { return len(s.leadIns[i]) > len(s.leadIns[j]) })
	sort.Strings(s.vocab)
	return s, nil
}

func (s *Set) addVocab(w string) {
	if !s.vocabSet[w] {
		s.vocabSet[w] = true
		s.vocab = append(s.vocab, w)
	}
}

func addAll(m map[string]bool, entries []string) {
	for _, e := range entries {
		for _, t := range Tokens(e) {
			m[t] = true
		}
	}
}

func kindOf(list string) (Kind, bool) {
	for _, k := range kindNames {
		if k.name == list {
			return k.kind, true
		}
	}
	return None, false
}

// Tokens splits text into lower-case words, punctuation dropped (an apostrophe inside a word
// is kept: "don't") and letters repeated in a row squeezed to one ("iyaaa" -> "iya").
func Tokens(text string) []string {
	var out []string
	var b strings.Builder
	var last rune
	flush := func() {
		if b.Len() > 0 {
			out = append(out, strings.Trim(b.String(), "'"))
			b.Reset()
		}
		last = 0
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if r == last {
				continue
			}
			b.WriteRune(r)
			last = r
		case unicode.IsDigit(r):
			b.WriteRune(r)
			last = 0
		case (r == '\'' || r == '’') && b.Len() > 0:
			b.WriteRune('\'')
			last = 0
		default:
			flush()
		}
	}
	flush()
	return slices.DeleteFunc(out, func(t string) bool { return t == "" })
}

// Reading is how a short answer was read.
type Reading struct {
	Kinds Kind
	// Rest is what followed the words that gave Kinds, when the answer went on ("bukan, saya
	// perempuan": no, then "saya perempuan").
	Rest []string
}

// Read tells what a short answer means. Only words that are all yes (or all no...) make an
// answer; a sentence that opens with one and does not contradict it counts too ("bukan, saya
// perempuan" is a no). Typos are not forgiven: use ReadExpecting where an answer is expected.
func (s *Set) Read(text string) Reading {
	return s.read(Tokens(text), false)
}

// ReadExpecting is Read for an answer the bot asked for: a word one letter away from a listed
// one is taken for it ("stuju", "tdak", "lwati").
func (s *Set) ReadExpecting(text string) Reading {
	return s.read(Tokens(text), true)
}

func (s *Set) read(toks []string, forgive bool) Reading {
	if forgive {
		toks = s.fixTypos(toks)
	}
	if len(toks) == 0 {
		return Reading{}
	}
	// "ya" is a particle ("iya bener ya") but also opens an answer ("ya, saya laki-laki"): a
	// particle that is a yes or a no in first place stays.
	first := toks[0]
	toks = s.without(toks, s.particles)
	if first != toks[0] && s.phrases[first]&(positive|negative) != 0 {
		toks = append([]string{first}, toks...)
	}
	if k, ok := s.phrases[strings.Join(toks, " ")]; ok {
		return Reading{Kinds: k}
	}
	core := s.without(toks, s.fillers)
	if k, ok := s.phrases[strings.Join(core, " ")]; ok {
		return Reading{Kinds: k}
	}
	// Words that each mean the same thing: "iya bener", "oke lanjut", "ya setuju".
	var all Kind
	for i, t := range core {
		k := s.phrases[t]
		if k&(positive|negative) == 0 || (k&positive != 0 && all&negative != 0) || (k&negative != 0 && all&positive != 0) {
			all = None
			break
		}
		if i == 0 {
			all = k
		} else {
			all |= k & (positive | negative)
		}
	}
	if all != None {
		return Reading{Kinds: all}
	}
	// An answer opening with one: "bukan, saya perempuan", "ga ada kode", "ya, betul itu saya".
	for _, p := range s.leading {
		if p.kinds&(positive|negative) == 0 || len(p.tokens) >= len(core) || !slices.Equal(core[:len(p.tokens)], p.tokens) {
			continue
		}
		rest := core[len(p.tokens):]
		if s.contradicts(p.kinds, rest) {
			return Reading{}
		}
		return Reading{Kinds: p.kinds & (positive | negative), Rest: rest}
	}
	if len(core) > 0 && s.negators[core[0]] {
		if s.contradicts(No, core[1:]) && !s.isPositive(core[1:]) {
			return Reading{}
		}
		// "tidak setuju", "ga mau", "belum": a negator opening the answer makes it a no.
		return Reading{Kinds: No, Rest: core[1:]}
	}
	return Reading{}
}

// isPositive reports whether every word of toks is a yes-like word ("tidak setuju").
func (s *Set) isPositive(toks []string) bool {
	for _, t := range toks {
		if s.phrases[t]&positive == 0 {
			return false
		}
	}
	return len(toks) > 0
}

// contradicts reports whether rest holds a word of the opposite sense to kinds.
func (s *Set) contradicts(kinds Kind, rest []string) bool {
	for _, t := range rest {
		k := s.phrases[t]
		if kinds&positive != 0 && (k&No != 0 || s.negators[t]) {
			return true
		}
		if kinds&negative != 0 && k&positive != 0 {
			return true
		}
	}
	return false
}

func (s *Set) without(toks []string, drop map[string]bool) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if !drop[t] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return toks
	}
	return out
}

// fixTypos replaces each word of four letters or more that the lists do not know by the one
// listed word a single edit away, when there is exactly one.
func (s *Set) fixTypos(toks []string) []string {
	out := toks
	for i, t := range toks {
		if s.vocabSet[t] || utf8.RuneCountInString(t) < 4 || s.particles[t] || s.fillers[t] || strings.ContainsAny(t, "0123456789") {
			continue
		}
		fix, ambiguous := "", false
		n := utf8.RuneCountInString(t)
		for _, w := range s.vocab {
			if m := utf8.RuneCountInString(w); m >= 4 && m-n <= 1 && n-m <= 1 && Distance(t, w) == 1 {
				// Two near words that mean the same ("tdak": tidak, ndak) are no ambiguity.
				if fix != "" && s.phrases[fix] != s.phrases[w] {
					ambiguous = true
					break
				}
				if fix == "" {
					fix = w
				}
			}
		}
		if ambiguous {
			continue
		}
		if fix != "" {
			if &out[0] == &toks[0] {
				out = slices.Clone(toks)
			}
			out[i] = fix
		}
	}
	return out
}

// Command reads a message that is a command on its own: "batal", "menu", "kembali", "petugas",
// "mau batal aja kak". Nothing is forgiven: a command acts at once, so it must be meant.
func (s *Set) Command(text string) Kind {
	toks := s.without(s.without(Tokens(text), s.particles), s.fillers)
	return s.phrases[strings.Join(toks, " ")] & (Back | Cancel | Menu | Human)
}

// Edit reads a request to change an answer: "ubah nama", "ganti nomor hp", "mau ubah data".
// field is "" for a bare "ubah"; ok is false when text is not such a request, or names
// something that is not a field ("ganti oli").
func (s *Set) Edit(text string) (field string, ok bool) {
	toks := s.without(Tokens(text), s.particles)
	for len(toks) > 0 && s.fillers[toks[0]] {
		toks = toks[1:]
	}
	if len(toks) == 0 || !s.phrases[toks[0]].Has(Edit) {
		return "", false
	}
	rest := s.without(toks[1:], s.fillers)
	if len(toks) == 1 || len(rest) == 0 || (len(rest) == len(toks[1:]) && isOnly(rest, s.fillers)) {
		return "", true
	}
	if f, ok := s.fields[strings.Join(rest, " ")]; ok {
		return f, true
	}
	// "ubah data nik saya salah": the one field named among other words.
	found := ""
	for _, n := range s.fieldList {
		for i := 0; i+len(n.tokens) <= len(rest); i++ {
			if slices.Equal(rest[i:i+len(n.tokens)], n.tokens) {
				if found != "" && found != n.field {
					return "", false
				}
				found = n.field
			}
		}
	}
	return found, found != ""
}

func isOnly(toks []string, set map[string]bool) bool {
	for _, t := range toks {
		if !set[t] {
			return false
		}
	}
	return true
}

// Field reads the name of a field on its own ("nama", "nomor hp").
func (s *Set) Field(text string) (string, bool) {
	toks := s.without(s.without(Tokens(text), s.particles), s.fillers)
	f, ok := s.fields[strings.Join(toks, " ")]
	return f, ok
}

// Language reads a request for a language ("english please", "bahasa indonesia aja") and
// returns the language it asks for.
func (s *Set) Language(text string) (string, bool) {
	toks := s.without(s.without(s.without(Tokens(text), s.particles), s.fillers), s.langFill)
	l, ok := s.languages[strings.Join(toks, " ")]
	return l, ok
}

// StripLeadIn drops the words that introduce an answer ("nama saya", "saya tinggal di", "aku
// kerja sebagai") and particles around it ("kak"), keeping the rest as the worker wrote it.
// Text that is only a lead-in is returned as it was.
func (s *Set) StripLeadIn(text string) string {
	fields := strings.Fields(text)
	norm := make([]string, len(fields))
	for i, f := range fields {
		norm[i] = strings.Join(Tokens(f), " ")
	}
	start, end := 0, len(fields)
	for start < end && s.particles[norm[start]] {
		start++
	}
	for end > start && (s.particles[norm[end-1]] || norm[end-1] == "") {
		end--
	}
	for _, li := range s.leadIns {
		if len(li) > end-start || !slices.Equal(norm[start:start+len(li)], li) {
			continue
		}
		if len(li) == end-start {
			return strings.TrimSpace(text) // only a lead-in: nothing to strip it from
		}
		start += len(li)
		break
	}
	if start >= end {
		return strings.TrimSpace(text)
	}
	return strings.TrimRight(strings.Join(fields[start:end], " "), ",;:!?")
}

// Distance is the optimal string alignment distance between a and b, in runes: insertions,
// deletions, substitutions and swaps of two neighbours each count one. Short words, the usual
// case, cost no allocation.
func Distance(a, b string) int {
	var bufA, bufB [32]rune
	ra, rb := appendRunes(bufA[:0], a), appendRunes(bufB[:0], b)
	var rows [3][33]int
	prev2, prev, cur := rows[0][:], rows[1][:], rows[2][:]
	if len(rb) >= len(rows[0]) {
		prev2, prev, cur = make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Mentions reports whether text holds, anywhere, a phrase listed for want ("saya mau bicara
// dengan petugas, klaim saya ditolak" mentions a person).
func (s *Set) Mentions(text string, want Kind) bool {
	toks := Tokens(text)
	for _, p := range s.leading {
		if p.kinds&want == 0 {
			continue
		}
		for i := 0; i+len(p.tokens) <= len(toks); i++ {
			if slices.Equal(toks[i:i+len(p.tokens)], p.tokens) {
				return true
			}
		}
	}
	return false
}

func appendRunes(buf []rune, s string) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}
