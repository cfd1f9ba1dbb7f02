package validate_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"bpubot/flows/validate"
)

// TestRegencyData checks the shipped list against the Kepmendagri totals:
// 514 regencies, 416 kabupaten and 98 kota, in all 38 provinces.
func TestRegencyData(t *testing.T) {
	// kabupaten, kota per province.
	want := map[string][2]int{
		"11": {18, 5}, "12": {25, 8}, "13": {12, 7}, "14": {10, 2}, "15": {9, 2}, "16": {13, 4}, "17": {9, 1},
		"18": {13, 2}, "19": {6, 1}, "21": {5, 2}, "31": {1, 5}, "32": {18, 9}, "33": {29, 6}, "34": {4, 1},
		"35": {29, 9}, "36": {4, 4}, "51": {8, 1}, "52": {8, 2}, "53": {21, 1}, "61": {12, 2}, "62": {13, 1},
		"63": {11, 2}, "64": {7, 3}, "65": {4, 1}, "71": {11, 4}, "72": {12, 1}, "73": {21, 3}, "74": {15, 2},
		"75": {5, 1}, "76": {6, 0}, "81": {9, 2}, "82": {8, 2}, "91": {8, 1}, "92": {7, 0}, "93": {4, 0},
		"94": {8, 0}, "95": {8, 0}, "96": {5, 1},
	}
	kinds := map[validate.RegencyKind]int{}
	seen := map[string]bool{}
	for _, p := range validate.Provinces() {
		regs := validate.RegenciesOf(p.Code)
		var got [2]int
		for i, r := range regs {
			kinds[r.Kind]++
			if r.Kind == validate.Kota {
				got[1]++
			} else {
				got[0]++
			}
			if r.ProvinceCode != p.Code || r.Code[:2] != p.Code || r.Province() != p {
				t.Errorf("%s %s: province %s, want %s", r.Code, r.Name, r.ProvinceCode, p.Code)
			}
			if i > 0 && r.Code <= regs[i-1].Code {
				t.Errorf("%s: %s after %s", p.Name, r.Code, regs[i-1].Code)
			}
			if seen[r.Code] {
				t.Errorf("%s listed twice", r.Code)
			}
			seen[r.Code] = true
			if byCode, ok := validate.RegencyByCode(r.Code); !ok || byCode != r {
				t.Errorf("RegencyByCode(%q) = %+v, %v", r.Code, byCode, ok)
			}
			if !strings.HasSuffix(r.Name, " "+r.BaseName) || r.BaseName == "" {
				t.Errorf("%s: name %q, base name %q", r.Code, r.Name, r.BaseName)
			}
		}
		if got != want[p.Code] {
			t.Errorf("%s %s: %d kabupaten and %d kota, want %d and %d", p.Code, p.Name, got[0], got[1], want[p.Code][0], want[p.Code][1])
		}
	}
	if kinds[validate.Kabupaten] != 416 || kinds[validate.Kota] != 98 || len(seen) != 514 {
		t.Errorf("%d kabupaten, %d kota, %d in all; want 416, 98, 514", kinds[validate.Kabupaten], kinds[validate.Kota], len(seen))
	}
}

