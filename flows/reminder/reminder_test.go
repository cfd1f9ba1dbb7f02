package reminder_test

import (
	"testing"
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/reminder"
	"bpubot/flows/tariff"
)

func wib(y int, m time.Month, d, hour, min int) time.Time {
	return time.Date(y, m, d, hour, min, 0, 0, coverage.WIB)
}

// Every moment is in one window of one month, cut at midnight in the worker's zone around the
// month's due date (moved by weekends and holidays).
func TestSlots(t *testing.T) {
	s, cal := reminder.DefaultSchedule(), coverage.DefaultCalendar()
	tests := []struct {
		now        time.Time
		loc        *time.Location
		month      string
		window     string
		start, end string
	}{
		// June 2026: due Monday the 15th.
		{wib(2026, 6, 11, 23, 59), coverage.WIB, "2026-05", "after", "2026-05-21", "2026-06-12"},
		{wib(2026, 6, 12, 0, 0), coverage.WIB, "2026-06", "before", "2026-06-12", "2026-06-14"},
		{wib(2026, 6, 14, 0, 0), coverage.WIB, "2026-06", "eve", "2026-06-14", "2026-06-18"},
		{wib(2026, 6, 18, 0, 0), coverage.WIB, "2026-06", "after", "2026-06-18", "2026-07-12"},
		// 23:30 WIB on the 11th is the 12th already in Papua.
		{wib(2026, 6, 11, 23, 30), coverage.WIT, "2026-06", "before", "2026-06-12", "2026-06-14"},
		// August 2026: the 15th is a Saturday and the 17th Independence Day: due the 18th.
		{wib(2026, 8, 14, 12, 0), coverage.WIB, "2026-07", "after", "2026-07-18", "2026-08-15"},
		{wib(2026, 8, 15, 12, 0), coverage.WIB, "2026-08", "before", "2026-08-15", "2026-08-17"},
		{wib(2026, 8, 17, 12, 0), coverage.WIB, "2026-08", "eve", "2026-08-17", "2026-08-21"},
		// The turn of the year.
		{wib(2027, 1, 3, 12, 0), coverage.WIB, "2026-12", "after", "2026-12-18", "2027-01-12"},
	}
	for _, tt := range tests {
		sl := s.SlotAt(cal, tt.now, tt.loc)
		got := [4]string{sl.Month.String(), sl.Window.String(), sl.Start.Format(time.DateOnly), sl.End.Format(time.DateOnly)}
		if want := [4]string{tt.month, tt.window, tt.start, tt.end}; got != want {
			t.Errorf("%s in %s: %v, want %v", tt.now.Format(time.DateTime), tt.loc, got, want)
		}
	}
}

// Reminders go out from 08:00 to 20:00 in the worker's own zone; "ingatkan besok" is for
// 08:00 the next day.
func TestAllowedHours(t *testing.T) {
	s := reminder.DefaultSchedule()
	tests := []struct {
		now  time.Time
		loc  *time.Location
		want bool
	}{
		{wib(2026, 6, 12, 7, 59), coverage.WIB, false},
		{wib(2026, 6, 12, 8, 0), coverage.WIB, true},
		{wib(2026, 6, 12, 19, 59), coverage.WIB, true},
		{wib(2026, 6, 12, 20, 0), coverage.WIB, false},
		{wib(2026, 6, 12, 6, 0), coverage.WIT, true},    // 08:00 WIT
		{wib(2026, 6, 12, 18, 30), coverage.WIT, false}, // 20:30 WIT
		{wib(2026, 6, 12, 7, 0), coverage.WITA, true},   // 08:00 WITA
	}
	for _, tt := range tests {
		if got := s.Allowed(tt.now, tt.loc); got != tt.want {
			t.Errorf("%s in %s: allowed %v, want %v", tt.now.Format(time.DateTime), tt.loc, got, tt.want)
		}
	}
	if got, want := s.NextDay(wib(2026, 6, 12, 23, 30), coverage.WIT), time.Date(2026, 6, 14, 8, 0, 0, 0, coverage.WIT); !got.Equal(want) {
		t.Errorf("next day from 01:30 WIT on the 13th: %s, want %s", got, want)
	}
}

func ym(y int, m time.Month) tariff.YearMonth { return tariff.NewYearMonth(y, m) }

