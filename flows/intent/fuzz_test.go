package intent

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"", " ", "gmn cara dftr", "brp iuran sebulan", "bayaaaaaaar", "anak2", "16rb 2jt 1,5jt 16.800",
		"\xff\xfe\xfd", "bayar\x00iuran", "daftar\xc3", "é\u0301", "🙏🙏🙏", "السلام عليكم",
		"ASSALAMU'ALAIKUM!!!", strings.Repeat("a", 5000), strings.Repeat("daftar ", 15_000),
		strings.Repeat("\xff", 100_000), strings.Repeat("bayar2 ", 20_000)[:100_000],
		strings.Repeat("x", MaxInputBytes-1) + "é", "ke", "di", "meng", "nge", "pe",
	} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, s string) {
		r := c.Classify(s)
		checkResult(t, r)
		e := c.Explain(s)
		if e.Label != r.Label || e.Confidence != r.Confidence {
			t.Fatalf("Explain %s %v, Classify %s %v", e.Label, e.Confidence, r.Label, r.Confidence)
		}
		if l := RequestedLanguage(s); l != "" && l != "en" && l != "id" {
			t.Fatalf("RequestedLanguage = %q", l)
		}
		for _, tok := range Normalize(s) {
			if tok == "" || !utf8.ValidString(tok) || strings.ContainsAny(tok, " \t\n") {
				t.Fatalf("bad token %q", tok)
			}
		}
	})
}
