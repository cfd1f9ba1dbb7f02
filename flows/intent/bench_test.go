package intent

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// benchMessages is a realistic mix: the held-out messages (short, slangy,
// some typos) plus a few long rambling ones and one 100 KB paste.
func benchMessages(tb testing.TB) []string {
	var msgs []string
	for _, e := range loadHeldOut(tb) {
		msgs = append(msgs, e.text)
	}
	msgs = append(msgs,
		"assalamualaikum min, maaf ganggu malam2, sy mau tanya, suami sy kan ojol, kemarin pas narik jatuh dr motor krn jalan licin, kakinya luka dan skrg dirawat di klinik, itu bisa diklaim ga ya ke bpjs tk, kartunya masih aktif kok, makasih sebelumnya",
		"Bu saya jualan nasi uduk di depan rumah sudah 10 tahun, katanya ada program bpjs ketenagakerjaan buat pedagang kecil yang iurannya murah, saya mau ikut tapi gak ngerti caranya dan harus bawa apa saja",
		strings.Repeat("promo pulsa murah hubungi kami sekarang juga ", 2300),
	)
	return msgs
}

func BenchmarkClassify(b *testing.B) {
	c := Default()
	msgs := benchMessages(b)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		c.Classify(msgs[i%len(msgs)])
		i++
	}
}

func BenchmarkExplain(b *testing.B) {
	c := Default()
	msgs := benchMessages(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Explain(msgs[i%len(msgs)])
		i++
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorstCase measures crafted 2 KB messages of unknown words,
// which would be expensive without the per-message repair budget.
func BenchmarkWorstCase(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	cases := map[string]string{}
	var sb strings.Builder
	for sb.Len() < 3000 {
		for range 10 {
			c := byte('a' + rng.IntN(26))
			sb.WriteByte(c)
			sb.WriteByte(c)
		}
		sb.WriteByte(' ')
	}
	cases["doubled"] = sb.String()
	sb.Reset()
	for sb.Len() < 3000 {
		for range 20 {
			sb.WriteByte(byte('a' + rng.IntN(26)))
		}
		sb.WriteByte(' ')
	}
	cases["gibberish20"] = sb.String()
	sb.Reset()
	for sb.Len() < 3000 {
		sb.WriteString("memperpenge" + string(rune('a'+rng.IntN(26))) + "kannya ")
	}
	cases["affixes"] = sb.String()
	for name, s := range cases {
		b.Run(name, func(b *testing.B) {
			c := Default()
			for b.Loop() {
				c.Classify(s)
			}
		})
	}
}
