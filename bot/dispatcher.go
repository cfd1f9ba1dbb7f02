package bot

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"bpubot/models"

	"gorm.io/gorm"
)

// Dispatcher sends outbox rows through their channels, under each channel's limits, and marks
// them sent, retried with backoff, failed, or skipped for an unreachable recipient.
type Dispatcher struct {
	DB          *gorm.DB
	Clock       Clock
	Log         *slog.Logger
	Metrics     *Metrics
	MaxAttempts int           // then a row is marked failed; default 8
	BatchSize   int           // rows claimed at a time; default 200
	Poll        time.Duration // how often to look for due rows without a wake-up; default 1s
	Lease       time.Duration // how long a claimed row is ours; default 1m
	Workers     int           // chats sent to at once per channel; default 32

	mu       sync.Mutex
	channels map[string]*channelState
	wake     map[string]chan struct{}
}

type channelState struct {
	ch      Channel
	limiter *Limiter
}

// Register adds a channel to dispatch for.
func (d *Dispatcher) Register(ch Channel) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.channels == nil {
		d.channels = map[string]*channelState{}
		d.wake = map[string]chan struct{}{}
	}
	var lim Limits
	if l, ok := ch.(Limited); ok {
		lim = l.Limits()
	}
	d.channels[ch.Name()] = &channelState{ch: ch, limiter: NewLimiter(lim)}
	d.wake[ch.Name()] = make(chan struct{}, 1)
}

// Notify wakes the loop of a channel: new rows are waiting.
func (d *Dispatcher) Notify(channel string) {
	d.mu.Lock()
	w := d.wake[channel]
	d.mu.Unlock()
	if w != nil {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// Limiter returns the limiter of a registered channel, for adapters that learn of limits from
// the platform (a global retry_after).
func (d *Dispatcher) Limiter(channel string) *Limiter {
	d.mu.Lock()
	defer d.mu.Unlock()
	if st := d.channels[channel]; st != nil {
		return st.limiter
	}
	return nil
}

// Run sends until ctx ends, one loop per registered channel. Rows already claimed when ctx
// ends are finished (sent or put back) before Run returns.
func (d *Dispatcher) Run(ctx context.Context) {
	d.mu.Lock()
	names := make([]string, 0, len(d.channels))
	for name := range d.channels {
		names = append(names, name)
	}
	d.mu.Unlock()
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.loop(ctx, name)
		}()
	}
	wg.Wait()
}

