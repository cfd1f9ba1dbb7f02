package validate_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"bpubot/flows/validate"
)

func TestProvinces(t *testing.T) {
	all := validate.Provinces()
	if len(all) != 38 {
		t.Fatalf("%d provinces, want 38", len(all))
	}
	zones := map[string]bool{"Asia/Jakarta": true, "Asia/Makassar": true, "Asia/Jayapura": true}
	names := map[string]bool{}
	for i, p := range all {
		if len(p.Code) != 2 || (i > 0 && p.Code <= all[i-1].Code) {
			t.Errorf("province %d code %q out of order", i, p.Code)
		}
		if !zones[p.TimeZone] {
			t.Errorf("%s: time zone %q", p.Name, p.TimeZone)
		}
		if p.Name == "" || names[p.Name] {
			t.Errorf("%s: empty or duplicate name %q", p.Code, p.Name)
		}
		names[p.Name] = true
		if got, ok := validate.ProvinceByCode(p.Code); !ok || got != p {
			t.Errorf("ProvinceByCode(%q) = %+v, %v", p.Code, got, ok)
		}
	}
	all[0].Name = "changed"
	if validate.Provinces()[0].Name != "Aceh" {
		t.Error("Provinces returned shared storage")
	}
}

func TestProvinceDisplay(t *testing.T) {
	tests := []struct{ code, id, en string }{
		{"11", "Aceh", "Aceh"},
		{"12", "Sumatera Utara", "North Sumatra"},
		{"19", "Kepulauan Bangka Belitung", "Bangka Belitung Islands"},
		{"21", "Kepulauan Riau", "Riau Islands"},
		{"31", "DKI Jakarta", "Jakarta"},
		{"32", "Jawa Barat", "West Java"},
		{"33", "Jawa Tengah", "Central Java"},
		{"34", "DI Yogyakarta", "Special Region of Yogyakarta"},
		{"35", "Jawa Timur", "East Java"},
		{"51", "Bali", "Bali"},
		{"52", "Nusa Tenggara Barat", "West Nusa Tenggara"},
		{"73", "Sulawesi Selatan", "South Sulawesi"},
		{"74", "Sulawesi Tenggara", "Southeast Sulawesi"},
		{"82", "Maluku Utara", "North Maluku"},
		{"92", "Papua Barat", "West Papua"},
		{"95", "Papua Pegunungan", "Highland Papua"},
		{"96", "Papua Barat Daya", "Southwest Papua"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			p, _ := validate.ProvinceByCode(tt.code)
			if got := []string{p.Display("id"), p.Display(""), p.Display("en"), p.NameEN}; !slices.Equal(got, []string{tt.id, tt.id, tt.en, tt.en}) {
				t.Errorf("names of %s = %q, want %s and %s", tt.code, got, tt.id, tt.en)
			}
		})
	}
	for _, p := range validate.Provinces() {
		if p.NameEN == "" {
			t.Errorf("%s has no English name", p.Name)
		}
	}
}

func TestProvinceByCode(t *testing.T) {
	tests := []struct {
		code, name, zone string
	}{
		{"11", "Aceh", "Asia/Jakarta"},
		{"19", "Kepulauan Bangka Belitung", "Asia/Jakarta"},
		{"21", "Kepulauan Riau", "Asia/Jakarta"},
		{"31", "DKI Jakarta", "Asia/Jakarta"},
		{"32", "Jawa Barat", "Asia/Jakarta"},
		{"34", "DI Yogyakarta", "Asia/Jakarta"},
		{"36", "Banten", "Asia/Jakarta"},
		{"51", "Bali", "Asia/Makassar"},
		{"52", "Nusa Tenggara Barat", "Asia/Makassar"},
		{"53", "Nusa Tenggara Timur", "Asia/Makassar"},
		{"61", "Kalimantan Barat", "Asia/Jakarta"},
		{"62", "Kalimantan Tengah", "Asia/Jakarta"},
		{"63", "Kalimantan Selatan", "Asia/Makassar"},
		{"65", "Kalimantan Utara", "Asia/Makassar"},
		{"73", "Sulawesi Selatan", "Asia/Makassar"},
		{"76", "Sulawesi Barat", "Asia/Makassar"},
		{"81", "Maluku", "Asia/Jayapura"},
		{"82", "Maluku Utara", "Asia/Jayapura"},
		{"91", "Papua", "Asia/Jayapura"},
		{"92", "Papua Barat", "Asia/Jayapura"},
		{"93", "Papua Selatan", "Asia/Jayapura"},
		{"94", "Papua Tengah", "Asia/Jayapura"},
		{"95", "Papua Pegunungan", "Asia/Jayapura"},
		{"96", "Papua Barat Daya", "Asia/Jayapura"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			p, ok := validate.ProvinceByCode(tt.code)
			if !ok || p.Name != tt.name || p.TimeZone != tt.zone {
				t.Errorf("ProvinceByCode(%q) = %+v, %v; want %s in %s", tt.code, p, ok, tt.name, tt.zone)
			}
		})
	}
	for _, code := range []string{"", "00", "10", "20", "22", "37", "54", "66", "77", "83", "90", "97", "3", "032", " 32"} {
		t.Run("unknown "+code, func(t *testing.T) {
			if p, ok := validate.ProvinceByCode(code); ok {
				t.Errorf("ProvinceByCode(%q) = %+v", code, p)
			}
		})
	}
}

