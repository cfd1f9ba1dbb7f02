// Package poster draws a partner's printable sign-up poster for MoU events and village halls:
// the partner's name, the premium line, and a QR code for each channel's sign-up link. One
// layout, in millimetres on A4, is drawn twice: as a PNG (150 dpi, for phones and chat groups)
// and as a PDF (vector, for printing). Both use the Go fonts, so both wrap the same way.
package poster

import (
	"errors"
	"image/color"
	"strings"
	"sync"
	"time"

	"bpubot/flows/tariff"
	"bpubot/locales"

	"github.com/yeqown/go-qrcode/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// Poster is what a poster shows.
type Poster struct {
	Lang        string
	PartnerName string
	PartnerCode string
	// Sponsor is set when the partner pays its workers' premiums: the poster says so instead of
	// quoting a price.
	Sponsor bool
	// TelegramLink and WhatsAppLink are the sign-up links (telegram.StartLink,
	// whatsapp.PartnerLink); "" leaves that channel off.
	TelegramLink string
	WhatsAppLink string
	// Premium is the least a month costs (tariff.Lowest) at Month.
	Premium tariff.Quote
	Month   time.Time
}

// ErrNoLinks: a poster needs at least one channel to sign up on.
var ErrNoLinks = errors.New("poster: no sign-up link (set the Telegram bot or the WhatsApp number)")

// A4 in millimetres.
const (
	pageW  = 210.0
	pageH  = 297.0
	margin = 16.0
)

var (
	green = color.RGBA{0x0b, 0x6e, 0x3b, 0xff}
	ink   = color.RGBA{0x1d, 0x23, 0x2a, 0xff}
	grey  = color.RGBA{0x5b, 0x65, 0x70, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	pale  = color.RGBA{0xe8, 0xf4, 0xec, 0xff}
)

// item is one thing on the page, in millimetres from the top left corner.
type item struct {
	kind       itemKind
	x, y, w, h float64 // rect and qr: the box; text: x..x+w is the line's width, y its baseline
	size       float64 // text: points
	bold       bool
	center     bool
	col        color.RGBA
	text       string
	modules    [][]bool // qr
}

type itemKind int

const (
	itemRect itemKind = iota
	itemText
	itemQR
)

// canvas draws items: the PNG and the PDF.
type canvas interface {
	rect(it item)
	text(it item)
	qr(it item)
}

func paint(c canvas, items []item) {
	for _, it := range items {
		switch it.kind {
		case itemRect:
			c.rect(it)
		case itemText:
			c.text(it)
		case itemQR:
			c.qr(it)
		}
	}
}

var (
	regularFont = mustParse(goregular.TTF)
	boldFont    = mustParse(gobold.TTF)
)

func mustParse(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err)
	}
	return f
}

// faces caches font faces by size and weight: measuring is done word by word.
var faces sync.Map // faceKey -> font.Face

type faceKey struct {
	size float64 // points
	dpi  float64
	bold bool
}

// face is the Go font at size points for dpi dots per inch. Faces are not safe for concurrent
// use, so callers hold faceMu.
func face(k faceKey) font.Face {
	if f, ok := faces.Load(k); ok {
		return f.(font.Face)
	}
	src := regularFont
	if k.bold {
		src = boldFont
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: k.size, DPI: k.dpi, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // only for a size or dpi of 0
	}
	actual, _ := faces.LoadOrStore(k, f)
	return actual.(font.Face)
}

var faceMu sync.Mutex

// measureDPI is the resolution text is measured at: high, so rounding to pixels stays small.
const measureDPI = 72 * 16

// measure is the width of s in millimetres at size points.
func measure(s string, size float64, bold bool) float64 {
	faceMu.Lock()
	defer faceMu.Unlock()
	w := font.MeasureString(face(faceKey{size, measureDPI, bold}), s)
	return float64(w) / 64 / measureDPI * 25.4
}

