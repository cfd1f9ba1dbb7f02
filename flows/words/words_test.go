package words_test

import (
	"slices"
	"testing"

	"bpubot/flows/words"
)

func TestReadExpecting(t *testing.T) {
	w := words.Default()
	for _, c := range []struct {
		text string
		want words.Kind // the answer must mean this
		not  words.Kind // and must not mean this
	}{
		{"ya", words.Yes, words.No},
		{"Ya, benar", words.Yes, words.No},
		{"ya benar", words.Yes, words.No},
		{"iya bener", words.Yes, words.No},
		{"iyaaa kak", words.Yes, words.No},
		{"betul itu saya", words.Yes, words.No},
		{"ya, saya laki-laki", words.Yes, words.No},
		{"sudah benar", words.Yes, words.No},
		{"udah bener kok", words.Yes, words.No},
		{"oke lanjut", words.Yes, words.No},
		{"yes, correct", words.Yes, words.No},
		{"bukan", words.No, words.Yes},
		{"bukan, saya perempuan", words.No, words.Yes},
		{"salah kak", words.No, words.Yes},
		{"tdak", words.No, words.Yes},
		{"no, I'm female", words.No, words.Yes},
		{"saya setuju", words.Agree, words.No},
		{"ya setuju", words.Agree, words.No},
		{"iya setuju", words.Agree, words.No},
		{"stuju", words.Agree, words.No},
		{"setuju dong", words.Agree, words.No},
		{"I agree", words.Agree, words.No},
		{"tidak setuju", words.No, words.Agree | words.Yes},
		{"saya tidak setuju", words.No, words.Agree | words.Yes},
		{"gak setuju ah", words.No, words.Agree | words.Yes},
		{"tdk ada", words.Skip, words.Yes},
		{"tidak punya", words.Skip, words.Yes},
		{"lewat", words.Skip, words.Yes},
		{"lwati", words.Skip, words.Yes},
		{"ga ada kode", words.Skip, words.Yes},
		{"gak ada kak", words.Skip, words.Yes},
		{"skip", words.Skip, words.Yes},
		{"lanjut", words.Continue, words.Restart},
		{"mulai dari awal", words.Restart, words.Continue},
		{"ya tapi salah", words.None, words.Yes | words.No},
		{"bukan, benar", words.None, words.Yes | words.No},
		{"budi santoso", words.None, words.Yes | words.No | words.Skip},
		{"", words.None, words.Yes | words.No},
	} {
		got := w.ReadExpecting(c.text).Kinds
		if c.want != words.None && !got.Has(c.want) {
			t.Errorf("ReadExpecting(%q) = %b, want it to include %b", c.text, got, c.want)
		}
		if c.want == words.None && got != words.None {
			t.Errorf("ReadExpecting(%q) = %b, want nothing", c.text, got)
		}
		if got.Has(c.not) {
			t.Errorf("ReadExpecting(%q) = %b, must not include %b", c.text, got, c.not)
		}
	}
}

// Read forgives no typos: a name one letter from a listed word stays a name.
func TestReadWithoutTypos(t *testing.T) {
	w := words.Default()
	for _, text := range []string{"batik", "setju", "Tidakan"} {
		if k := w.Read(text).Kinds; k != words.None {
			t.Errorf("Read(%q) = %b, want nothing", text, k)
		}
	}
}

func TestCommand(t *testing.T) {
	w := words.Default()
	for text, want := range map[string]words.Kind{
		"batal": words.Cancel, "BATAL!": words.Cancel, "mau batal aja kak": words.Cancel, "gak jadi": words.Cancel,
		"kembali": words.Back, "balik dong": words.Back, "back": words.Back,
		"menu": words.Menu, "Menu utama": words.Menu,
		"petugas": words.Human, "cs": words.Human, "bicara dengan petugas": words.Human,
		"ya": words.None, "batik": words.None, "btal": words.None, "Budi Santoso": words.None, "kembali ke bandung": words.None,
	} {
		if got := w.Command(text); got != want {
			t.Errorf("Command(%q) = %b, want %b", text, got, want)
		}
	}
}

func TestEdit(t *testing.T) {
	w := words.Default()
	for _, c := range []struct {
		text, field string
		ok          bool
	}{
		{"ubah", "", true},
		{"ubah data", "", true},
		{"ubah nama", "name", true},
		{"Ganti nomor HP", "phone", true},
		{"mau ubah gaji dong", "income", true},
		{"ubah domisili", "place", true},
		{"ubah kode", "partner", true},
		{"change my name", "name", true},
		{"saya mau ubah data nik saya salah", "nik", true},
		{"ganti nama sama nomor hp", "", false},
		{"ganti oli", "", false},
		{"budi", "", false},
	} {
		f, ok := w.Edit(c.text)
		if f != c.field || ok != c.ok {
			t.Errorf("Edit(%q) = %q, %v; want %q, %v", c.text, f, ok, c.field, c.ok)
		}
	}
}

func TestLanguage(t *testing.T) {
	w := words.Default()
	for text, want := range map[string]string{
		"english please": "en", "English": "en", "in english pls": "en", "can you speak english?": "en",
		"pakai bahasa inggris": "en", "bahasa indonesia aja": "id", "Indonesian please": "id", "bhs indonesia dong": "id",
		"guru bahasa inggris": "", "saya dari indonesia timur": "",
	} {
		got, ok := w.Language(text)
		if got != want || ok != (want != "") {
			t.Errorf("Language(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}

func TestStripLeadIn(t *testing.T) {
	w := words.Default()
	for text, want := range map[string]string{
		"nama saya budi santoso":         "budi santoso",
		"Nama sy Budi Santoso kak":       "Budi Santoso",
		"saya tinggal di bandung":        "bandung",
		"aku kerja sebagai penjahit":     "penjahit",
		"guru honorer":                   "guru honorer",
		"Muhammad Al-Fatih":              "Muhammad Al-Fatih",
		"my name is Maria Lestari":       "Maria Lestari",
		"nama saya":                      "nama saya",
		"kak, nama lengkap saya Siti A.": "Siti A.",
	} {
		if got := w.StripLeadIn(text); got != want {
			t.Errorf("StripLeadIn(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	for text, want := range map[string][]string{
		"Iyaaa, BENER!!": {"iya", "bener"},
		"don't":          {"don't"},
		"Rp 2.500.000":   {"rp", "2", "500", "000"},
		"  ":             nil,
	} {
		if got := words.Tokens(text); !slices.Equal(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"setuju", "stuju", 1}, {"batal", "btal", 1}, {"abc", "acb", 1}, {"", "abc", 3}, {"sama", "sama", 0}} {
		if got := words.Distance(c.a, c.b); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func BenchmarkReadExpecting(b *testing.B) {
	w := words.Default()
	for b.Loop() {
		w.ReadExpecting("iya bener kak")
		w.ReadExpecting("stuju")
	}
}

func TestMentions(t *testing.T) {
	w := words.Default()
	if !w.Mentions("saya mau bicara dengan petugas, klaim JHT saya ditolak", words.Human) {
		t.Error("a person asked for by name is not seen")
	}
	if w.Mentions("saya petani", words.Human) {
		t.Error("no person asked for")
	}
}