func TestMatchProvince(t *testing.T) {
	tests := []struct {
		in   string
		code string
	}{
		{"jabar", "32"},
		{"Jabar", "32"},
		{"jawa barat", "32"},
		{"JAWA BARAT", "32"},
		{"Jawa  Barat.", "32"},
		{"jawabarat", "32"},
		{"jwa barat", "32"},
		{"jawa brat", "32"},
		{"jawa baratt", "32"},
		{"Prov. Jawa Barat", "32"},
		{"provinsi jawa barat", "32"},
		{"di jawa barat", "32"},
		{"kab. bogor, jawa barat", "32"},
		{"bandung", "32"},
		{"kota bandung", "32"},
		{"jateng", "33"},
		{"jawa tengah", "33"},
		{"jawa tenga", "33"},
		{"solo", "33"},
		{"jatim", "35"},
		{"jawa timur", "35"},
		{"jatin", "35"},
		{"surabaya", "35"},
		{"DKI", "31"},
		{"dki jakarta", "31"},
		{"D.K.I. Jakarta", "31"},
		{"jakarta", "31"},
		{"Jakarta Selatan", "31"},
		{"jkt", "31"},
		{"jaksel", "31"},
		{"Daerah Khusus Jakarta", "31"},
		{"jogja", "34"},
		{"Jogjakarta", "34"},
		{"yogya", "34"},
		{"yogyakarta", "34"},
		{"diy", "34"},
		{"DI Yogyakarta", "34"},
		{"D.I. Yogyakarta", "34"},
		{"daerah istimewa yogyakarta", "34"},
		{"sleman", "34"},
		{"banten", "36"},
		{"tangerang", "36"},
		{"aceh", "11"},
		{"NAD", "11"},
		{"sumut", "12"},
		{"sumatra utara", "12"},
		{"sumatera utara", "12"},
		{"medan", "12"},
		{"sumbar", "13"},
		{"riau", "14"},
		{"jambi", "15"},
		{"sumsel", "16"},
		{"bengkulu", "17"},
		{"lampung", "18"},
		{"babel", "19"},
		{"bangka belitung", "19"},
		{"kepulauan bangka belitung", "19"},
		{"kepri", "21"},
		{"kep. riau", "21"},
		{"kepulauan riau", "21"},
		{"provinsi kepulauan riau, batam", "21"},
		{"batam", "21"},
		{"bali", "51"},
		{"ntb", "52"},
		{"N.T.B", "52"},
		{"nusa tenggara barat", "52"},
		{"lombok", "52"},
		{"ntt", "53"},
		{"nusa tenggara timur", "53"},
		{"kalbar", "61"},
		{"kalteng", "62"},
		{"kalsel", "63"},
		{"kaltim", "64"},
		{"kaltara", "65"},
		{"kalimantan utara", "65"},
		{"sulut", "71"},
		{"sulteng", "72"},
		{"sulsel", "73"},
		{"sulawesi selatan", "73"},
		{"makassar", "73"},
		{"sultra", "74"},
		{"gorontalo", "75"},
		{"sulbar", "76"},
		{"maluku", "81"},
		{"maluku utara", "82"},
		{"malut", "82"},
		{"papua", "91"},
		{"papua barat", "92"},
		{"papua selatan", "93"},
		{"papua tengah", "94"},
		{"papua pegunungan", "95"},
		{"papua barat daya", "96"},
		{"sorong", "96"},
		// Lead-ins and particles.
		{"saya tinggal di jawa barat", "32"},
		{"saya tinggal di jwa barat", "32"},
		{"saya tinggal di bandung", "32"},
		{"domisili jateng kak", "33"},
		{"daerah istimewa yogyakrta", "34"},
		// English.
		{"East Java", "35"},
		{"east java", "35"},
		{"East Java province", "35"},
		{"province of East Java", "35"},
		{"I live in East Java", "35"},
		{"West Java", "32"},
		{"Central Java", "33"},
		{"Jakarta", "31"},
		{"Special Capital Region of Jakarta", "31"},
		{"Special Region of Yogyakarta", "34"},
		{"Yogyakarta Special Region", "34"},
		{"North Sumatra", "12"},
		{"North Sumatera", "12"},
		{"West Sumatra", "13"},
		{"South Sumatra", "16"},
		{"South Sulawesi", "73"},
		{"Southeast Sulawesi", "74"},
		{"South East Sulawesi", "74"},
		{"South-East Sulawesi", "74"},
		{"Bali", "51"},
		{"West Papua", "92"},
		{"Southwest Papua", "96"},
		{"South West Papua", "96"},
		{"Highland Papua", "95"},
		{"Central Papua", "94"},
		{"South Papua", "93"},
		{"Riau Islands", "21"},
		{"Bangka Belitung Islands", "19"},
		{"Bangka-Belitung Islands", "19"},
		{"West Nusa Tenggara", "52"},
		{"East Nusa Tenggara", "53"},
		{"East Kalimantan", "64"},
		{"East Borneo", "64"},
		{"North Kalimantan", "65"},
		{"North Maluku", "82"},
		{"Moluccas", "81"},
		{"Gorontalo", "75"},
		{"West Sulawesi", "76"},
		{"east jawa", "35"},
		{"east jva", "35"},
		{"north sumatera province", "12"},
		{"bogor, west java", "32"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, ok := validate.MatchProvince(tt.in)
			if !ok || p.Code != tt.code {
				t.Errorf("MatchProvince(%q) = %+v, %v; want code %s", tt.in, p, ok, tt.code)
			}
		})
	}
}

