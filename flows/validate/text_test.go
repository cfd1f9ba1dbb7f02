package validate

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"jawabarat", "jawabarat", 0},
		{"jwabarat", "jawabarat", 1},
		{"jawabrat", "jawabarat", 1},
		{"jawabraat", "jawabarat", 1}, // transposition
		{"juni", "juli", 1},
		{"febuari", "februari", 1},
		{"kalbar", "kalsel", 3},
		{"é", "e", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := editDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestProvinceAliasesDistinct(t *testing.T) {
	// buildProvinceIndexes panics on an alias shared by two provinces.
	phrase, whole, _, _ := buildProvinceIndexes()
	if len(phrase) == 0 || len(whole) <= len(phrase) {
		t.Errorf("indexes: %d phrases, %d wholes", len(phrase), len(whole))
	}
}
