package validate_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"bpubot/flows/validate"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"lower case", "siti aminah", "Siti Aminah"},
		{"upper case as on the KTP", "SITI AMINAH", "Siti Aminah"},
		{"mixed case", "sITi aMINah", "Siti Aminah"},
		{"extra spaces", "  budi   santoso  ", "Budi Santoso"},
		{"tabs and NBSP", "budi\t\u00a0santoso", "Budi Santoso"},
		{"zero-width space pasted", "budi\u200b santoso", "Budi Santoso"},
		{"one word", "sukarni", "Sukarni"},
		{"three letters", "ani", "Ani"},
		{"initial with dot", "m. rizki", "M. Rizki"},
		{"initial kept as typed without space", "M.RIZKI", "M.Rizki"},
		{"space before the dot", "m . rizki", "M. Rizki"},
		{"abbreviation", "moh. fajar", "Moh. Fajar"},
		{"initial without dot", "m rizki", "M Rizki"},
		{"apostrophe after one letter", "d'angelo", "D'Angelo"},
		{"typographic apostrophe", "d’angelo", "D'Angelo"},
		{"left quote as apostrophe", "o‘neil", "O'Neil"},
		{"glottal stop apostrophe", "AHMAD MA'RUF", "Ahmad Ma'ruf"},
		{"apostrophe at word end", "syafi' hasan", "Syafi' Hasan"},
		{"apostrophe inside", "nu'man syafi'i", "Nu'man Syafi'i"},
		{"leading apostrophe", "'aisyah putri", "'Aisyah Putri"},
		{"repeated vowel around apostrophe", "A'AN SUGIANTO", "A'an Sugianto"},
		{"repeated vowel, lower case", "i'in", "I'in"},
		{"bin in the middle", "AHMAD BIN ABDULLAH", "Ahmad bin Abdullah"},
		{"binti in the middle", "fatimah binti yusuf", "Fatimah binti Yusuf"},
		{"bin as first word", "bin salim", "Bin Salim"},
		{"bin as last word", "ahmad bin", "Ahmad Bin"},
		{"accents", "josé ramírez", "José Ramírez"},
		{"accented capital", "ÉLODIE", "Élodie"},
		{"combining accent", "jose\u0301", "Jose\u0301"},
		{"Balinese name", "i gusti ngurah made", "I Gusti Ngurah Made"},
		{"Chinese characters", "李小明", "李小明"},
		{"Arabic letters", "محمد علي", "محمد علي"},
		{"exactly 80 characters", strings.Repeat("a", 80), "A" + strings.Repeat("a", 79)},
		{"two letters and a space", "a b", "A B"},
		{"hyphenated, as typed", "Muhammad Al-Fatih", "Muhammad Al-Fatih"},
		{"hyphenated, lower case", "muhammad al-fatih", "Muhammad Al-Fatih"},
		{"hyphenated, upper case", "MUHAMMAD AL-FATIH", "Muhammad Al-Fatih"},
		{"hyphen with spaces", "muhammad al - fatih", "Muhammad Al-Fatih"},
		{"en dash", "muhammad al–fatih", "Muhammad Al-Fatih"},
		{"hyphenated given names", "siti-aminah", "Siti-Aminah"},
		{"glottal stop in a second name", "Siti Nur'aini", "Siti Nur'aini"},
		{"glottal stop, lower case", "siti nur’aini", "Siti Nur'aini"},
		{"patronymic", "Abdul Rahman bin Ahmad", "Abdul Rahman bin Ahmad"},
		{"patronymic, shouted", "ABDUL RAHMAN BIN AHMAD", "Abdul Rahman bin Ahmad"},
		{"Balinese title", "I Gusti Ngurah Rai", "I Gusti Ngurah Rai"},
		{"Balinese title, lower case", "i gusti ngurah rai", "I Gusti Ngurah Rai"},
		{"Balinese woman", "Ni Luh Putu", "Ni Luh Putu"},
		{"Balinese woman, lower case", "ni luh putu", "Ni Luh Putu"},
		{"single name", "Made", "Made"},
		{"single name, lower case", "made", "Made"},
		{"apostrophe after one letter", "Maria D'Souza", "Maria D'Souza"},
		{"apostrophe after one letter, lower case", "maria d'souza", "Maria D'Souza"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ValidateName(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ValidateName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidateNameErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want validate.Code
	}{
		{"empty", "", validate.CodeEmpty},
		{"two letters", "Al", validate.CodeNameShort},
		{"initial only", "A.", validate.CodeNameShort},
		{"one letter padded", "  b  ", validate.CodeNameShort},
		{"initial, spaced dot", "A .", validate.CodeNameShort},
		{"81 characters", strings.Repeat("a", 81), validate.CodeNameLong},
		{"long after collapsing", strings.Repeat("ab ", 27) + "ab", validate.CodeNameLong},
		{"huge paste", strings.Repeat("budi ", 1000), validate.CodeNameLong},
		{"only dots", "...", validate.CodeNameChars},
		{"only apostrophes", "'''", validate.CodeNameChars},
		{"dot word", "budi . . santoso", validate.CodeNameChars},
		{"double dot", "m..rizki", validate.CodeNameChars},
		{"dot then apostrophe", "d.'angelo", validate.CodeNameChars},
		{"starts with dot", ".budi", validate.CodeNameChars},
		{"digit", "budi2", validate.CodeNameChars},
		{"digits only", "12345", validate.CodeNameChars},
		{"emoji", "budi 😀", validate.CodeNameChars},
		{"leading hyphen", "-fatih", validate.CodeNameChars},
		{"trailing hyphen", "al- ", validate.CodeNameChars},
		{"double hyphen", "al--fatih", validate.CodeNameChars},
		{"hyphens only", "---", validate.CodeNameChars},
		{"hyphen then apostrophe", "al-'fatih", validate.CodeNameChars},
		{"emoji only", "😀😀😀", validate.CodeNameChars},
		{"digits in a real name", "Muhammad Al-Fatih 2", validate.CodeNameChars},
		{"underscore", "budi_santoso", validate.CodeNameChars},
		{"comma", "santoso, budi", validate.CodeNameChars},
		{"at sign", "@budi", validate.CodeNameChars},
		{"control character", "budi\x00santoso", validate.CodeNameChars},
		{"lone combining mark", "\u0301abc", validate.CodeNameChars},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ValidateName(tt.in)
			if code := validate.CodeOf(err); code != tt.want || got != "" {
				t.Errorf("ValidateName(%q) = %q, %v; want code %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzValidateName(f *testing.F) {
	for _, s := range []string{
		"siti aminah", "SITI AMINAH", "m. rizki", "d'angelo", "d’angelo", "AHMAD MA'RUF", "ahmad bin abdullah",
		"josé ramírez", "jose\u0301", "李小明", "...", "A.", "budi2", "budi 😀", "ǆemal", "ß", "İbrahim", "",
		"muhammad al-fatih", "al - fatih", "al--fatih", "-a-", "siti nur’aini", "ni luh putu",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := validate.ValidateName(s)
		if err != nil {
			if validate.CodeOf(err) == "" {
				t.Fatalf("ValidateName(%q) error without code: %v", s, err)
			}
			return
		}
		if n := utf8.RuneCountInString(out); n < validate.NameMinLen || n > validate.NameMaxLen {
			t.Fatalf("ValidateName(%q) = %q, %d characters", s, out, n)
		}
		again, err := validate.ValidateName(out)
		if err != nil || again != out {
			t.Fatalf("round trip: ValidateName(%q) = %q, %v", out, again, err)
		}
	})
}