func (d *Dispatcher) loop(ctx context.Context, channel string) {
	d.mu.Lock()
	wake := d.wake[channel]
	d.mu.Unlock()
	poll := d.Poll
	if poll <= 0 {
		poll = time.Second
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-timer.C:
		}
		for ctx.Err() == nil {
			n, err := d.DrainOnce(context.WithoutCancel(ctx), channel)
			if err != nil {
				d.log().Error("dispatch failed", "channel", channel, "err", err)
				break
			}
			if n == 0 {
				break
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(poll)
	}
}

// DrainOnce claims one batch of due rows of a channel and sends them, returning how many it
// claimed. Rows to one recipient go in order; different recipients go in parallel.
func (d *Dispatcher) DrainOnce(ctx context.Context, channel string) (int, error) {
	d.mu.Lock()
	st := d.channels[channel]
	d.mu.Unlock()
	if st == nil {
		return 0, errors.New("dispatch: channel not registered: " + channel)
	}
	rows, err := models.ClaimOutbox(d.DB.WithContext(ctx), channel, d.now(), d.lease(), d.batchSize())
	if err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	byRecipient := map[string][]models.Outbox{}
	var order []string
	for _, r := range rows {
		if _, ok := byRecipient[r.Recipient]; !ok {
			order = append(order, r.Recipient)
		}
		byRecipient[r.Recipient] = append(byRecipient[r.Recipient], r)
	}
	workers := d.Workers
	if workers <= 0 {
		workers = 32
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, rcpt := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(rows []models.Outbox) {
			defer func() { <-sem; wg.Done() }()
			for i, row := range rows {
				if !d.sendOne(ctx, st, row) {
					// Keep this recipient's order: what follows waits for the failed row.
					for _, later := range rows[i+1:] {
						_ = models.MarkRetry(d.DB, later.ID, d.now().Add(time.Second), "waiting for an earlier message")
					}
					return
				}
			}
		}(byRecipient[rcpt])
	}
	wg.Wait()
	return len(rows), nil
}

// sendOne sends a row and records the outcome; it reports whether the row was delivered.
func (d *Dispatcher) sendOne(ctx context.Context, st *channelState, row models.Outbox) bool {
	var reply Reply
	if err := models.DecodeJSON(row.Payload, &reply); err != nil {
		_ = models.MarkFailed(d.DB, row.ID, "bad payload: "+err.Error())
		return false
	}
	bulk := row.Priority >= models.PriorityBulk
	if err := st.limiter.Wait(ctx, row.Recipient, bulk); err != nil {
		_ = models.MarkRetry(d.DB, row.ID, d.now(), "shutting down")
		return false
	}
	name := st.ch.Name()
	err := st.ch.Send(ctx, Outgoing{OutboxID: row.ID, Recipient: row.Recipient, Reply: reply, Bulk: bulk})
	now := d.now()
	var retry *RetryAfterError
	var perm *PermanentError
	switch {
	case err == nil:
		if merr := models.MarkSent(d.DB, row.ID, now); merr != nil {
			d.log().Error("mark sent failed", "channel", name, "outbox_id", row.ID, "err", merr)
		}
		d.Metrics.sent(name)
		return true
	case errors.As(err, &retry):
		d.Metrics.sendError(name, "rate_limited")
		d.log().Warn("rate limited", "channel", name, "recipient", MaskID(row.Recipient), "retry_after", retry.After, "global", retry.Global)
		// A platform's request to wait is not a failure of the message: it does not use up an attempt.
		_ = d.DB.Model(&models.Outbox{}).Where("id = ?", row.ID).Update("attempts", gorm.Expr("attempts - 1")).Error
		_ = models.MarkRetry(d.DB, row.ID, now.Add(retry.After), err.Error())
		if retry.Global {
			st.limiter.Pause(row.Recipient, retry.After, true)
		} else {
			_ = models.HoldRecipient(d.DB, name, row.Recipient, now.Add(retry.After))
		}
		return false
	case errors.Is(err, ErrUnreachable):
		d.Metrics.sendError(name, "unreachable")
		d.log().Warn("recipient unreachable", "channel", name, "recipient", MaskID(row.Recipient), "err", err)
		_ = models.MarkUnreachable(d.DB, name, row.Recipient, err.Error(), now)
		return false
	case errors.As(err, &perm):
		d.Metrics.sendError(name, "permanent")
		d.log().Error("send failed for good", "channel", name, "outbox_id", row.ID, "err", err)
		_ = models.MarkFailed(d.DB, row.ID, err.Error())
		return true // later messages to the same recipient may still go
	default:
		d.Metrics.sendError(name, "transient")
		if row.Attempts >= d.maxAttempts() {
			d.log().Error("send failed, giving up", "channel", name, "outbox_id", row.ID, "attempts", row.Attempts, "err", err)
			_ = models.MarkFailed(d.DB, row.ID, err.Error())
			return true
		}
		next := now.Add(Backoff(row.Attempts))
		d.log().Warn("send failed, will retry", "channel", name, "outbox_id", row.ID, "attempts", row.Attempts, "next", next, "err", err)
		_ = models.MarkRetry(d.DB, row.ID, next, err.Error())
		return false
	}
}

// Backoff is the wait before attempt n+1: 2s, 4s, 8s ... capped at 5 minutes, with ±20% jitter
// so many failed rows do not come back at the same instant.
func Backoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	d := 2 * time.Second << min(attempts-1, 8)
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

func (d *Dispatcher) now() time.Time {
	if d.Clock == nil {
		return time.Now()
	}
	return d.Clock.Now()
}

func (d *Dispatcher) lease() time.Duration {
	if d.Lease <= 0 {
		return time.Minute
	}
	return d.Lease
}

func (d *Dispatcher) batchSize() int {
	if d.BatchSize <= 0 {
		return 200
	}
	return d.BatchSize
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts <= 0 {
		return 8
	}
	return d.MaxAttempts
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}
