package reminders_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"bpubot/bot/jobs"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// riverRunner is a runner whose reminders are planned and sent by River, as in `serve`.
type riverRunner struct {
	*runner
	jobs *jobs.Jobs
}

// startRiver starts River on r: the planner every every, on whichever process is the leader.
func startRiver(t *testing.T, r *runner, every time.Duration) *riverRunner {
	t.Helper()
	j := jobs.New(r.db, jobs.Config{PollInterval: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	r.svc.Register(j, every)
	if err := j.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	rr := &riverRunner{runner: r, jobs: j}
	t.Cleanup(func() { rr.stop() })
	return rr
}

func (r *riverRunner) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = r.jobs.Stop(ctx)
}

// Reminders through River on two processes sharing one PostgreSQL database, as two `bpubot
// serve` would run: the elected leader plans (every second of real time, on the test's clock),
// both work the send jobs. It takes a minute of real time: -short skips it. Thirty workers in the three zones are due three reminders each
// around the 15th of June; one process dies in the middle of writing one (its connection cut
// inside the transaction, as when it is killed with SIGKILL) while the other is stopped, and
// the other comes back as a new process. Every reminder arrives once, at 08:00 local time.
func TestRiverTwoProcessesOneKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute of real time")
	}
	cfg := modeltest.Config(t, models.Postgres)
	clock := flowtest.NewClock(wib(2026, 6, 11, 0))
	dbA, dbB := modeltest.MustOpenConfig(t, cfg), modeltest.MustOpenConfig(t, cfg)
	if _, err := jobs.Migrate(context.Background(), dbA); err != nil {
		t.Fatal(err)
	}
	provinces := []string{"32", "73", "91"} // Jawa Barat (WIB), Sulawesi Selatan (WITA), Papua (WIT)
	for i := range 30 {
		m, e := enrolled(t, dbA, fmt.Sprintf("%s010112039%05d", provinces[i%3], i+1), provinces[i%3], fmt.Sprint("tg-", i), wib(2026, 1, 5, 10))
		pay(t, dbA, m, e, ym(2026, time.January), ym(2026, time.May), wib(2026, 5, 1, 10))
	}
	const every = time.Second // River's shortest unique period
	a, b := startRiver(t, newRunner(t, dbA, clock), every), startRiver(t, newRunner(t, dbB, clock), every)

	var steps []time.Time
	for _, d := range []int{11, 12, 14, 16, 18} { // before the first window; its first day; the day before; due + 1; late
		for _, h := range []int{5, 6, 7, 8, 20} { // 07:00 WIT; 08:00 WIT, WITA, WIB; night
			steps = append(steps, wib(2026, 6, d, h))
		}
	}
	kill := wib(2026, 6, 14, 8) // the day before, at 08:00 WIB
	var phones []*phone         // of the processes that delivered, a before and after its restart
	for _, now := range steps {
		clock.Advance(now.Sub(clock.Now()))
		if now.Equal(kill) {
			// a stops (and hands leadership over); b plans, and dies writing its first reminder.
			a.stop()
			d := &dying{Flows: b.svc.Flows}
			b.svc.Flows = d
			waitFor(t, "b to die writing a reminder", func() bool { return d.killed })
			b.stop()
			_ = models.Close(b.db)
			phones = append(phones, a.phone)
			a = startRiver(t, newRunner(t, modeltest.MustOpenConfig(t, cfg), clock), every) // restarted
		}
		since := time.Now()
		waitFor(t, "a plan and its sends at "+now.Format(time.DateTime), func() bool { return planned(t, dbA, since) })
		a.deliver(t)
	}

	rows := modeltest.Rows[models.ReminderSent](t, dbA, "")
	if len(rows) != 90 {
		t.Errorf("%d reminders written, want 90 (3 for each of 30 workers)", len(rows))
	}
	stages := map[string]int{}
	for _, r := range rows {
		stages[r.Stage]++
	}
	if stages["before"] != 30 || stages["eve"] != 30 || stages["late"] != 30 {
		t.Errorf("stages %v, want 30 before, 30 eve, 30 late", stages)
	}
	outbox := modeltest.Rows[models.Outbox](t, dbA, "priority = ?", models.PriorityBulk)
	if len(outbox) != 90 {
		t.Errorf("%d reminder messages, want 90", len(outbox))
	}
	got := map[string]int{}
	for _, p := range append(phones, a.phone) {
		for _, m := range p.messages() {
			got[m.Chat]++
		}
	}
	for i := range 30 {
		if n := got[fmt.Sprint("tg-", i)]; n != 3 {
			t.Errorf("worker %d got %d reminders, want 3", i, n)
		}
	}
	for _, o := range outbox {
		var member int64
		if _, err := fmt.Sscanf(*o.DedupeKey, "reminder:%d:", &member); err != nil {
			t.Fatal(err)
		}
		loc := coverage.Zone(provinces[(member-1)%3])
		if h := o.CreatedAt.In(loc).Hour(); h != 8 {
			t.Errorf("%s written at %s local time, want 08:00", *o.DedupeKey, o.CreatedAt.In(loc).Format(time.Kitchen))
		}
	}
}

// planned reports whether a plan queued after since has run, and no send job waits or runs.
func planned(t *testing.T, db *models.DB, since time.Time) bool {
	t.Helper()
	plans := modeltest.Scan[int64](t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'remind_plan' AND state = 'completed' AND created_at > ?`, since)
	sends := modeltest.Scan[int64](t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'remind_send'
		AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`)
	return plans > 0 && sends == 0
}

// waitFor polls cond until it holds, for up to a minute of real time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
