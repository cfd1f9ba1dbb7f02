package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// scripted is a channel whose sends fail as told, per recipient, then succeed.
type scripted struct {
	mu    sync.Mutex
	fails map[string][]error
	sent  []bot.Outgoing
}

func (s *scripted) Name() string { return "test" }

func (s *scripted) Send(_ context.Context, msg bot.Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if errs := s.fails[msg.Recipient]; len(errs) > 0 {
		s.fails[msg.Recipient] = errs[1:]
		return errs[0]
	}
	s.sent = append(s.sent, msg)
	return nil
}

func enqueue(t *testing.T, db *models.DB, now time.Time, rcpt string, texts ...string) {
	t.Helper()
	var rows []models.Outbox
	for _, txt := range texts {
		key := txt // names the row in statuses: a delivered row's payload is redacted
		rows = append(rows, models.Outbox{Channel: "test", Recipient: rcpt, Payload: models.EncodeJSON(bot.Reply{Text: txt}),
			Status: models.OutboxPending, NextAttemptAt: now, CreatedAt: now, DedupeKey: &key})
	}
	if err := models.Enqueue(db, rows); err != nil {
		t.Fatal(err)
	}
}

func statuses(t *testing.T, db *models.DB) map[string]string {
	t.Helper()
	rows := modeltest.Rows[models.Outbox](t, db, "")
	out := map[string]string{}
	for _, r := range rows {
		if r.DedupeKey != nil {
			out[*r.DedupeKey] = r.Status
		}
	}
	return out
}

func drain(t *testing.T, d *bot.Dispatcher) {
	t.Helper()
	for {
		n, err := d.DrainOnce(context.Background(), "test")
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func TestDispatcherOutcomes(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		ch := &scripted{fails: map[string][]error{
			"flaky":   {errors.New("connection reset")},
			"blocked": {bot.ErrUnreachable},
			"bad":     {&bot.PermanentError{Err: errors.New("message too long")}},
			"slow":    {&bot.RetryAfterError{After: 30 * time.Second}},
		}}
		d := &bot.Dispatcher{DB: db, Clock: clock}
		d.Register(ch)
		now := clock.Now()
		enqueue(t, db, now, "ok", "ok-1", "ok-2")
		enqueue(t, db, now, "flaky", "flaky-1", "flaky-2")
		enqueue(t, db, now, "blocked", "blocked-1", "blocked-2")
		enqueue(t, db, now, "bad", "bad-1", "bad-2")
		enqueue(t, db, now, "slow", "slow-1")
		if err := models.TouchContact(db, "test", "blocked", nil, now); err != nil {
			t.Fatal(err)
		}
		drain(t, d)

		got := statuses(t, db)
		want := map[string]string{
			"ok-1": "sent", "ok-2": "sent",
			"flaky-1": "pending", "flaky-2": "pending", // the second waits behind the first, in order
			"blocked-1": "skipped", "blocked-2": "skipped",
			"bad-1": "failed", "bad-2": "sent",
			"slow-1": "pending",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: status %q, want %q", k, got[k], v)
			}
		}
		if contact := modeltest.One[models.ChannelContact](t, db, "channel = ? AND chat_id = ?", "test", "blocked"); !contact.Unreachable {
			t.Errorf("blocked contact not marked unreachable: %+v", contact)
		}

		// Time passes: the transient failure and the rate-limited message go, in order.
		clock.Advance(time.Minute)
		drain(t, d)
		got = statuses(t, db)
		for _, k := range []string{"flaky-1", "flaky-2", "slow-1"} {
			if got[k] != "sent" {
				t.Errorf("%s after the wait: %q, want sent", k, got[k])
			}
		}
		var order []string
		for _, m := range ch.sent {
			if m.Recipient == "flaky" {
				order = append(order, m.Reply.Text)
			}
		}
		if len(order) != 2 || order[0] != "flaky-1" {
			t.Errorf("flaky order %v, want flaky-1 then flaky-2", order)
		}
		slow := modeltest.One[models.Outbox](t, db, "recipient = ?", "slow")
		if slow.Attempts != 1 {
			t.Errorf("a rate-limited send used an attempt: attempts = %d, want 1", slow.Attempts)
		}
	})
}

