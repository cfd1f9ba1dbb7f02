package poster

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// dpi of the PNG: A4 at 150 dpi is 1240 × 1754 pixels, sharp on a phone and printable.
const dpi = 150

const pxPerMM = dpi / 25.4

// PNG writes the poster as a PNG image.
func (p Poster) PNG(w io.Writer) error {
	items, err := p.layout()
	if err != nil {
		return err
	}
	img := image.NewRGBA(image.Rect(0, 0, px(pageW), px(pageH)))
	draw.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	paint(pngCanvas{img}, items)
	// Best compression: a poster is mostly flat colour, and is sent over slow connections.
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	return enc.Encode(w, img)
}

func px(mm float64) int { return int(mm*pxPerMM + 0.5) }

type pngCanvas struct{ img *image.RGBA }

func (c pngCanvas) fill(x0, y0, x1, y1 int, col color.Color) {
	draw.Draw(c.img, image.Rect(x0, y0, x1, y1), image.NewUniform(col), image.Point{}, draw.Src)
}

func (c pngCanvas) rect(it item) {
	c.fill(px(it.x), px(it.y), px(it.x+it.w), px(it.y+it.h), it.col)
}

func (c pngCanvas) text(it item) {
	x := textX(it)
	faceMu.Lock()
	defer faceMu.Unlock()
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(it.col), Face: face(faceKey{it.size, dpi, it.bold}),
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * pxPerMM * 64), Y: fixed.Int26_6(it.y * pxPerMM * 64)}}
	d.DrawString(it.text)
}

// qr draws the modules in whole pixels, each the same size, centred in the box with a quiet
// zone of four modules: scanners read sharp, even modules best.
func (c pngCanvas) qr(it item) {
	n := len(it.modules)
	box := px(it.w)
	module := box / (n + 8)
	x0 := px(it.x) + (box-module*n)/2
	y0 := px(it.y) + (box-module*n)/2
	for y, row := range it.modules {
		for x, dark := range row {
			if dark {
				c.fill(x0+x*module, y0+y*module, x0+(x+1)*module, y0+(y+1)*module, ink)
			}
		}
	}
}