func TestRegencyByCode(t *testing.T) {
	tests := []struct {
		code, want, province string
		kind                 validate.RegencyKind
	}{
		{"3201", "Kabupaten Bogor", "32", validate.Kabupaten},
		{"3271", "Kota Bogor", "32", validate.Kota},
		{"3101", "Kabupaten Administrasi Kepulauan Seribu", "31", validate.Kabupaten},
		{"3171", "Kota Administrasi Jakarta Pusat", "31", validate.Kota},
		{"3174", "Kota Administrasi Jakarta Selatan", "31", validate.Kota},
		{"3471", "Kota Yogyakarta", "34", validate.Kota},
		{"3372", "Kota Surakarta", "33", validate.Kota},
		{"3674", "Kota Tangerang Selatan", "36", validate.Kota},
		{"1506", "Kabupaten Tanjung Jabung Barat", "15", validate.Kabupaten},
		{"6501", "Kabupaten Bulungan", "65", validate.Kabupaten},
		{"7601", "Kabupaten Pasangkayu", "76", validate.Kabupaten},
		// Papua since the 2022 splits.
		{"9103", "Kabupaten Jayapura", "91", validate.Kabupaten},
		{"9171", "Kota Jayapura", "91", validate.Kota},
		{"9202", "Kabupaten Manokwari", "92", validate.Kabupaten},
		{"9301", "Kabupaten Merauke", "93", validate.Kabupaten},
		{"9401", "Kabupaten Nabire", "94", validate.Kabupaten},
		{"9404", "Kabupaten Mimika", "94", validate.Kabupaten},
		{"9501", "Kabupaten Jayawijaya", "95", validate.Kabupaten},
		{"9508", "Kabupaten Nduga", "95", validate.Kabupaten},
		{"9601", "Kabupaten Sorong", "96", validate.Kabupaten},
		{"9671", "Kota Sorong", "96", validate.Kota},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			r, ok := validate.RegencyByCode(tt.code)
			if !ok || r.Code != tt.code || r.Name != tt.want || r.ProvinceCode != tt.province || r.Kind != tt.kind {
				t.Errorf("RegencyByCode(%q) = %+v, %v; want %s in %s", tt.code, r, ok, tt.want, tt.province)
			}
		})
	}
}

// NIKs issued before the Papua splits keep the old codes.
func TestRegencyByFormerCode(t *testing.T) {
	tests := []struct{ former, current string }{
		{"9101", "9301"}, // Merauke, now Papua Selatan
		{"9102", "9501"}, // Jayawijaya, now Papua Pegunungan
		{"9104", "9401"}, // Nabire, now Papua Tengah
		{"9109", "9404"}, // Mimika
		{"9128", "9408"}, // Deiyai
		{"9201", "9601"}, // Kabupaten Sorong, now Papua Barat Daya
		{"9271", "9671"}, // Kota Sorong
	}
	for _, tt := range tests {
		t.Run(tt.former, func(t *testing.T) {
			r, ok := validate.RegencyByCode(tt.former)
			if !ok || r.Code != tt.current {
				t.Errorf("RegencyByCode(%q) = %+v, %v; want %s", tt.former, r, ok, tt.current)
			}
		})
	}
}

func TestRegencyByCodeUnknown(t *testing.T) {
	for _, code := range []string{"", "32", "320", "32011", "3200", "3280", "3299", "0000", "9901", "32.01", " 3201", "abcd", "9130"} {
		t.Run(code, func(t *testing.T) {
			if r, ok := validate.RegencyByCode(code); ok {
				t.Errorf("RegencyByCode(%q) = %+v", code, r)
			}
		})
	}
}

func TestRegenciesOf(t *testing.T) {
	jabar := validate.RegenciesOf("32")
	if len(jabar) != 27 || jabar[0].Code != "3201" || jabar[26].Code != "3279" {
		t.Fatalf("RegenciesOf(32) = %d regencies from %v", len(jabar), jabar)
	}
	jabar[0].Name = "changed"
	if validate.RegenciesOf("32")[0].Name != "Kabupaten Bogor" {
		t.Error("RegenciesOf returned shared storage")
	}
	for _, code := range []string{"", "00", "20", "97", "3201"} {
		if regs := validate.RegenciesOf(code); regs != nil {
			t.Errorf("RegenciesOf(%q) = %v", code, regs)
		}
	}
}