// A message that keeps failing is tried for the whole retry window, however many attempts that
// takes (Telegram down for hours loses nothing), and marked failed, with the reason, after it.
func TestDispatcherRetriesForTheWindow(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		down := errors.New("502 bad gateway")
		always := make([]error, 100)
		for i := range always {
			always[i] = down
		}
		ch := &scripted{fails: map[string][]error{"r": always, "later": always[:12]}}
		d := &bot.Dispatcher{DB: db, Clock: clock, RetryFor: 3 * time.Hour}
		d.Register(ch)
		enqueue(t, db, clock.Now(), "r", "hello")
		enqueue(t, db, clock.Now(), "later", "back soon")
		for range 40 { // past the 3 hours, in 5-minute steps
			drain(t, d)
			clock.Advance(5 * time.Minute)
		}
		got := statuses(t, db)
		if got["back soon"] != "sent" {
			t.Errorf("a message whose channel came back after 12 failures: %q, want sent", got["back soon"])
		}
		row := modeltest.One[models.Outbox](t, db, "recipient = ?", "r")
		if row.Status != models.OutboxFailed || row.Attempts <= 8 || row.LastError == "" {
			t.Fatalf("row = %+v, want failed after the 3h window (more than 8 attempts) with the reason", row)
		}
	})
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 6; n++ {
		d := bot.Backoff(n)
		if d < prev/2 || d <= 0 {
			t.Fatalf("backoff(%d) = %s after %s", n, d, prev)
		}
		prev = d
	}
	if d := bot.Backoff(100); d > 6*time.Minute {
		t.Fatalf("backoff not capped: %s", d)
	}
}

