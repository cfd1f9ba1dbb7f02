package intent

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"slang", "gmn cara dftr", []string{"bagaimana", "cara", "daftar"}},
		{"slang numbers and units", "gaji 2jt iurannya brp", []string{"gaji", "2", "juta", "iuran", "berapa"}},
		{"thousands separator", "16.800 atau 16rb?", []string{"16.800", "atau", "16", "ribu"}},
		{"pronouns and negation", "sy gak tau, gw ndak ngerti", []string{"saya", "tidak", "tau", "saya", "tidak", "mengerti"}},
		{"multiword slang", "bpjs tk jaminan hari tua", []string{"bpjs", "ketenagakerjaan", "jht"}},
		{"jamsostek", "ikut jamsostek", []string{"ikut", "bpjs", "ketenagakerjaan"}},
		{"thanks", "makasih, matur nuwun", []string{"terima", "kasih", "terima", "kasih"}},
		{"english", "how much to pay", []string{"berapa", "bayar"}},
		{"english phrase", "delete my data", []string{"hapus", "saya", "data"}},
		{"javanese", "piye carane mbayar, pinten?", []string{"bagaimana", "cara", "bayar", "berapa"}},
		{"javanese death", "bapak sedo", []string{"bapak", "meninggal"}},
		{"slang after suffix", "dftrnya gmnnya", []string{"daftar", "bagaimana"}},
		{"punctuation and emoji", "Halo!!! 🙏🙏 min...", []string{"halo", "min"}},
		{"upper case", "MAU DAFTAR", []string{"mau", "daftar"}},
		{"apostrophe", "assalamu'alaikum", []string{"assalamualaikum"}},
		{"reduplication", "kira2 anak-anak", []string{"kira", "anak"}},
		{"repeated letters", "bayaaar", []string{"bayar"}},
		{"legit double kept", "maaf, manfaatnya", []string{"maaf", "manfaat"}},
		{"stretched greeting", "haloooo kaaak", []string{"halo", "kak"}},
		{"stretched thanks", "makasiiih", []string{"terima", "kasih"}},
		{"unknown stretch collapses", "zzzzzz", []string{"z"}},
		{"stretch to a trained spelling", "hmmmmm", []string{"hmm"}},
		{"accents", "BAYÁR", []string{"bayar"}},
		{"digits split", "nik3201", []string{"nik", "3201"}},
		{"no words", "?!... 😂", nil},
		{"invalid utf-8", "bayar\xff\xfeiuran", []string{"bayar", "iuran"}},
		{"dropped english filler", "what is the benefit", []string{"apa", "manfaat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	lx := defaultLexicon()
	tests := []struct{ in, want string }{
		{"pendaftaran", "daftar"},
		{"mendaftar", "daftar"},
		{"daftarnya", "daftar"},
		{"didaftarkan", "daftar"},
		{"mendaftarkan", "daftar"},
		{"daftarin", "daftar"},
		{"pembayaran", "bayar"},
		{"dibayarkan", "bayar"},
		{"membayar", "bayar"},
		{"bayarnya", "bayar"},
		{"kecelakaan", "celaka"},
		{"meninggal", "meninggal"}, // not tinggal
		{"meninggalnya", "meninggal"},
		{"pencairan", "cair"},
		{"dicairkan", "cair"},
		{"perlindungan", "lindung"},
		{"kepesertaan", "peserta"},
		{"pekerjaan", "kerja"},
		{"pembantu", "pembantu"}, // a domestic helper, not "help"
		{"kesehatan", "kesehatan"},
		{"berapa", "berapa"}, // not ber- + apa
		{"menunggak", "tunggak"},
		{"nunggak", "tunggak"},
		{"ngurus", "urus"},
		{"ngecek", "cek"},
		{"mengirim", "kirim"},
		{"menyimpan", "simpan"},
		{"iurannya", "iuran"},
		{"iurane", "iuran"},
		{"klaimnya", "klaim"},
		{"dicairke", "cair"},
		{"masalah", "masalah"}, // not masa + -lah
		{"makan", "makan"},     // not mak + -an
		{"xyzabc", "xyzabc"},   // unknown words stay whole
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, _ := lx.stemWord(tt.in); got != tt.want {
				t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTypos(t *testing.T) {
	tests := []struct{ in, want string }{
		{"pendaftarn", "daftar"}, // deletion
		{"pembayran", "bayar"},   // deletion
		{"kecelakan", "celaka"},  // in the slang table
		{"kcelakaan", "celaka"},  // deletion, long word
		{"iruan", "iuran"},       // transposition
		{"manfaag", "manfaat"},   // substitution
		{"ketenagakerjan", "ketenagakerjaan"},
		{"pencairam", "cair"},
		{"lapar", "lapar"}, // a real word, not "lapor"
		{"bayam", "bayam"}, // not "bayar"
		{"abc", "abc"},     // too short to correct
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Normalize(tt.in)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("Normalize(%q) = %q, want [%s]", tt.in, got, tt.want)
			}
		})
	}
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"bayar", "bayar", 2, 0},
		{"byaar", "bayar", 2, 1}, // transposition
		{"bayr", "bayar", 2, 1},
		{"bayarr", "bayar", 2, 1},
		{"bayor", "bayar", 2, 1},
		{"dafatr", "daftar", 2, 1},
		{"daftar", "iuran", 2, 3}, // max+1 once beyond max
		{"a", "abcdef", 2, 3},
	}
	for _, tt := range tests {
		if got := osaDistance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("osaDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestSplitTokensLimits(t *testing.T) {
	long := strings.Repeat("daftar ", 50_000) // 350 KB
	toks := splitTokens(long)
	if len(toks) > 2 { // "daftar" and the word cut at MaxInputBytes
		t.Errorf("repeated word gave %d tokens, want at most 2 after merging", len(toks))
	}
	many := strings.Repeat("a b ", 10_000)
	if n := len(splitTokens(many)); n > maxTokens {
		t.Errorf("%d tokens, cap is %d", n, maxTokens)
	}
	// only the first MaxInputBytes bytes are read
	tail := strings.Repeat(" ", MaxInputBytes) + "daftar"
	if got := splitTokens(tail); len(got) != 0 {
		t.Errorf("text beyond MaxInputBytes was read: %q", got)
	}
	// cutting inside a multi-byte rune must not panic or leak bytes
	cut := strings.Repeat("x", MaxInputBytes-1) + "é"
	if got := splitTokens(cut); len(got) != 1 || len(got[0]) != MaxInputBytes-1 {
		t.Errorf("cut rune: got %d tokens", len(got))
	}
}