func TestRegencyDisplay(t *testing.T) {
	tests := []struct {
		code                         string
		id, idShort, en              string
		provinceName, provinceNameEN string
	}{
		{"3201", "Kabupaten Bogor", "Kab. Bogor", "Bogor Regency", "Jawa Barat", "West Java"},
		{"3271", "Kota Bogor", "Kota Bogor", "Bogor City", "Jawa Barat", "West Java"},
		{"3206", "Kabupaten Tasikmalaya", "Kab. Tasikmalaya", "Tasikmalaya Regency", "Jawa Barat", "West Java"},
		{"3174", "Kota Jakarta Selatan", "Kota Jakarta Selatan", "South Jakarta", "DKI Jakarta", "Jakarta"},
		{"3101", "Kabupaten Kepulauan Seribu", "Kab. Kepulauan Seribu", "Thousand Islands", "DKI Jakarta", "Jakarta"},
		{"3471", "Kota Yogyakarta", "Kota Yogyakarta", "Yogyakarta City", "DI Yogyakarta", "Special Region of Yogyakarta"},
		{"9601", "Kabupaten Sorong", "Kab. Sorong", "Sorong Regency", "Papua Barat Daya", "Southwest Papua"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			r, _ := validate.RegencyByCode(tt.code)
			got := []string{r.Display("id"), r.Short("id"), r.Display("en"), r.Short("en"), r.Display(""), r.Province().Display("id"), r.Province().Display("en")}
			want := []string{tt.id, tt.idShort, tt.en, tt.en, tt.id, tt.provinceName, tt.provinceNameEN}
			if !slices.Equal(got, want) {
				t.Errorf("names of %s = %q, want %q", tt.code, got, want)
			}
		})
	}
}

// Every regency is found by every name the bot shows for it, in its own
// province and across all of them.
func TestMatchRegencyOwnNames(t *testing.T) {
	for _, p := range validate.Provinces() {
		for _, r := range validate.RegenciesOf(p.Code) {
			for _, name := range []string{r.Name, r.Display("id"), r.Short("id"), r.Display("en"), strings.ToUpper(r.Name)} {
				if got := validate.MatchRegency(p.Code, name); len(got) != 1 || got[0] != r {
					t.Errorf("MatchRegency(%q, %q) = %v, want %s", p.Code, name, codes(got), r.Code)
				}
				if got := validate.FindRegency(name); len(got) != 1 || got[0] != r {
					t.Errorf("FindRegency(%q) = %v, want %s", name, codes(got), r.Code)
				}
			}
		}
	}
}

func codes(regs []validate.Regency) []string {
	out := make([]string, len(regs))
	for i, r := range regs {
		out[i] = r.Code
	}
	return out
}

