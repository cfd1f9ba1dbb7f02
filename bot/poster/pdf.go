package poster

import (
	"io"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// PDF writes the poster as a one-page A4 PDF, the QR codes drawn as vector squares.
func (p Poster) PDF(w io.Writer) error {
	items, err := p.layout()
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(p.PartnerName, true)
	pdf.SetCreator("bpubot", false)
	// A fixed creation date keeps the same poster byte for byte the same.
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(p.Month)
	pdf.SetModificationDate(p.Month)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.AddPage()
	paint(pdfCanvas{pdf}, items)
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

type pdfCanvas struct{ pdf *fpdf.Fpdf }

func (c pdfCanvas) rect(it item) {
	c.pdf.SetFillColor(int(it.col.R), int(it.col.G), int(it.col.B))
	c.pdf.Rect(it.x, it.y, it.w, it.h, "F")
}

func (c pdfCanvas) text(it item) {
	style := ""
	if it.bold {
		style = "B"
	}
	c.pdf.SetFont("go", style, it.size)
	c.pdf.SetTextColor(int(it.col.R), int(it.col.G), int(it.col.B))
	c.pdf.Text(textX(it), it.y, it.text)
}

func (c pdfCanvas) qr(it item) {
	n := len(it.modules)
	module := it.w / float64(n+8)
	c.pdf.SetFillColor(int(ink.R), int(ink.G), int(ink.B))
	for y, row := range it.modules {
		// Runs of dark modules as one rectangle each: a smaller file, no hairlines between.
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			end := x
			for end < len(row) && row[end] {
				end++
			}
			c.pdf.Rect(it.x+module*float64(4+x), it.y+module*float64(4+y), module*float64(end-x), module, "F")
			x = end
		}
	}
}
