package intent

import (
	"bufio"
	"bytes"
	"embed"
	"strings"
)

//go:embed data/train.tsv data/slang.tsv data/roots.txt data/rules.tsv data/words.txt
var dataFS embed.FS

func mustData(name string) []byte {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		panic("intent: missing embedded file " + name) // the embed directive above guarantees it
	}
	return b
}

// example is one labelled message.
type example struct {
	text  string
	label Label
}

// parseExamples reads "text<TAB>label" lines. Blank lines and lines starting
// with '#' are skipped.
func parseExamples(file string, data []byte) ([]example, error) {
	var out []example
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, lab, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, &DataError{File: file, Line: n, Msg: "want text<TAB>label"}
		}
		l, ok := ParseLabel(strings.TrimSpace(lab))
		if !ok {
			return nil, &DataError{File: file, Line: n, Msg: "unknown label " + lab}
		}
		out = append(out, example{text: text, label: l})
	}
	if err := sc.Err(); err != nil {
		return nil, &DataError{File: file, Line: n, Msg: err.Error()}
	}
	return out, nil
}