// wrap breaks s into lines no wider than width millimetres.
func wrap(s string, size float64, bold bool, width float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && measure(try, size, bold) > width {
			lines = append(lines, line)
			try = w
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

const ptToMM = 25.4 / 72

// layout places everything. The page is a green band with the call to sign up, the partner,
// the premium, the QR codes with their channel and link, three steps, and a footer with the
// code and the month the premium was quoted for.
func (p Poster) layout() ([]item, error) {
	type link struct{ name, url string }
	var links []link
	if p.TelegramLink != "" {
		links = append(links, link{"Telegram", p.TelegramLink})
	}
	if p.WhatsAppLink != "" {
		links = append(links, link{"WhatsApp", p.WhatsAppLink})
	}
	if len(links) == 0 {
		return nil, ErrNoLinks
	}
	t := func(key string, args ...any) string { return locales.Text(p.Lang, "console.poster."+key, args...) }
	var items []item
	width := pageW - 2*margin
	y := 0.0
	// paragraph adds s wrapped and centred, leading 1.25 × its size, and moves y below it.
	paragraph := func(s string, size float64, bold bool, col color.RGBA) {
		for _, line := range wrap(s, size, bold, width) {
			y += size * ptToMM * 1.25
			items = append(items, item{kind: itemText, x: margin, y: y, w: width, size: size, bold: bold, center: true, col: col, text: line})
		}
	}
	items = append(items, item{kind: itemRect, x: 0, y: 0, w: pageW, col: green}) // height set below
	y = 12
	paragraph(t("title"), 34, true, white)
	y += 3
	paragraph(t("subtitle"), 14, false, white)
	y += 10
	items[0].h = y
	y += 8
	paragraph(t("with"), 14, false, grey)
	paragraph(p.PartnerName, 26, true, ink)
	y += 5
	boxTop := y
	items = append(items, item{kind: itemRect, x: margin, y: boxTop, w: width, h: 0, col: pale}) // height set below
	box := len(items) - 1
	y += 1
	if p.Sponsor {
		paragraph(t("sponsored", "partner", p.PartnerName), 18, true, green)
	} else {
		paragraph(t("premium", "amount", locales.Money(p.Premium.Total)), 20, true, green)
		if p.Premium.Discount > 0 {
			paragraph(t("premium_normal", "full", locales.Money(p.Premium.Total+p.Premium.Discount), "name", p.Premium.DiscountName), 12, false, ink)
		}
	}
	paragraph(t("benefits"), 12, false, ink)
	y += 4
	items[box].h = y - boxTop

	// The QR codes side by side (or one in the middle), each with its channel above and its
	// link below.
	y += 8
	gap := 14.0
	size := min(72.0, (width-gap*float64(len(links)-1))/float64(len(links)))
	left := (pageW - size*float64(len(links)) - gap*float64(len(links)-1)) / 2
	for i, l := range links {
		x := left + float64(i)*(size+gap)
		modules, err := Modules(l.url)
		if err != nil {
			return nil, err
		}
		items = append(items,
			item{kind: itemText, x: x, y: y + 6, w: size, size: 16, bold: true, center: true, col: ink, text: l.name},
			item{kind: itemQR, x: x, y: y + 9, w: size, h: size, modules: modules})
		ly := y + 9 + size + 5
		for _, line := range wrapURL(strings.TrimPrefix(l.url, "https://"), 8.5, size+gap-2) {
			items = append(items, item{kind: itemText, x: x - (gap-2)/2, y: ly, w: size + gap - 2, size: 8.5, center: true, col: grey, text: line})
			ly += 8.5 * ptToMM * 1.3
		}
	}
	y += 9 + size + 20
	for i, step := range []string{t("step_scan"), t("step_send"), t("step_answer")} {
		for _, line := range wrap(step, 13, false, width-10) {
			items = append(items, item{kind: itemText, x: margin + 10, y: y, w: width - 10, size: 13, col: ink, text: line})
			y += 13 * ptToMM * 1.35
		}
		items = append(items, item{kind: itemText, x: margin, y: y - 13*ptToMM*1.35, w: 8, size: 13, bold: true, col: green, text: string(rune('1' + i))})
		y += 1.5
	}
	items = append(items, item{kind: itemText, x: margin, y: pageH - 12, w: width, size: 10, center: true, col: grey,
		text: t("footer", "code", p.PartnerCode, "month", locales.Month(p.Lang, p.Month))})
	return items, nil
}

// wrapURL breaks a link without spaces into lines no wider than width, at any character.
func wrapURL(s string, size, width float64) []string {
	var lines []string
	for s != "" {
		n := len(s)
		for n > 1 && measure(s[:n], size, false) > width {
			n--
		}
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return lines
}

// Modules is the QR code of text as rows of dark (true) and light modules, without the quiet
// zone.
func Modules(text string) ([][]bool, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, err
	}
	var m matrixWriter
	if err := q.Save(&m); err != nil {
		return nil, err
	}
	return m.bitmap, nil
}

// matrixWriter keeps the matrix go-qrcode hands its writers.
type matrixWriter struct{ bitmap [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error { w.bitmap = m.Bitmap(); return nil }
func (w *matrixWriter) Close() error                { return nil }

// textX is where a line starts: at it.x, or centred in it.x..it.x+it.w.
func textX(it item) float64 {
	if !it.center {
		return it.x
	}
	return it.x + (it.w-measure(it.text, it.size, it.bold))/2
}