func TestMatchRegency(t *testing.T) {
	tests := []struct {
		province, in string
		want         []string
	}{
		// Kota and Kabupaten of the same name: ambiguous unless the kind is given.
		{"32", "bogor", []string{"3201", "3271"}},
		{"32", "Bogor", []string{"3201", "3271"}},
		{"32", "BOGOR.", []string{"3201", "3271"}},
		{"32", "kota bogor", []string{"3271"}},
		{"32", "Kota Bogor", []string{"3271"}},
		{"32", "kodya bogor", []string{"3271"}},
		{"32", "kotamadya bogor", []string{"3271"}},
		{"32", "kab. bogor", []string{"3201"}},
		{"32", "kab bogor", []string{"3201"}},
		{"32", "Kab.Bogor", []string{"3201"}},
		{"32", "kabupaten bogor", []string{"3201"}},
		{"32", "kabupatan bogor", []string{"3201"}},
		{"32", "Bogor Regency", []string{"3201"}},
		{"32", "bogor city", []string{"3271"}},
		{"32", "bandung", []string{"3204", "3273"}},
		{"32", "bandng", []string{"3204", "3273"}},
		{"32", "kota bandng", []string{"3273"}},
		{"32", "bdg", []string{"3204", "3273"}},
		{"32", "sukabumy", []string{"3202", "3272"}},
		{"32", "bekasi", []string{"3216", "3275"}},
		{"32", "cikarang", []string{"3216"}},
		{"32", "depok", []string{"3276"}},
		{"32", "bandung barat", []string{"3217"}},
		{"32", "kbb", []string{"3217"}},
		{"32", "west bandung", []string{"3217"}},
		{"32", "tasik", []string{"3206", "3278"}},
		// Lead-ins, particles and the province around the name.
		{"32", "saya tinggal di bandung", []string{"3204", "3273"}},
		{"32", "saya tinggal di kota bandung", []string{"3273"}},
		{"32", "di bogor", []string{"3201", "3271"}},
		{"32", "daerah depok kak", []string{"3276"}},
		{"32", "domisili kab. bogor", []string{"3201"}},
		{"32", "bogor, jawa barat", []string{"3201", "3271"}},
		{"32", "kab bogor prov jawa barat", []string{"3201"}},
		{"32", "kab. bogor, jabar", []string{"3201"}},
		{"32", "jawa barat, kota bogor", []string{"3271"}},
		{"32", "kec. cibinong kab. bogor", []string{"3201"}},
		{"32", "I live in Bogor", []string{"3201", "3271"}},
		// Jakarta.
		{"31", "jakarta selatan", []string{"3174"}},
		{"31", "Jakarta Selatan", []string{"3174"}},
		{"31", "jaksel", []string{"3174"}},
		{"31", "jkt selatan", []string{"3174"}},
		{"31", "kota adm. jakarta selatan", []string{"3174"}},
		{"31", "Kota Administrasi Jakarta Selatan", []string{"3174"}},
		{"31", "jakarta selatn", []string{"3174"}},
		{"31", "south jakarta", []string{"3174"}},
		{"31", "jakpus", []string{"3171"}},
		{"31", "central jakarta", []string{"3171"}},
		{"31", "jaktim", []string{"3175"}},
		{"31", "kepulauan seribu", []string{"3101"}},
		{"31", "kep. seribu", []string{"3101"}},
		{"31", "kab. adm. kepulauan seribu", []string{"3101"}},
		{"31", "pulau seribu", []string{"3101"}},
		{"31", "jakarta", []string{"3171", "3172", "3173", "3174", "3175"}},
		// Short and common names.
		{"34", "jogja", []string{"3471"}},
		{"34", "yogya", []string{"3471"}},
		{"34", "kota jogja", []string{"3471"}},
		{"34", "yogyakarta", []string{"3471"}},
		{"34", "sleman", []string{"3404"}},
		{"34", "kota sleman", []string{"3404"}},
		{"34", "gunung kidul", []string{"3403"}},
		{"34", "gunungkidul", []string{"3403"}},
		{"34", "kulonprogo", []string{"3401"}},
		{"33", "solo", []string{"3372"}},
		{"33", "surakarta", []string{"3372"}},
		{"33", "semarang", []string{"3322", "3374"}},
		{"33", "purwokerto", []string{"3302"}},
		{"36", "tangsel", []string{"3674"}},
		{"36", "tangerang selatan", []string{"3674"}},
		{"36", "south tangerang", []string{"3674"}},
		{"36", "tangerang", []string{"3603", "3671"}},
		{"35", "surabaya", []string{"3578"}},
		{"35", "sby", []string{"3578"}},
		{"35", "malang", []string{"3507", "3573"}},
		{"35", "kab malang", []string{"3507"}},
		// Multi-word names, spelling variants and typos.
		{"15", "tanjung jabung barat", []string{"1506"}},
		{"15", "Kab. Tanjung Jabung Barat", []string{"1506"}},
		{"15", "tanjab barat", []string{"1506"}},
		{"15", "tanjung jabung brat", []string{"1506"}},
		{"15", "muara jambi", []string{"1505"}},
		{"12", "toba samosir", []string{"1212"}},
		{"12", "pematang siantar", []string{"1272"}},
		{"12", "labuhan batu", []string{"1210"}},
		{"16", "oku timur", []string{"1608"}},
		{"16", "O.K.U. Timur", []string{"1608"}},
		{"19", "pangkalpinang", []string{"1971"}},
		{"21", "tanjungpinang", []string{"2172"}},
		{"21", "tj. pinang", []string{"2172"}},
		{"63", "kota baru", []string{"6302"}},
		{"63", "kotabaru", []string{"6302"}},
		{"62", "kota waringin barat", []string{"6201"}},
		{"62", "palangka raya", []string{"6271"}},
		{"71", "kotamobagu", []string{"7174"}},
		{"72", "toli-toli", []string{"7204"}},
		{"72", "tolitoli", []string{"7204"}},
		{"74", "baubau", []string{"7472"}},
		{"74", "bau-bau", []string{"7472"}},
		{"73", "pare pare", []string{"7372"}},
		{"73", "pangkep", []string{"7310"}},
		{"73", "toraja", []string{"7318", "7326"}},
		{"76", "mamuju utara", []string{"7601"}},
		{"81", "maluku tenggara barat", []string{"8103"}},
		{"92", "fakfak", []string{"9203"}},
		{"94", "timika", []string{"9404"}},
		{"96", "sorong", []string{"9601", "9671"}},
		{"13", "lima puluh kota", []string{"1307"}},
		{"13", "50 kota", []string{"1307"}},
		{"53", "central lombok", nil},
		{"52", "central lombok", []string{"5202"}},
		{"52", "loteng", []string{"5202"}},
	}
	for _, tt := range tests {
		t.Run(tt.province+" "+tt.in, func(t *testing.T) {
			if got := codes(validate.MatchRegency(tt.province, tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("MatchRegency(%q, %q) = %v, want %v", tt.province, tt.in, got, tt.want)
			}
		})
	}
}

func TestMatchRegencyNoMatch(t *testing.T) {
	tests := []struct{ province, in string }{
		{"32", ""}, {"32", "   "}, {"32", "..."}, {"32", "123"}, {"32", "3201"},
		{"32", "xyz"}, {"32", "asdf"}, {"32", "qwerty"}, {"32", "saya tinggal di"}, {"32", "kota"}, {"32", "kabupaten"},
		{"32", "kab."}, {"32", "di"}, {"32", "jawa barat"}, {"32", "jabar"}, {"32", "bandung atau bogor"},
		{"32", "saya tidak tahu"}, {"32", "ga tau"}, {"32", "ya"}, {"32", "bgor"}, {"32", "vandung"},
		{"32", "batal"}, {"32", "bantu"}, {"32", "menu"}, {"32", "kembali"}, {"32", "lewat"},
		// A place in another province.
		{"32", "jakarta selatan"}, {"32", "jaksel"}, {"32", "surabaya"}, {"32", "solo"}, {"32", "jogja"},
		{"32", "bogor, jawa tengah"},
		// Unknown or malformed province codes.
		{"", "bogor"}, {"3", "bogor"}, {"99", "bogor"}, {"3201", "bogor"},
		{"32", strings.Repeat("bogor ", 30)},
	}
	for _, tt := range tests {
		t.Run(tt.province+" "+tt.in, func(t *testing.T) {
			if got := validate.MatchRegency(tt.province, tt.in); len(got) != 0 {
				t.Errorf("MatchRegency(%q, %q) = %v, want nothing", tt.province, tt.in, codes(got))
			}
		})
	}
}

func TestFindRegency(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"jakarta selatan", []string{"3174"}},
		{"Jakarta Selatan", []string{"3174"}},
		{"jaksel", []string{"3174"}},
		{"bogor", []string{"3201", "3271"}},
		{"kota bogor", []string{"3271"}},
		{"malang, jatim", []string{"3507", "3573"}},
		{"malang jawa timur", []string{"3507", "3573"}},
		{"jogja", []string{"3471"}},
		{"solo", []string{"3372"}},
		{"tangsel", []string{"3674"}},
		{"sukabumy", nil},
		{"tanjung jabung brat", []string{"1506"}},
		{"banjar", []string{"3279", "6303"}},
		{"kota banjar", []string{"3279"}},
		{"kabupaten banjar", []string{"6303"}},
		{"banjar, kalsel", []string{"6303"}},
		{"kepulauan seribu", []string{"3101"}},
		{"tanjung jabung barat", []string{"1506"}},
		{"merauke", []string{"9301"}},
		{"I live in South Jakarta", []string{"3174"}},
		{"saya tinggal di sleman", []string{"3404"}},
		{"sorong", []string{"9601", "9671"}},
		{"toraja", []string{"7318", "7326"}},
		{"xyz", nil},
		{"asdf", nil},
		{"saya tinggal di", nil},
		{"kota", nil},
		{"jawa barat", nil},
		{"malaysia", nil},
		{"singapore", nil},
		// Everyday words a letter away from a name.
		{"bantu", nil}, {"batal", nil}, {"malam", nil}, {"ngapa", nil}, {"ngantuk", nil}, {"mangkat", nil},
		{"malam min", nil}, {"makasih", nil}, {"mks", nil}, {"klu", nil}, {"sbb", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := codes(validate.FindRegency(tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("FindRegency(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// The answers a flow sees, each read as the flow reads them: the province
// first, then the regency, with FindRegency when the regency is elsewhere.
func ExampleMatchRegency() {
	for _, answer := range []string{"bogor", "kota bogor", "jakarta selatan", "xyz"} {
		regs := validate.MatchRegency("32", answer)
		switch len(regs) {
		case 0:
			if elsewhere := validate.FindRegency(answer); len(elsewhere) == 1 {
				fmt.Printf("%s: %s ada di %s\n", answer, elsewhere[0].Display("id"), elsewhere[0].Province().Name)
			} else {
				fmt.Printf("%s: tidak ditemukan\n", answer)
			}
		case 1:
			fmt.Printf("%s: %s (%s)\n", answer, regs[0].Name, regs[0].Code)
		default:
			fmt.Printf("%s: %s atau %s?\n", answer, regs[1].Display("id"), regs[0].Display("id"))
		}
	}
	// Output:
	// bogor: Kota Bogor atau Kabupaten Bogor?
	// kota bogor: Kota Bogor (3271)
	// jakarta selatan: Kota Jakarta Selatan ada di DKI Jakarta
	// xyz: tidak ditemukan
}

func FuzzMatchRegency(f *testing.F) {
	for _, s := range []string{
		"bogor", "kota bogor", "kab. bogor", "saya tinggal di bandung", "jakarta selatan", "jaksel", "jogja", "solo",
		"tanjung jabung barat", "kep. seribu", "bandng", "sukabumy", "kec cibinong kab bogor", "bogor, jawa barat",
		"South Jakarta", "Bogor Regency", "xyz", "", "kota", "k a b", "ÉÉÉ", "50 kota",
	} {
		f.Add("32", s)
		f.Add("31", s)
	}
	f.Fuzz(func(t *testing.T, province, s string) {
		regs := validate.MatchRegency(province, s)
		for i, r := range regs {
			if r.ProvinceCode != province {
				t.Fatalf("MatchRegency(%q, %q) = %v, outside the province", province, s, codes(regs))
			}
			if i > 0 && r.Code <= regs[i-1].Code {
				t.Fatalf("MatchRegency(%q, %q) = %v, not in code order", province, s, codes(regs))
			}
			if byCode, ok := validate.RegencyByCode(r.Code); !ok || byCode != r {
				t.Fatalf("MatchRegency(%q, %q) = %+v, not in the list", province, s, r)
			}
		}
		all := validate.FindRegency(s)
		for i, r := range all {
			if i > 0 && r.Code <= all[i-1].Code {
				t.Fatalf("FindRegency(%q) = %v, not in code order", s, codes(all))
			}
		}
	})
}