func TestMatchChoice(t *testing.T) {
	choices := []bot.Choice{{Label: "1 bulan", Value: "1"}, {Label: "3 bulan", Value: "3"}, {Label: "6 bulan", Value: "6"}, {Label: "Lewati", Value: "lewati"}}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"3", "3", true},  // a value wins over a position
		{"2", "3", true},  // else the position
		{"2.", "3", true}, // "2." as people type it
		{" LEWATI ", "lewati", true},
		{"6 bulan", "6", true}, // the label
		{"9", "", false},
		{"", "", false},
		{"tiga", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, ok := bot.MatchChoice(choices, tt.in)
			if ok != tt.ok || c.Value != tt.want {
				t.Fatalf("MatchChoice(%q) = %q, %v; want %q, %v", tt.in, c.Value, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestMaskID(t *testing.T) {
	tests := map[string]string{
		"6281234567890@s.whatsapp.net": "6281******890@s.whatsapp.net",
		"123456789":                    "1234**789",
		"1234567":                      "1234567",
		"worker-1":                     "worker-1",
	}
	for in, want := range tests {
		if got := bot.MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

// A delivered message's text does not stay in the outbox: the worker has it.
func TestDeliveredPayloadIsRedacted(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		ch := &scripted{fails: map[string][]error{"blocked": {bot.ErrUnreachable}}}
		d := &bot.Dispatcher{DB: db, Clock: clock}
		d.Register(ch)
		enqueue(t, db, clock.Now(), "w", "Nama: Budi Santoso, HP +6281234567890")
		enqueue(t, db, clock.Now(), "blocked", "Nama: Siti, HP +6285712345678")
		drain(t, d)
		for _, r := range modeltest.Rows[models.Outbox](t, db, "") {
			if r.Status == models.OutboxPending || strings.Contains(r.Payload, "+62") {
				t.Errorf("row %s %q still holds the message", r.Status, r.Payload)
			}
		}
	})
}

// merging is a scripted channel that merges replies up to 80 characters.
type merging struct{ scripted }

func (m *merging) Limits() bot.Limits { return bot.Limits{MaxText: 80} }

// Consecutive replies to one inbound message go as one message when they fit; a row with
// choices ends a message; a row from another commit, a bulk row, or one that would not fit
// starts a new one. Every row is marked, whatever message carried it.
func TestRepliesAreMergedWhenTheyFit(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		ch := &merging{scripted{fails: map[string][]error{}}}
		d := &bot.Dispatcher{DB: db, Clock: clock}
		d.Register(ch)
		now := clock.Now()
		rows := func(rcpt string, at time.Time, prio int, replies ...bot.Reply) {
			var out []models.Outbox
			for _, r := range replies {
				out = append(out, models.Outbox{Channel: "test", Recipient: rcpt, Payload: models.EncodeJSON(r),
					Status: models.OutboxPending, NextAttemptAt: now, CreatedAt: at, Priority: prio})
			}
			if err := models.Enqueue(db, out); err != nil {
				t.Fatal(err)
			}
		}
		pick := bot.Reply{Text: "Pilih:", Choices: []bot.Choice{{Label: "Ya", Value: "ya"}}}
		rows("a", now, models.PriorityReply, bot.Reply{Text: "Halo!"}, pick, bot.Reply{Text: "Sesudah pilihan"})
		rows("b", now, models.PriorityReply, bot.Reply{Text: "Satu"}, bot.Reply{Text: "Dua"})
		rows("b", now.Add(time.Second), models.PriorityReply, bot.Reply{Text: "Lain pesan"})
		rows("c", now, models.PriorityReply, bot.Reply{Text: strings.Repeat("x", 50)}, bot.Reply{Text: strings.Repeat("y", 50)})
		rows("d", now, models.PriorityBulk, bot.Reply{Text: "Pengumuman"}, bot.Reply{Text: "Lagi"})
		drain(t, d)
		got := map[string][]string{}
		for _, m := range ch.sent {
			got[m.Recipient] = append(got[m.Recipient], m.Reply.Text)
		}
		want := map[string][]string{
			"a": {"Halo!\n\nPilih:", "Sesudah pilihan"},
			"b": {"Satu\n\nDua", "Lain pesan"},
			"c": {strings.Repeat("x", 50), strings.Repeat("y", 50)},
			"d": {"Pengumuman", "Lagi"},
		}
		for rcpt, w := range want {
			if fmt.Sprint(got[rcpt]) != fmt.Sprint(w) {
				t.Errorf("%s got %q, want %q", rcpt, got[rcpt], w)
			}
		}
		for _, m := range ch.sent {
			if m.Recipient == "a" && strings.HasPrefix(m.Reply.Text, "Halo") && len(m.Reply.Choices) != 1 {
				t.Errorf("the merged message lost the choices of its last reply: %+v", m.Reply)
			}
		}
		unsent := modeltest.Count[models.Outbox](t, db, "status <> ?", models.OutboxSent)
		if unsent != 0 {
			t.Errorf("%d rows not marked sent", unsent)
		}
	})
}

// limiterUser is a channel that sends something besides outbox rows.
type limiterUser struct {
	scripted
	got *bot.Limiter
}

func (l *limiterUser) Limits() bot.Limits          { return bot.Limits{PerSecond: 7} }
func (l *limiterUser) UseLimiter(lim *bot.Limiter) { l.got = lim }

// A channel that makes calls of its own (Telegram's edit of a pressed message) is given the
// limiter its messages go through, so those calls count against the same limits.
func TestRegisterSharesTheLimiter(t *testing.T) {
	ch := &limiterUser{}
	d := &bot.Dispatcher{}
	d.Register(ch)
	if ch.got == nil || ch.got.Limits().PerSecond != 7 {
		t.Fatalf("limiter given: %+v", ch.got)
	}
}
