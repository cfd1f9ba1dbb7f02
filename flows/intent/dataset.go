package intent

import (
	"bufio"
	"bytes"
	"embed"
	"strings"
)

//go:embed data/train.tsv data/slang.tsv data/roots.txt data/rules.tsv data/words.txt data/languages.tsv
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

// dataLines calls fn with each line of a data file that is neither blank
// nor a '#' comment, without its line ending, and its line number. An error
// from fn stops it; file names the file in a reading error.
func dataLines(file string, data []byte, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return &DataError{File: file, Line: n, Msg: err.Error()}
	}
	return nil
}

// parseExamples reads "text<TAB>label" lines.
func parseExamples(file string, data []byte) ([]example, error) {
	var out []example
	err := dataLines(file, data, func(n int, line string) error {
		text, lab, ok := strings.Cut(line, "\t")
		if !ok {
			return &DataError{File: file, Line: n, Msg: "want text<TAB>label"}
		}
		l, ok := ParseLabel(strings.TrimSpace(lab))
		if !ok {
			return &DataError{File: file, Line: n, Msg: "unknown label " + lab}
		}
		out = append(out, example{text: text, label: l})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
