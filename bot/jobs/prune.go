package jobs

import (
	"context"
	"log/slog"
	"time"

	"bpubot/models"

	"github.com/riverqueue/river"
)

// PruneArgs is the hourly pruning of sent messages and records of handled inbound messages,
// so the tables the engine and dispatcher touch on every message stay small.
type PruneArgs struct{}

// Kind implements river.JobArgs.
func (PruneArgs) Kind() string { return "prune" }

// InsertOpts keeps one prune job waiting at a time, however many processes schedule it.
func (PruneArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// PruneWorker deletes sent messages and inbound records older than Retention.
type PruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	DB        *models.DB
	Retention time.Duration
	Log       *slog.Logger
	Now       func() time.Time
}

// Work implements river.Worker.
func (w *PruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	n, err := models.Prune(w.DB.WithContext(ctx), now().Add(-w.Retention))
	if err != nil {
		return err
	}
	if n > 0 && w.Log != nil {
		w.Log.Info("pruned old messages", "rows", n)
	}
	return nil
}

// AddPrune registers the pruning worker and schedules it every hour, and at start.
func (j *Jobs) AddPrune(w *PruneWorker) {
	river.AddWorker(j.workers, w)
	j.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PruneArgs{}, nil },
		&river.PeriodicJobOpts{ID: "prune", RunOnStart: true}))
}
