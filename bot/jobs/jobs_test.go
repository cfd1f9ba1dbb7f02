package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"bpubot/bot/jobs"
	"bpubot/models"
	"bpubot/models/modeltest"

	"github.com/riverqueue/river"
)

func migrated(t *testing.T, db *models.DB) {
	t.Helper()
	if _, err := jobs.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	// Again: nothing left to apply.
	if again, err := jobs.Migrate(context.Background(), db); err != nil || len(again) != 0 {
		t.Fatalf("second run applied %v, %v", again, err)
	}
}

func start(t *testing.T, j *jobs.Jobs) {
	t.Helper()
	if err := j.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := j.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

// The hourly pruning runs as soon as the runner starts, and removes old sent messages only.
func TestPruneRunsAtStart(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		migrated(t, db)
		now := time.Now().UTC()
		old, recent := now.Add(-40*24*time.Hour), now.Add(-time.Hour)
		rows := []models.Outbox{
			{Channel: "c", Recipient: "a", Payload: "{}", Status: models.OutboxSent, SentAt: &old, NextAttemptAt: old, CreatedAt: old},
			{Channel: "c", Recipient: "a", Payload: "{}", Status: models.OutboxSent, SentAt: &recent, NextAttemptAt: recent, CreatedAt: recent},
			{Channel: "c", Recipient: "a", Payload: "{}", Status: models.OutboxPending, NextAttemptAt: old, CreatedAt: old},
		}
		if err := models.Enqueue(db, rows); err != nil {
			t.Fatal(err)
		}
		j := jobs.New(db, jobs.Config{PollInterval: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
		j.AddPrune(&jobs.PruneWorker{DB: db, Retention: 30 * 24 * time.Hour})
		start(t, j)
		modeltest.Eventually(t, "the old sent row to be pruned", func() bool {
			n := modeltest.Count[models.Outbox](t, db, "")
			return n == 2
		})
		pending := modeltest.Count[models.Outbox](t, db, "status = ?", models.OutboxPending)
		if pending != 1 {
			t.Errorf("an unsent row was pruned")
		}
	})
}

type countArgs struct{ N int }

func (countArgs) Kind() string { return "count" }

type countWorker struct {
	river.WorkerDefaults[countArgs]
	done *atomic.Int64
}

func (w *countWorker) Work(_ context.Context, j *river.Job[countArgs]) error {
	w.done.Add(int64(j.Args.N))
	return nil
}

// A job inserted in a transaction exists only if the transaction commits.
func TestInsertTxFollowsTheTransaction(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		migrated(t, db)
		var done atomic.Int64
		j := jobs.New(db, jobs.Config{PollInterval: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
		river.AddWorker(j.Workers(), &countWorker{done: &done})
		start(t, j)
		rollback := errors.New("roll back")
		err := db.Transaction(func(tx *models.Tx) error {
			if err := j.InsertTx(context.Background(), tx, countArgs{N: 100}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if err := db.Transaction(func(tx *models.Tx) error {
			return j.InsertTx(context.Background(), tx, countArgs{N: 1}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		modeltest.Eventually(t, "the committed job to run", func() bool { return done.Load() >= 1 })
		// The rolled-back job left no row, in whatever state: it can never run.
		if n := modeltest.Scan[int64](t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'count'`); n != 1 {
			t.Fatalf("%d count jobs stored, want only the committed one", n)
		}
		if got := done.Load(); got != 1 {
			t.Fatalf("worked %d, want only the committed job's 1", got)
		}
	})
}
