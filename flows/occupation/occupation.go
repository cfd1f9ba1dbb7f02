// Package occupation reads a worker's occupation from what they type ("ngojek", "jualan",
// "pembantu", "youtuber") or from a stored code, for every place that asks: the sign-up, the
// premium question and staff commands. The words are data (words.yaml, embedded).
package occupation

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

type entry struct {
	Code  string   `yaml:"code"`
	Words []string `yaml:"words"`
}

//go:embed words.yaml
var wordsFile []byte

var entries = mustParse(wordsFile)

func mustParse(data []byte) []entry {
	var es []entry
	if err := yaml.Unmarshal(data, &es); err != nil {
		panic(fmt.Sprintf("occupation: words.yaml: %v", err))
	}
	for _, e := range es {
		if e.Code == "" || len(e.Words) == 0 {
			panic(fmt.Sprintf("occupation: words.yaml: entry %q needs a code and words", e.Code))
		}
	}
	return es
}

// Codes returns the occupation codes, in the order a choice menu shows them.
func Codes() []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Code
	}
	return out
}

// Match returns the occupation code text names, or "" when it names none. Case, surrounding
// space and end punctuation are ignored; a code matches itself, any other word or phrase must
// appear as whole words ("saya ngojek di Bekasi" is ojol, "tanian" is nothing).
func Match(text string) string {
	low := strings.ToLower(strings.TrimSpace(text))
	if i := slices.IndexFunc(entries, func(e entry) bool { return e.Code == low }); i >= 0 {
		return entries[i].Code
	}
	words := " " + strings.Join(strings.Fields(strings.Trim(low, ".!?,")), " ") + " "
	for _, e := range entries {
		for _, w := range e.Words {
			if strings.Contains(words, " "+w+" ") {
				return e.Code
			}
		}
	}
	return ""
}
