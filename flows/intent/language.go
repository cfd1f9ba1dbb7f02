package intent

import (
	"strings"
	"sync"
)

// languageWords is data/languages.tsv.
type languageWords struct {
	codes map[string]string // canonical word -> language code
	not   map[string]bool   // negations
	order []string          // codes in file order
}

// negationWindow is how many words before a language name a negation
// refuses it.
const negationWindow = 3

var defaultLanguages = sync.OnceValue(func() *languageWords {
	lw, err := parseLanguages(mustData("data/languages.tsv"))
	if err != nil {
		panic(err) // embedded data is checked by the tests
	}
	return lw
})

func parseLanguages(data []byte) (*languageWords, error) {
	lw := &languageWords{codes: map[string]string{}, not: map[string]bool{}}
	err := dataLines("languages.tsv", data, func(n int, line string) error {
		code, words, ok := strings.Cut(line, "\t")
		ws := strings.Fields(words)
		if !ok || len(ws) == 0 {
			return &DataError{File: "languages.tsv", Line: n, Msg: "want code<TAB>words"}
		}
		if code == "not" {
			for _, w := range ws {
				lw.not[w] = true
			}
			return nil
		}
		if len(code) != 2 || strings.ToLower(code) != code {
			return &DataError{File: "languages.tsv", Line: n, Msg: "want a two-letter language code, not " + code}
		}
		for _, w := range ws {
			if c, dup := lw.codes[w]; dup && c != code {
				return &DataError{File: "languages.tsv", Line: n, Msg: w + " names two languages"}
			}
			lw.codes[w] = code
		}
		lw.order = append(lw.order, code)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lw, nil
}

// RequestedLanguage returns the language a message asks the bot to use, as
// a code of data/languages.tsv ("en" or "id"), or "" when it names none
// ("ganti bahasa": the caller may offer the choice). It reads the words the
// classifier reads (slang, typos and English folded), so "english pls",
// "bhs indo aja" and "pake bahasa inggris dong" are understood. The last
// language named wins ("ganti dari inggris ke indonesia" is "id"); a
// language refused ("saya ga ngerti bahasa inggris", "jangan pakai english")
// counts for the other one when only one is left. Meant for messages
// classified as LabelBahasa.
func RequestedLanguage(text string) string {
	return defaultLanguages().requested(Normalize(text))
}

func (lw *languageWords) requested(toks []string) string {
	asked := ""
	refused := map[string]bool{}
	for i, t := range toks {
		code, ok := lw.codes[t]
		if !ok {
			continue
		}
		negated := false
		for _, p := range toks[max(0, i-negationWindow):i] {
			if lw.not[p] {
				negated = true
			}
			if _, other := lw.codes[p]; other {
				negated = false // "bukan inggris, indonesia": the negation was for the other
			}
		}
		if negated {
			refused[code] = true
		} else {
			asked = code
		}
	}
	if asked != "" || len(refused) == 0 {
		return asked
	}
	left := ""
	for _, code := range lw.order {
		if !refused[code] {
			if left != "" {
				return "" // refusing one of three or more does not say which
			}
			left = code
		}
	}
	return left
}
