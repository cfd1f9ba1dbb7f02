package intent

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// rules is data/rules.tsv: policy the training set is too small to learn
// reliably, applied around the model's scores.
type rules struct {
	list  []rule               // weight and need rules, in file order
	words map[string][]ruleRef // which rules each word takes part in
	min   [numLabels]float64   // per-label minimum confidence (0: none)
}

// rule matches a message when every group has one of its words in it and
// none of the blockers is.
type rule struct {
	label  int
	need   bool    // a need rule, else a weight rule
	weight float64 // weight rules only
	groups [][]string
	block  []string
}

// ruleRef places a word in a rule: in a group, or among the blockers (-1).
type ruleRef struct{ rule, group int8 }

// Matching keeps a bit per group of each rule in fixed arrays, so that it
// never allocates; these bound the file.
const (
	maxRules  = 64
	maxGroups = 8
)

func parseRules(data []byte) (*rules, error) {
	rs := &rules{words: map[string][]ruleRef{}}
	if err := dataLines("rules.tsv", data, rs.add); err != nil {
		return nil, err
	}
	return rs, nil
}

// add parses line n of rules.tsv into rs.
func (rs *rules) add(n int, line string) error {
	bad := func(msg string) error { return &DataError{File: "rules.tsv", Line: n, Msg: msg} }
	f := strings.Split(line, "\t")
	if len(f) != 3 {
		return bad("want label<TAB>weight, need or min<TAB>words or confidence")
	}
	l := labelIndex(Label(f[0]))
	if l < 0 {
		return bad("unknown label " + f[0])
	}
	if f[1] == "min" {
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return bad("bad minimum confidence " + f[2])
		}
		if l == unknownIndex {
			return bad("unknown has no minimum confidence")
		}
		rs.min[l] = v
		return nil
	}
	r := rule{label: l, need: f[1] == "need"}
	if !r.need {
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return bad("bad weight " + f[1])
		}
		r.weight = w
	} else if l == unknownIndex {
		return bad("unknown cannot need words")
	}
	var group []string
	for word := range strings.FieldsSeq(f[2]) {
		switch b, ok := strings.CutPrefix(word, "!"); {
		case word == "+":
			if len(group) == 0 {
				return bad("empty word group")
			}
			r.groups, group = append(r.groups, group), nil
		case ok:
			r.block = append(r.block, b)
		default:
			group = append(group, word)
		}
	}
	if len(group) == 0 {
		return bad("no words")
	}
	r.groups = append(r.groups, group)
	if len(rs.list) == maxRules || len(r.groups) > maxGroups {
		return bad(fmt.Sprintf("at most %d rules of %d word groups", maxRules, maxGroups))
	}
	i := int8(len(rs.list))
	for g, words := range r.groups {
		for _, w := range words {
			rs.words[w] = append(rs.words[w], ruleRef{i, int8(g)})
		}
	}
	for _, w := range r.block {
		rs.words[w] = append(rs.words[w], ruleRef{i, -1})
	}
	rs.list = append(rs.list, r)
	return nil
}

// match tells, for each rule, whether it fires on toks.
func (rs *rules) match(toks []string) (fired [maxRules]bool) {
	var groups [maxRules]uint8
	var blocked [maxRules]bool
	for _, t := range toks {
		for _, ref := range rs.words[t] {
			if ref.group < 0 {
				blocked[ref.rule] = true
			} else {
				groups[ref.rule] |= 1 << ref.group
			}
		}
	}
	for i := range rs.list {
		fired[i] = !blocked[i] && groups[i] == 1<<len(rs.list[i].groups)-1
	}
	return fired
}

// apply adds the weight rules to the logits z (before the softmax), then
// gates the probabilities p(z) (after it); see score. fired is match(toks).
func (rs *rules) apply(toks []string, fired *[maxRules]bool, z *[numLabels]float64, tr *trace) {
	for i := range rs.list {
		r := &rs.list[i]
		if r.need || !fired[i] {
			continue
		}
		z[r.label] += r.weight
		if tr != nil {
			tr.add("rule: %s %+.1f (%s)", allLabels[r.label], r.weight, quoteWords(r.hits(toks)))
		}
	}
}

// gate moves the probability of each label whose need rule does not fire
// to unknown: the message cannot be that label, so it is not understood.
func (rs *rules) gate(fired *[maxRules]bool, p *[numLabels]float64, tr *trace) {
	for i := range rs.list {
		r := &rs.list[i]
		if !r.need || fired[i] || p[r.label] == 0 {
			continue
		}
		if tr != nil && p[r.label] >= 0.01 { // a line for every message would drown the others
			tr.add("rule: %s impossible without %s (%.2f to unknown)", allLabels[r.label], describeGroups(r.groups), p[r.label])
		}
		p[unknownIndex] += p[r.label]
		p[r.label] = 0
	}
}

// hits returns the first word of toks in each group of r, for traces and
// tests; "" for a group with none.
func (r *rule) hits(toks []string) []string {
	out := make([]string, len(r.groups))
	for g, words := range r.groups {
		for _, t := range toks {
			if out[g] == "" && slices.Contains(words, t) {
				out[g] = t
			}
		}
	}
	return out
}

func quoteWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = strconv.Quote(w)
	}
	return "word " + strings.Join(q, " + ")
}

func describeGroups(gs [][]string) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		if len(g) > 3 {
			g = append(g[:3:3], "...")
		}
		parts[i] = "(" + strings.Join(g, " ") + ")"
	}
	return strings.Join(parts, " and ")
}