// What a worker is due, from their coverage, in each window of June 2026 (due the 15th).
func TestDecide(t *testing.T) {
	s, rules := reminder.DefaultSchedule(), coverage.Default()
	e := coverage.Enrollment{Participant: tariff.Participant{Income: 1_000_000, Occupation: "pedagang", Package: tariff.PackageJKKJKM},
		Start: ym(2026, time.January)}
	paid := func(last time.Month) []coverage.Payment {
		return []coverage.Payment{{First: ym(2026, time.January), Last: ym(2026, last), PaidAt: wib(2026, 1, 5, 10, 0), Verified: true}}
	}
	reported := func(m time.Month, at time.Time) coverage.Payment {
		return coverage.Payment{First: ym(2026, m), Last: ym(2026, m), PaidAt: at}
	}
	tests := []struct {
		name     string
		e        coverage.Enrollment
		payments []coverage.Payment
		sent     []reminder.Sent
		snooze   *reminder.Snoozed
		now      time.Time
		want     reminder.Stage // "" for none
		asks     int
	}{
		{"paid up to May, three days before", e, paid(time.May), nil, nil, wib(2026, 6, 12, 9, 0), reminder.Before, 1},
		{"quiet hours", e, paid(time.May), nil, nil, wib(2026, 6, 12, 7, 0), "", 0},
		{"paid June already", e, paid(time.June), nil, nil, wib(2026, 6, 12, 9, 0), "", 0},
		{"sent in this window already", e, paid(time.May), []reminder.Sent{{ym(2026, 6), reminder.Before, 20260612}}, nil,
			wib(2026, 6, 13, 9, 0), "", 0},
		{"the day before", e, paid(time.May), []reminder.Sent{{ym(2026, 6), reminder.Before, 20260612}}, nil,
			wib(2026, 6, 14, 9, 0), reminder.Eve, 1},
		{"the day before missed: on the due date", e, paid(time.May), nil, nil, wib(2026, 6, 15, 9, 0), reminder.Eve, 1},
		{"three days late", e, paid(time.May), nil, nil, wib(2026, 6, 18, 9, 0), reminder.Late, 1},
		{"reported paid five days ago", e, append(paid(time.May), reported(time.June, wib(2026, 6, 13, 9, 0))), nil, nil,
			wib(2026, 6, 18, 9, 0), "", 0},
		{"reported paid eight days ago, not confirmed", e, append(paid(time.May), reported(time.June, wib(2026, 6, 10, 9, 0))), nil, nil,
			wib(2026, 6, 18, 9, 0), reminder.Late, 1},
		{"two months behind: once a month", e, paid(time.April), nil, nil, wib(2026, 6, 12, 9, 0), reminder.Arrears, 2},
		{"two months behind: not the day before", e, paid(time.April), []reminder.Sent{{ym(2026, 6), reminder.Arrears, 20260612}}, nil,
			wib(2026, 6, 14, 9, 0), "", 0},
		{"three months behind: last notice", e, paid(time.February), nil, nil, wib(2026, 6, 12, 9, 0), reminder.LastNotice, 4},
		{"lapsed at midnight", e, paid(time.February), []reminder.Sent{{ym(2026, 6), reminder.LastNotice, 20260612}}, nil,
			wib(2026, 6, 16, 8, 0), reminder.Lapsed, 1},
		{"lapsed long ago", e, paid(time.January), nil, nil, wib(2026, 6, 12, 9, 0), "", 0},
		{"sponsored", coverage.Enrollment{Participant: e.Participant, Start: e.Start, Sponsored: true}, paid(time.May), nil, nil,
			wib(2026, 6, 12, 9, 0), "", 0},
		{"never paid, enrolled this month", coverage.Enrollment{Participant: e.Participant, Start: ym(2026, time.June)}, nil, nil, nil,
			wib(2026, 6, 12, 9, 0), reminder.Before, 1},
		{"never paid, enrolled long ago", e, nil, nil, nil, wib(2026, 6, 12, 9, 0), "", 0},
		{"asked again for today", e, paid(time.May), []reminder.Sent{{ym(2026, 6), reminder.Before, 20260612}},
			&reminder.Snoozed{Month: ym(2026, 6), DueAt: wib(2026, 6, 13, 8, 0)}, wib(2026, 6, 13, 8, 0), reminder.Snooze, 1},
		{"asked again, paid meanwhile", e, paid(time.June), []reminder.Sent{{ym(2026, 6), reminder.Before, 20260612}},
			&reminder.Snoozed{Month: ym(2026, 6), DueAt: wib(2026, 6, 13, 8, 0)}, wib(2026, 6, 13, 8, 0), "", 0},
		{"one a day", e, paid(time.May), []reminder.Sent{{ym(2026, 6), reminder.Snooze, 20260614}}, nil, wib(2026, 6, 14, 9, 0), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := rules.Compute(tt.e, tt.payments, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := s.Decide(rules.Calendar, reminder.Worker{Coverage: c, Start: tt.e.Start, Sent: tt.sent, Snooze: tt.snooze}, tt.now)
			switch {
			case tt.want == "" && ok:
				t.Errorf("got %s %s, want nothing", r.Stage, r.Month)
			case tt.want != "" && (!ok || r.Stage != tt.want || len(r.Ask) != tt.asks):
				t.Errorf("got %v %s asking %d months, want %s asking %d", ok, r.Stage, len(r.Ask), tt.want, tt.asks)
			}
		})
	}
}

func TestScheduleValidate(t *testing.T) {
	if err := reminder.DefaultSchedule().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := reminder.DefaultSchedule()
	bad.BeforeDays, bad.SendFrom, bad.SendUntil = 1, 20*time.Hour, 8*time.Hour
	if err := bad.Validate(); err == nil {
		t.Fatal("a schedule with no hours and the first reminder on the day before passed")
	}
}
