package jobs

import (
	"context"
	"time"

	"bpubot/models"
	"github.com/riverqueue/river"
)

// Staff is the staff service's work that jobs run (*staff.Service).
type Staff interface {
	// FanOut adds a sending broadcast's outbox rows, batch by batch, from where it was left.
	FanOut(ctx context.Context, id int64) (int64, error)
	// RunDue starts scheduled broadcasts whose time has come, fans out any sending one left
	// without a job, marks finished ones done, and times out unanswered handoff requests.
	RunDue(ctx context.Context) error
}

// FanOutArgs is the fan-out of one broadcast. Its effects are guarded by the outbox rows'
// dedupe keys and the broadcast's cursor, written together batch by batch: a job run twice
// (a process killed in the middle, a retry) goes on from the last batch committed and adds
// nothing twice.
type FanOutArgs struct {
	BroadcastID int64 `json:"broadcast_id"`
}

// Kind implements river.JobArgs.
func (FanOutArgs) Kind() string { return "broadcast_fanout" }

// InsertOpts keeps one fan-out of a broadcast waiting at a time.
func (FanOutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FanOutWorker runs broadcast fan-outs.
type FanOutWorker struct {
	river.WorkerDefaults[FanOutArgs]
	Staff Staff
}

// Work implements river.Worker.
func (w *FanOutWorker) Work(ctx context.Context, job *river.Job[FanOutArgs]) error {
	_, err := w.Staff.FanOut(ctx, job.Args.BroadcastID)
	return err
}

// Timeout lets a fan-out of a large segment run as long as it takes; it commits batch by batch.
func (w *FanOutWorker) Timeout(*river.Job[FanOutArgs]) time.Duration { return time.Hour }

// StaffDueArgs is the periodic sweep of the staff service's due work.
type StaffDueArgs struct{}

// Kind implements river.JobArgs.
func (StaffDueArgs) Kind() string { return "staff_due" }

// StaffDueWorker runs the sweep.
type StaffDueWorker struct {
	river.WorkerDefaults[StaffDueArgs]
	Staff Staff
}

// Work implements river.Worker.
func (w *StaffDueWorker) Work(ctx context.Context, _ *river.Job[StaffDueArgs]) error {
	return w.Staff.RunDue(ctx)
}

// staffDueEvery is how often the sweep runs: a scheduled broadcast starts at most this late,
// and a handoff time-out is at most this late.
const staffDueEvery = 30 * time.Second

// AddStaff registers the fan-out and the staff sweep (every 30 seconds, and at start).
func (j *Jobs) AddStaff(s Staff) {
	river.AddWorker(j.workers, &FanOutWorker{Staff: s})
	river.AddWorker(j.workers, &StaffDueWorker{Staff: s})
	j.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(staffDueEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			return StaffDueArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: staffDueEvery}}
		},
		&river.PeriodicJobOpts{ID: "staff_due", RunOnStart: true}))
}

// EnqueueFanOut inserts a broadcast's fan-out job in tx, to run at at (now when zero): the job
// exists if and only if the broadcast's confirmation commits.
func (j *Jobs) EnqueueFanOut(ctx context.Context, tx *models.Tx, broadcastID int64, at time.Time) error {
	opts := &river.InsertOpts{}
	if !at.IsZero() {
		opts.ScheduledAt = at
	}
	return j.InsertTx(ctx, tx, FanOutArgs{BroadcastID: broadcastID}, opts)
}