func TestMatchProvinceNoMatch(t *testing.T) {
	for _, in := range []string{
		"", "   ", "...", "123", "xyz", "nt", "ntx", "jawa", "sumatera", "sulawesi", "kalimantan", "nusa tenggara",
		"jawa barat atau jawa tengah", "bandung atau surabaya", "kabar", "malaysia", "provinsi", "kota",
		"java", "west", "east", "south", "north", "central", "island", "islands", "saya tinggal di", "i live in", "province",
		"west java or east java", "borneo", "celebes", "est java",
		strings.Repeat("jawa barat ", 20),
	} {
		t.Run(in, func(t *testing.T) {
			if p, ok := validate.MatchProvince(in); ok {
				t.Errorf("MatchProvince(%q) = %+v, want no match", in, p)
			}
		})
	}
}

func TestMatchProvinceOfficialNames(t *testing.T) {
	for _, p := range validate.Provinces() {
		for _, in := range []string{p.Name, strings.ToUpper(p.Name), strings.ToLower(p.Name), "Provinsi " + p.Name, p.NameEN, p.Display("en"), p.Display("id"), p.NameEN + " Province"} {
			t.Run(in, func(t *testing.T) {
				if got, ok := validate.MatchProvince(in); !ok || got != p {
					t.Errorf("MatchProvince(%q) = %+v, %v; want %+v", in, got, ok, p)
				}
			})
		}
	}
}

