// Package jobs runs bpubot's scheduled and fan-out work (reminder planning, broadcast fan-out,
// pruning) on River (github.com/riverqueue/river), in the bot's own database: riverdatabasesql
// on PostgreSQL, riversqlite on SQLite. Any number of `bpubot serve` processes may run on one
// PostgreSQL database: River elects a leader among them, and periodic jobs are scheduled by the
// leader only; every process works jobs.
//
// Jobs write outbox rows; the dispatcher does all the sending. A job may run more than once (a
// process dies in the middle, River retries it), so every effect that must happen once is
// guarded by a unique key of ours written in the same transaction as the rows it guards (an
// outbox dedupe key, say), never by the job engine.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"bpubot/models"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Config tunes the job runner.
type Config struct {
	// Workers is how many jobs run at once in this process; default 10.
	Workers int
	// PollInterval is how often new jobs are looked for (neither driver here listens for
	// notifications); default 1s.
	PollInterval time.Duration
	Logger       *slog.Logger
}

// Jobs is the job runner of one process. Register workers (Workers) and periodic jobs
// (AddPeriodic) first; the River client is built at the first Start, InsertTx or Client, and
// what is registered after that is not seen. A process that only inserts jobs (a CLI command)
// never calls Start.
type Jobs struct {
	db       *models.DB
	cfg      Config
	workers  *river.Workers
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx]
	started  bool
}

// New makes the runner over the bot's database.
func New(db *models.DB, cfg Config) *Jobs {
	if cfg.Workers <= 0 {
		cfg.Workers = 10
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Jobs{db: db, cfg: cfg, workers: river.NewWorkers()}
}

// Workers is where workers are registered, with river.AddWorker.
func (j *Jobs) Workers() *river.Workers { return j.workers }

// AddPeriodic adds a periodic job. River's scheduler keeps its state in memory, so a periodic
// job should have RunOnStart set: a leader elected after a restart runs it at once rather than
// a whole interval later.
func (j *Jobs) AddPeriodic(p *river.PeriodicJob) { j.periodic = append(j.periodic, p) }

// Client is the River client, built on first use.
func (j *Jobs) Client() (*river.Client[*sql.Tx], error) {
	if j.client != nil {
		return j.client, nil
	}
	client, err := river.NewClient(driver(j.db), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: j.cfg.Workers}},
		Workers:           j.workers,
		PeriodicJobs:      j.periodic,
		FetchPollInterval: j.cfg.PollInterval,
		Logger:            slog.New(quieter{j.cfg.Logger.Handler()}).With("component", "jobs"),
		JobTimeout:        10 * time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	j.client = client
	return client, nil
}

// Start starts working jobs until Stop (or ctx ends).
func (j *Jobs) Start(ctx context.Context) error {
	client, err := j.Client()
	if err != nil {
		return err
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	j.started = true
	return nil
}

// Stop stops taking jobs and waits for those running to end, or for ctx.
func (j *Jobs) Stop(ctx context.Context) error {
	if !j.started {
		return nil
	}
	j.started = false
	return j.client.Stop(ctx)
}

// InsertTx inserts a job inside tx, a transaction on the bot's database (db.Transaction, not
// a message's pipelined transaction): the job exists if and only if tx commits.
func (j *Jobs) InsertTx(ctx context.Context, tx *models.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	client, err := j.Client()
	if err != nil {
		return err
	}
	sqlTx, ok := models.SQLTx(tx)
	if !ok {
		return errors.New("jobs: InsertTx needs a database/sql transaction (db.Transaction)")
	}
	_, err = client.InsertTx(ctx, sqlTx, args, opts)
	return err
}

// Migrate applies River's own migrations, under the same lock as bpubot's, so processes
// starting at once do not race. It is run with bpubot's migrations, at every start and by
// `bpubot migrate`.
func Migrate(ctx context.Context, db *models.DB) ([]string, error) {
	var applied []string
	err := models.WithLock(ctx, db, models.LockMigrations, func() error {
		m, err := rivermigrate.New(driver(db), nil)
		if err != nil {
			return err
		}
		res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return err
		}
		for _, v := range res.Versions {
			applied = append(applied, fmt.Sprintf("river %03d_%s", v.Version, v.Name))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	return applied, nil
}

// driver is River's driver for the bot's database.
func driver(db *models.DB) riverdriver.Driver[*sql.Tx] {
	if models.IsPostgres(db) {
		return riverdatabasesql.New(models.SQLDB(db))
	}
	return riversqlite.New(models.SQLDB(db))
}

// quieter passes River's warnings and errors on, and its info lines (every few seconds, the
// producer's counts) only when debug logging is on.
type quieter struct{ slog.Handler }

func (q quieter) Enabled(ctx context.Context, l slog.Level) bool {
	if l < slog.LevelWarn && !q.Handler.Enabled(ctx, slog.LevelDebug) {
		return false
	}
	return q.Handler.Enabled(ctx, l)
}

func (q quieter) WithAttrs(a []slog.Attr) slog.Handler { return quieter{q.Handler.WithAttrs(a)} }
func (q quieter) WithGroup(n string) slog.Handler      { return quieter{q.Handler.WithGroup(n)} }
