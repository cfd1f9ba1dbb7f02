package web

import (
	"strconv"
	"strings"
	"time"

	"bpubot/locales"
	"bpubot/models"
)

// Charts are SVG drawn on the server: the geometry is worked out here and written by the
// templates (parts.html: "columns", "bars"), so every label and number goes through
// html/template's escaping. They scale with the page: the same chart on a phone and a desk.

// columnChart is counts over days, one column a day.
type columnChart struct {
	Title   string
	W, H    int
	Base    int // the baseline's y
	TickY   int
	Columns []column
	Ticks   []tick // dates along the bottom
	Max     int64
	Total   int64
}

type column struct {
	X, Y, Width, Height float64
	Label               string // the day and its count, for the tooltip
}

type tick struct {
	X      float64
	Label  string
	Anchor string // start, middle or end: the first and last stay inside the chart
}

const (
	columnsW      = 420
	columnsH      = 140
	columnsTop    = 16 // room for the largest value
	columnsBottom = 18 // room for the dates
)

// newColumnChart draws per-day counts (keys "2006-01-02", oldest first).
func newColumnChart(lang, title string, days []models.KeyCount) columnChart {
	ch := columnChart{Title: title, W: columnsW, H: columnsH, Base: columnsH - columnsBottom, TickY: columnsH - 6}
	for _, d := range days {
		ch.Max = max(ch.Max, d.N)
		ch.Total += d.N
	}
	if len(days) == 0 {
		return ch
	}
	slot := float64(columnsW) / float64(len(days))
	plot := float64(columnsH - columnsTop - columnsBottom)
	for i, d := range days {
		day, _ := time.Parse(time.DateOnly, d.Key)
		h := 0.0
		if ch.Max > 0 {
			h = plot * float64(d.N) / float64(ch.Max)
		}
		if d.N > 0 {
			h = max(h, 2) // a day with one sign-up among hundreds still shows
		}
		x := float64(i) * slot
		ch.Columns = append(ch.Columns, column{X: x + slot*0.15, Y: columnsTop + plot - h, Width: slot * 0.7, Height: h,
			Label: locales.Date(lang, day) + ": " + strconv.FormatInt(d.N, 10)})
		// A date under the first column, the last, and every seventh between.
		switch {
		case i == 0:
			ch.Ticks = append(ch.Ticks, tick{X: x, Label: shortDate(lang, day), Anchor: "start"})
		case i == len(days)-1:
			ch.Ticks = append(ch.Ticks, tick{X: x + slot, Label: shortDate(lang, day), Anchor: "end"})
		case (len(days)-1-i)%7 == 0 && i > 3:
			ch.Ticks = append(ch.Ticks, tick{X: x + slot/2, Label: shortDate(lang, day), Anchor: "middle"})
		}
	}
	return ch
}

// shortDate is "22 Nov".
func shortDate(lang string, t time.Time) string {
	month, _, _ := strings.Cut(locales.MonthRange(lang, t, t), " ")
	return strconv.Itoa(t.Day()) + " " + month
}

// barChart is counts by category, one labelled bar each, largest first.
type barChart struct {
	Title string
	W, H  int
	Bars  []bar
	Total int64
}

type bar struct {
	Y      float64 // top of the row: the label above, the bar below
	LabelY float64 // the label's baseline
	BarY   float64 // the bar's top
	ValueY float64 // the value's baseline, beside the bar
	Width  float64
	Label  string
	Value  string
	ValueX float64
	Class  string
}

const (
	barsW     = 320
	barRow    = 34
	barHeight = 12
	barLabel  = 12 // the label's baseline in the row
	barTop    = 16 // the bar's top in the row
	barValueW = 70 // room for the value after the longest bar
)

// BarHeight is how thick each bar is.
func (barChart) BarHeight() int { return barHeight }

// barItem is one bar to draw.
type barItem struct {
	Label string
	N     int64
	Value string // "" for the count
	Class string // a colour: "", "warn", "bad", "good", "muted"
}

// newBarChart draws items in the order given, at most limit of them (the rest summed into
// one "other" bar labelled other).
func newBarChart(title string, items []barItem, limit int, other string) barChart {
	if limit > 0 && len(items) > limit {
		var rest int64
		for _, it := range items[limit-1:] {
			rest += it.N
		}
		items = append(items[:limit-1:limit-1], barItem{Label: other, N: rest, Class: "muted"})
	}
	ch := barChart{Title: title, W: barsW, H: max(len(items), 1) * barRow}
	var top int64
	for _, it := range items {
		top = max(top, it.N)
		ch.Total += it.N
	}
	for i, it := range items {
		w := 0.0
		if top > 0 {
			w = float64(barsW-barValueW) * float64(it.N) / float64(top)
		}
		if it.N > 0 {
			w = max(w, 2)
		}
		value := it.Value
		if value == "" {
			value = strconv.FormatInt(it.N, 10)
		}
		y := float64(i * barRow)
		ch.Bars = append(ch.Bars, bar{Y: y, LabelY: y + barLabel, BarY: y + barTop, ValueY: y + barTop + barHeight - 1,
			Width: w, Label: it.Label, Value: value, ValueX: w + 6, Class: it.Class})
	}
	return ch
}
