package intent

import (
	"bufio"
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// rules is data/rules.tsv: policy the training set is too small to learn
// reliably, applied around the model's scores.
type rules struct {
	boost []rule             // add weight to a label's score
	need  []rule             // a label is possible only when these fire
	min   [numLabels]float64 // per-label minimum confidence (0: none)
}

// rule matches a message when every group has one of its words in it and
// none of the blockers is.
type rule struct {
	label  int
	weight float64 // boost rules only
	groups [][]string
	block  []string
}

func parseRules(data []byte) (*rules, error) {
	rs := &rules{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(msg string) error { return &DataError{File: "rules.tsv", Line: n, Msg: msg} }
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, bad("want label<TAB>weight, need or min<TAB>words or confidence")
		}
		l := labelIndex(Label(f[0]))
		if l < 0 {
			return nil, bad("unknown label " + f[0])
		}
		if f[1] == "min" {
			v, err := strconv.ParseFloat(f[2], 64)
			if err != nil || !(v >= 0 && v <= 1) {
				return nil, bad("bad minimum confidence " + f[2])
			}
			if l == unknownIndex {
				return nil, bad("unknown has no minimum confidence")
			}
			rs.min[l] = v
			continue
		}
		r := rule{label: l}
		if f[1] != "need" {
			w, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return nil, bad("bad weight " + f[1])
			}
			r.weight = w
		} else if l == unknownIndex {
			return nil, bad("unknown cannot need words")
		}
		var group []string
		for word := range strings.FieldsSeq(f[2]) {
			switch b, ok := strings.CutPrefix(word, "!"); {
			case word == "+":
				if len(group) == 0 {
					return nil, bad("empty word group")
				}
				r.groups, group = append(r.groups, group), nil
			case ok:
				r.block = append(r.block, b)
			default:
				group = append(group, word)
			}
		}
		if len(group) == 0 {
			return nil, bad("no words")
		}
		r.groups = append(r.groups, group)
		if f[1] == "need" {
			rs.need = append(rs.need, r)
		} else {
			rs.boost = append(rs.boost, r)
		}
	}
	return rs, sc.Err()
}

// fires returns the words of toks that match r, one per group, or nil.
func (r *rule) fires(toks []string) []string {
	for _, t := range toks {
		if slices.Contains(r.block, t) {
			return nil
		}
	}
	hits := make([]string, 0, len(r.groups))
	for _, g := range r.groups {
		i := slices.IndexFunc(toks, func(t string) bool { return slices.Contains(g, t) })
		if i < 0 {
			return nil
		}
		hits = append(hits, toks[i])
	}
	return hits
}

// apply adds the boost rules to the logits z and reports them to tr.
func (rs *rules) apply(toks []string, z *[numLabels]float64, tr *trace) {
	for i := range rs.boost {
		r := &rs.boost[i]
		if w := r.fires(toks); w != nil {
			z[r.label] += r.weight
			tr.add("rule: %s %+.1f (%s)", allLabels[r.label], r.weight, quoteWords(w))
		}
	}
}

// gate moves the probability of each label whose need rule does not fire
// to unknown: the message cannot be that label, so it is not understood.
func (rs *rules) gate(toks []string, p *[numLabels]float64, tr *trace) {
	for i := range rs.need {
		r := &rs.need[i]
		if p[r.label] == 0 || r.fires(toks) != nil {
			continue
		}
		if p[r.label] >= 0.01 { // a trace line for every message would drown the others
			tr.add("rule: %s impossible without %s (%.2f to unknown)", allLabels[r.label], describeGroups(r.groups), p[r.label])
		}
		p[unknownIndex] += p[r.label]
		p[r.label] = 0
	}
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
