package web

import (
	"testing"

	"bpubot/models"
)

func TestColumnChart(t *testing.T) {
	days := []models.KeyCount{{Key: "2026-11-01", N: 0}, {Key: "2026-11-02", N: 1}, {Key: "2026-11-03", N: 400}, {Key: "2026-11-04", N: 200}}
	ch := newColumnChart("id", "per hari", days)
	if ch.Max != 400 || ch.Total != 601 || len(ch.Columns) != 4 {
		t.Fatalf("chart %+v", ch)
	}
	plot := float64(columnsH - columnsTop - columnsBottom)
	for i, want := range []float64{0, 2, plot, plot / 2} { // one among hundreds still shows
		if c := ch.Columns[i]; c.Height != want || c.Y+c.Height != float64(ch.Base) {
			t.Errorf("column %d: height %.1f at %.1f, want %.1f on the baseline %d", i, c.Height, c.Y, want, ch.Base)
		}
	}
	if last := ch.Columns[3]; last.X+last.Width > float64(ch.W) || ch.Columns[0].X < 0 {
		t.Error("columns outside the chart")
	}
	if len(ch.Ticks) != 2 || ch.Ticks[0].Label != "1 Nov" || ch.Ticks[0].Anchor != "start" || ch.Ticks[1].Anchor != "end" {
		t.Errorf("ticks %+v", ch.Ticks)
	}
	if ch.Columns[2].Label != "3 November 2026: 400" {
		t.Errorf("tooltip %q", ch.Columns[2].Label)
	}
}

func TestBarChart(t *testing.T) {
	items := []barItem{{Label: "a", N: 50}, {Label: "b", N: 30}, {Label: "c", N: 10}, {Label: "d", N: 5}, {Label: "e", N: 0}}
	ch := newBarChart("mitra", items, 3, "lainnya")
	if len(ch.Bars) != 3 || ch.Bars[2].Label != "lainnya" || ch.Bars[2].Value != "15" || ch.Total != 95 {
		t.Fatalf("bars %+v", ch.Bars)
	}
	if ch.Bars[0].Width != barsW-barValueW || ch.Bars[1].Width != (barsW-barValueW)*30.0/50 {
		t.Errorf("widths %.1f, %.1f", ch.Bars[0].Width, ch.Bars[1].Width)
	}
	if ch.H != 3*barRow || ch.Bars[1].Y != barRow {
		t.Errorf("rows: height %d, second at %.0f", ch.H, ch.Bars[1].Y)
	}
	// The items given are left as they were.
	if items[2].Label != "c" {
		t.Error("newBarChart changed its argument")
	}
	if empty := newBarChart("x", nil, 0, ""); len(empty.Bars) != 0 || empty.H != barRow {
		t.Errorf("empty chart %+v", empty)
	}
}
