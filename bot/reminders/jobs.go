package reminders

import (
	"context"
	"time"

	"bpubot/bot/jobs"
	"bpubot/flows/coverage"
	"bpubot/flows/reminder"
	"bpubot/models"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// PlanArgs is the planning of reminders: a periodic job, run by the elected leader only.
type PlanArgs struct{}

// Kind implements river.JobArgs.
func (PlanArgs) Kind() string { return "remind_plan" }

// SendArgs is a batch of workers who may be due a reminder, whose member ids all fall in one
// bucket of BucketSize. A bucket has at most one send job waiting or running: a planner that
// runs again before its last jobs are done adds none for the same workers.
type SendArgs struct {
	Bucket  int64   `json:"bucket" river:"unique"`
	Members []int64 `json:"members"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "remind_send" }

// sendOpts makes send jobs unique by bucket within one planning period while one waits or
// runs: a plan that runs again before its jobs are done adds none for the same workers, and a
// job left running by a process that died holds its bucket up for one period at most.
func sendOpts(period time.Duration, at time.Time) *river.InsertOpts {
	return &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: period,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// BucketSize is how many member ids one send job covers.
const BucketSize = 500

// keepSent is how long reminders_sent rows are kept: long after their months are settled.
const keepSent = 400 * 24 * time.Hour

// Batches makes the send jobs for members (ascending), one per bucket of member ids, to run at
// at (zero: now), unique within period.
func Batches(members []int64, at time.Time, period time.Duration) []river.InsertManyParams {
	var out []river.InsertManyParams
	for i := 0; i < len(members); {
		b := members[i] / BucketSize
		args := SendArgs{Bucket: b}
		for ; i < len(members) && members[i]/BucketSize == b; i++ {
			args.Members = append(args.Members, members[i])
		}
		out = append(out, river.InsertManyParams{Args: args, InsertOpts: sendOpts(period, at)})
	}
	return out
}

// Register adds the reminder workers to j and plans every every (and at start): `serve`
// calls it before starting j.
func (s *Service) Register(j *jobs.Jobs, every time.Duration) {
	river.AddWorker(j.Workers(), &planWorker{s: s, jobs: j, every: every})
	river.AddWorker(j.Workers(), &sendWorker{s: s})
	j.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) {
			return PlanArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		},
		&river.PeriodicJobOpts{ID: "remind_plan", RunOnStart: true}))
}

type planWorker struct {
	river.WorkerDefaults[PlanArgs]
	s     *Service
	jobs  *jobs.Jobs
	every time.Duration
}

// Work plans: finds who may be due now and queues their send jobs, and forgets reminders
// long past.
func (w *planWorker) Work(ctx context.Context, _ *river.Job[PlanArgs]) error {
	now := w.s.Now()
	due, err := w.s.Plan(ctx, now)
	if err != nil {
		return err
	}
	queued, err := w.jobs.InsertMany(ctx, Batches(due, time.Time{}, w.every))
	if err != nil {
		return err
	}
	if len(due) > 0 {
		w.s.log().Info("reminders planned", "workers", len(due), "jobs", queued)
	}
	_, err = models.PruneReminders(w.s.DB.WithContext(ctx), reminder.Day(now.Add(-keepSent), coverage.WIB))
	return err
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

// Work sends the reminders of one batch that are due now.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	n, err := w.s.Send(ctx, job.Args.Members, w.s.Now())
	if n > 0 {
		w.s.log().Info("reminders queued", "reminders", n, "of", len(job.Args.Members))
	}
	return err
}
