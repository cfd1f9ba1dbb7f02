package flows

import (
	"testing"
	"time"
)

func TestOfficeHours(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(day int, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, wib) } // 23 Nov 2026 is a Monday
	weekdays := DefaultOfficeHours()
	for _, c := range []struct {
		name string
		now  time.Time
		open bool
		next time.Time
	}{
		{"Monday morning", at(23, 9, 30), true, time.Time{}},
		{"Monday before opening", at(23, 7, 59), false, at(23, 8, 0)},
		{"Monday at closing", at(23, 16, 0), false, at(24, 8, 0)},
		{"Friday evening", at(27, 18, 0), false, at(30, 8, 0)},
		{"Sunday", at(22, 10, 0), false, at(23, 8, 0)},
	} {
		next, open := weekdays.Next(c.now)
		if open != c.open || (!open && !next.Equal(c.next)) {
			t.Errorf("%s: Next = %v, %v; want %v, %v", c.name, next, open, c.next, c.open)
		}
	}
	for _, c := range []struct{ days, open, close, id, en string }{
		{"mon-fri", "08:00", "16:00", "Senin–Jumat 08.00–16.00", "Monday–Friday 08.00–16.00"},
		{"mon,wed,fri", "07:30", "12:00", "Senin, Rabu, Jumat 07.30–12.00", "Monday, Wednesday, Friday 07.30–12.00"},
		{"sat-mon", "09:00", "10:00", "Senin, Sabtu–Minggu 09.00–10.00", "Monday, Saturday–Sunday 09.00–10.00"},
	} {
		h, err := ParseOfficeHours(c.days, c.open, c.close)
		if err != nil {
			t.Fatalf("%s: %v", c.days, err)
		}
		if got := h.Text("id"); got != c.id {
			t.Errorf("%s: Text(id) = %q, want %q", c.days, got, c.id)
		}
		if got := h.Text("en"); got != c.en {
			t.Errorf("%s: Text(en) = %q, want %q", c.days, got, c.en)
		}
	}
	for _, bad := range [][3]string{{"someday", "08:00", "16:00"}, {"mon-fri", "8am", "16:00"}, {"mon-fri", "16:00", "08:00"}} {
		if _, err := ParseOfficeHours(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("ParseOfficeHours%v accepted", bad)
		}
	}
}
