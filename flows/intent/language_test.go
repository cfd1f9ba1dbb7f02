package intent

import "testing"

func TestRequestedLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"english please", "en"},
		{"bahasa indonesia aja", "id"},
		{"can you speak english", "en"},
		{"pake bahasa inggris dong", "en"},
		{"English pls!!", "en"},
		{"bhs indo aja kak", "id"},
		{"b. inggris", "en"},
		{"indonesian please", "id"},
		{"englsh", "en"},          // typo
		{"bahasa inggriss", "en"}, // stretched
		{"ganti dari bahasa inggris ke indonesia", "id"},
		{"switch from indonesian to english", "en"},
		{"saya ga ngerti bahasa inggris", "id"},
		{"jangan pakai english", "id"},
		{"i don't speak indonesian", "en"},
		{"bukan inggris, indonesia", "id"},
		{"pake bahasa indonesia aja, jangan inggris", "id"},
		{"ganti bahasa", ""},
		{"bahasa", ""},
		{"", ""},
		{"mau daftar", ""},
	}
	for _, tt := range tests {
		if got := RequestedLanguage(tt.text); got != tt.want {
			t.Errorf("RequestedLanguage(%q) = %q, want %q (tokens %v)", tt.text, got, tt.want, Normalize(tt.text))
		}
	}
}

func TestRequestedLanguageOfTheLabel(t *testing.T) {
	// Every bahasa message of the data that names one language asks for a
	// language the bot has.
	lw := defaultLanguages()
	for _, e := range append(loadTrain(t), loadHeldOut(t)...) {
		if e.label != LabelBahasa {
			continue
		}
		named := false
		for _, tok := range Normalize(e.text) {
			if _, ok := lw.codes[tok]; ok {
				named = true
			}
		}
		if got := RequestedLanguage(e.text); named && got == "" {
			t.Errorf("RequestedLanguage(%q) = \"\" although it names a language", e.text)
		}
	}
}

func TestParseLanguages(t *testing.T) {
	for _, bad := range []string{"en\n", "english\tinggris\n", "EN\tinggris\n", "en\tinggris\nid\tinggris\n", "en\t\n"} {
		if _, err := parseLanguages([]byte(bad)); err == nil {
			t.Errorf("languages %q accepted", bad)
		}
	}
	lw, err := parseLanguages([]byte("# c\nen\tinggris\nid\tindonesia\nms\tmelayu\nnot\ttidak\n"))
	if err != nil {
		t.Fatal(err)
	}
	// refusing one of three languages does not say which one is wanted
	if got := lw.requested([]string{"tidak", "inggris"}); got != "" {
		t.Errorf("with three languages, refusing English asks for %q", got)
	}
	if got := lw.requested([]string{"melayu"}); got != "ms" {
		t.Errorf("melayu: %q", got)
	}
}
