package poster

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bpubot/flows/tariff"
)

var keep = flag.Bool("keep", false, "write the posters into the test's folder and log it")

func testPoster(t testing.TB, lang string, sponsor bool) Poster {
	t.Helper()
	month := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	q, err := tariff.Default().Lowest(month)
	if err != nil {
		t.Fatal(err)
	}
	return Poster{
		Lang: lang, PartnerName: "Pimpinan Wilayah GP Ansor Jawa Tengah dan Karang Taruna Kabupaten Semarang",
		PartnerCode: "ansor_jateng", Sponsor: sponsor,
		TelegramLink: "https://t.me/bpu_test_bot?start=ansor_jateng",
		WhatsAppLink: "https://wa.me/6281234567890?text=DAFTAR%20ansor_jateng",
		Premium:      q, Month: month,
	}
}

// TestPNGCarriesTheLinks reads every module of each QR code back from the PNG's pixels and
// compares it with the code of the link it should carry.
func TestPNGCarriesTheLinks(t *testing.T) {
	for _, c := range []struct {
		lang    string
		sponsor bool
	}{{"id", false}, {"en", false}, {"id", true}} {
		p := testPoster(t, c.lang, c.sponsor)
		var buf bytes.Buffer
		if err := p.PNG(&buf); err != nil {
			t.Fatal(err)
		}
		save(t, fmt.Sprintf("poster-%s-%v.png", c.lang, c.sponsor), buf.Bytes())
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 1240 || b.Dy() != 1754 {
			t.Fatalf("poster is %v, want A4 at 150 dpi (1240 × 1754)", b)
		}
		items, _ := p.layout()
		var links []string
		for _, it := range items {
			if it.kind != itemQR {
				continue
			}
			links = append(links, "")
			checkQR(t, img, it)
		}
		if len(links) != 2 {
			t.Fatalf("%d QR codes, want one for Telegram and one for WhatsApp", len(links))
		}
		for _, it := range items {
			if it.kind == itemText && (textX(it) < 0 || textX(it)+measure(it.text, it.size, it.bold) > pageW) {
				t.Errorf("%q runs off the page", it.text)
			}
		}
	}
}

func checkQR(t *testing.T, img image.Image, it item) {
	t.Helper()
	n := len(it.modules)
	box := px(it.w)
	module := box / (n + 8)
	x0, y0 := px(it.x)+(box-module*n)/2, px(it.y)+(box-module*n)/2
	if module < 4 {
		t.Errorf("QR modules are %d pixels: too small to scan from a print", module)
	}
	for y, row := range it.modules {
		for x, want := range row {
			r, _, _, _ := img.At(x0+x*module+module/2, y0+y*module+module/2).RGBA()
			if dark := r < 0x8000; dark != want {
				t.Fatalf("module (%d, %d) is dark=%v in the PNG, want %v", x, y, dark, want)
			}
		}
	}
}

func TestModules(t *testing.T) {
	link := "https://wa.me/6281234567890?text=DAFTAR%20ansor_jateng"
	m, err := Modules(link)
	if err != nil {
		t.Fatal(err)
	}
	// Version 4 (33 modules) holds this link at level M; finder patterns in three corners.
	if len(m) < 21 || len(m) != len(m[0]) || !m[0][0] || !m[0][len(m)-1] || !m[len(m)-1][0] || m[len(m)-1][len(m)-1] && m[len(m)-2][len(m)-2] {
		t.Fatalf("not a QR code: %d × %d", len(m), len(m[0]))
	}
}

func TestPDF(t *testing.T) {
	p := testPoster(t, "id", false)
	var a, b bytes.Buffer
	if err := p.PDF(&a); err != nil {
		t.Fatal(err)
	}
	if err := p.PDF(&b); err != nil {
		t.Fatal(err)
	}
	save(t, "poster.pdf", a.Bytes())
	if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) || !bytes.Contains(a.Bytes(), []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same poster gave two different PDFs")
	}
	if !bytes.Contains(a.Bytes(), []byte("/MediaBox [0 0 595.28 841.89]")) {
		t.Error("not one A4 page")
	}
}

func TestNoLinks(t *testing.T) {
	p := testPoster(t, "id", false)
	p.TelegramLink, p.WhatsAppLink = "", ""
	if err := p.PNG(&bytes.Buffer{}); err != ErrNoLinks {
		t.Fatalf("PNG without links: %v, want ErrNoLinks", err)
	}
}

func save(t *testing.T, name string, b []byte) {
	if !*keep {
		return
	}
	path := filepath.Join(os.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log(path)
}

// BenchmarkPoster: one poster, as the console draws it for each download.
func BenchmarkPoster(b *testing.B) {
	p := testPoster(b, "id", false)
	for _, format := range []struct {
		name string
		draw func(*bytes.Buffer) error
	}{{"png", func(w *bytes.Buffer) error { return p.PNG(w) }}, {"pdf", func(w *bytes.Buffer) error { return p.PDF(w) }}} {
		b.Run(format.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := format.draw(&buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}