func TestValidatePlace(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"bandung", "Bandung"},
		{"KOTA BANDUNG", "Kota Bandung"},
		{"kab bandung", "Kab. Bandung"},
		{"KAB. BANDUNG", "Kab. Bandung"},
		{"kab.bandung barat", "Kab. Bandung Barat"},
		{"Kab . Sleman", "Kab. Sleman"},
		{"kabupaten sleman", "Kabupaten Sleman"},
		{"kota tj.pinang", "Kota Tj. Pinang"},
		{"kec cibinong", "Kec. Cibinong"},
		{"toli-toli", "Toli-Toli"},
		{"toli - toli", "Toli-Toli"},
		{"pare–pare", "Pare-Pare"},
		{"bau-bau", "Bau-Bau"},
		{"dki jakarta", "DKI Jakarta"},
		{"jakarta selatan", "Jakarta Selatan"},
		{"di yogyakarta", "DI Yogyakarta"},
		{"d.i. yogyakarta", "D.I. Yogyakarta"},
		{"ntb", "NTB"},
		{"pangkal pinang", "Pangkal Pinang"},
		{"  gunung   kidul ", "Gunung Kidul"},
		{"labuan bajo", "Labuan Bajo"},
		{"ma’rang", "Ma'rang"},
		{"palu", "Palu"},
		{strings.Repeat("a", 60), "A" + strings.Repeat("a", 59)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := validate.ValidatePlace(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ValidatePlace(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidatePlaceErrors(t *testing.T) {
	tests := []struct {
		in   string
		want validate.Code
	}{
		{"", validate.CodeEmpty},
		{"ab", validate.CodePlaceShort},
		{"a.", validate.CodePlaceShort},
		{"kab", validate.CodePlaceShort},
		{"kab.", validate.CodePlaceShort},
		{"kota", validate.CodePlaceShort},
		{"Kabupaten", validate.CodePlaceShort},
		{strings.Repeat("a", 61), validate.CodePlaceLong},
		{"kab.bandung" + strings.Repeat("a", 49), validate.CodePlaceLong},
		{"jakarta 12", validate.CodePlaceChars},
		{"jl. merdeka no 5", validate.CodePlaceChars},
		{"bandung!", validate.CodePlaceChars},
		{"bandung, jawa barat", validate.CodePlaceChars},
		{"--", validate.CodePlaceChars},
		{"-bandung", validate.CodePlaceChars},
		{"bandung-", validate.CodePlaceChars},
		{"toli--toli", validate.CodePlaceChars},
		{"kab..bandung", validate.CodePlaceChars},
		{"bandung 🏙", validate.CodePlaceChars},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := validate.ValidatePlace(tt.in)
			if code := validate.CodeOf(err); code != tt.want || got != "" {
				t.Errorf("ValidatePlace(%q) = %q, %v; want code %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzMatchProvince(f *testing.F) {
	for _, s := range []string{
		"jabar", "jawa barat", "jwa barat", "jateng", "jatim", "DKI", "jakarta", "jkt", "jogja", "yogya", "diy",
		"sumut", "sulsel", "ntb", "ntt", "kalbar", "babel", "kepri", "papua", "D.I. Yogyakarta", "kab. bogor, jawa barat",
		"sulawesi", "", "n t t", "papua barat daya",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := validate.MatchProvince(s)
		if !ok {
			if p != (validate.Province{}) {
				t.Fatalf("MatchProvince(%q) = %+v with ok=false", s, p)
			}
			return
		}
		if byCode, found := validate.ProvinceByCode(p.Code); !found || byCode != p {
			t.Fatalf("MatchProvince(%q) = %+v, not in the list", s, p)
		}
		if again, ok := validate.MatchProvince(p.Name); !ok || again != p {
			t.Fatalf("round trip: MatchProvince(%q) = %+v, %v", p.Name, again, ok)
		}
	})
}

func FuzzValidatePlace(f *testing.F) {
	for _, s := range []string{
		"kab bandung", "KOTA TJ.PINANG", "toli - toli", "d.i. yogyakarta", "dki jakarta", "kab", "ma’rang", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := validate.ValidatePlace(s)
		if err != nil {
			if validate.CodeOf(err) == "" {
				t.Fatalf("ValidatePlace(%q) error without code: %v", s, err)
			}
			return
		}
		if n := utf8.RuneCountInString(out); n < validate.PlaceMinLen || n > validate.PlaceMaxLen {
			t.Fatalf("ValidatePlace(%q) = %q, %d characters", s, out, n)
		}
		again, err := validate.ValidatePlace(out)
		if err != nil || again != out {
			t.Fatalf("round trip: ValidatePlace(%q) = %q, %v", out, again, err)
		}
	})
}
