package intent

import (
	"bufio"
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// rule adds weight to one label's score when any of its words is present
// and none of its blockers is. See data/rules.tsv.
type rule struct {
	label  int
	weight float64
	words  []string
	block  []string
}

func parseRules(data []byte) ([]rule, error) {
	var out []rule
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, &DataError{File: "rules.tsv", Line: n, Msg: "want label<TAB>weight<TAB>words"}
		}
		l := labelIndex(Label(f[0]))
		if l < 0 {
			return nil, &DataError{File: "rules.tsv", Line: n, Msg: "unknown label " + f[0]}
		}
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return nil, &DataError{File: "rules.tsv", Line: n, Msg: "bad weight " + f[1]}
		}
		r := rule{label: l, weight: w}
		for _, word := range strings.Fields(f[2]) {
			if b, ok := strings.CutPrefix(word, "!"); ok {
				r.block = append(r.block, b)
			} else {
				r.words = append(r.words, word)
			}
		}
		if len(r.words) == 0 {
			return nil, &DataError{File: "rules.tsv", Line: n, Msg: "no words"}
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// fires returns the word that triggers r in toks, or "".
func (r *rule) fires(toks []string) string {
	hit := ""
	for _, t := range toks {
		if slices.Contains(r.block, t) {
			return ""
		}
		if hit == "" && slices.Contains(r.words, t) {
			hit = t
		}
	}
	return hit
}
