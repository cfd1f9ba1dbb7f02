package bot

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"bpubot/models"
)

// Dispatcher sends outbox rows through their channels, under each channel's limits, and marks
// them sent, retried with backoff, failed, or skipped for an unreachable recipient.
//
// Ordering: claimed rows go into one queue per recipient, served by one goroutine at a time,
// so a recipient's rows go out in the order they were claimed (priority, then id). When a row
// cannot go now (a transient failure, a retry_after), the rows queued behind it are put back
// to the same time, and rows of that recipient claimed before then are put back too, so a
// later message never overtakes an earlier one. A recipient waiting for its per-chat interval
// holds neither a worker nor the claiming of other rows.
type Dispatcher struct {
	DB        *models.DB
	Clock     Clock
	Log       *slog.Logger
	Metrics   *Metrics
	RetryFor  time.Duration // how long a message that keeps failing (network, 5xx) is tried; default 24h
	BatchSize int           // rows claimed at a time; default 200
	Poll      time.Duration // how often to look for due rows without a wake-up; default 1s
	Lease     time.Duration // how long a claimed row is ours; default 1m
	Workers   int           // sends in progress at once per channel; default 32
	// MaxInFlight is how many claimed rows a channel may hold at once, waiting or being sent;
	// default 4 × BatchSize.
	MaxInFlight int
	// MaxBulkInFlight is how many of those may be bulk rows (reminders, broadcasts); default
	// BatchSize. Replies and bulk rows are claimed apart, so a broadcast of many thousands
	// never fills the room replies need, and holds at most this many rows in memory.
	MaxBulkInFlight int

	mu        sync.Mutex
	channels  map[string]*channelState
	wake      map[string]chan struct{}
	owner     int64            // see Owner
	ownerLock *models.HeldLock // PostgreSQL's proof that owner lives
	runCtx    context.Context  // Run's, while it runs: what handed-over rows are sent under
}

type channelState struct {
	ch      Channel
	limiter *Limiter
	slots   chan struct{} // one per send in progress
	runners sync.WaitGroup
	senders *goPool // where the per-recipient runners run

	mu       sync.Mutex
	queues   map[string][]queued  // claimed rows per recipient, in order; present while a runner serves it
	hold     map[string]time.Time // recipients whose earlier row waits until then
	inFlight int
	starved  bool // claiming stopped at MaxInFlight; wake the loop when there is room again
	// bulkInFlight counts the claimed bulk rows; bulkStarved: bulk claiming stopped at
	// MaxBulkInFlight. bulkSlots are the sends in progress bulk rows may hold (most of slots,
	// never all: a reply always finds one).
	bulkInFlight int
	bulkStarved  bool
	bulkSlots    chan struct{}
	sent         []int64 // delivered rows not yet marked sent (markSent)
	flushing     bool    // a flush of sent is scheduled

	flushMu sync.Mutex // one flush of sent at a time, so DrainOnce's waits for a running one

	// Rows queued pending (Notify) must go before later replies of their chat: Reserve refuses
	// hand-overs until a claim that began after the latest Notify has found everything due.
	notified, caughtUp uint64
}

type queued struct {
	row   models.Outbox
	reply *Reply          // the row's payload, when the engine handed it over decoded
	done  *sync.WaitGroup // DrainOnce's, or nil
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
	st := &channelState{
		ch: ch, limiter: NewLimiter(lim), slots: make(chan struct{}, d.workers()), senders: newGoPool(senderLinger),
		bulkSlots: make(chan struct{}, max(1, d.workers()*3/4)),
		queues:    map[string][]queued{}, hold: map[string]time.Time{},
	}
	d.channels[ch.Name()] = st
	d.wake[ch.Name()] = make(chan struct{}, 1)
	if u, ok := ch.(LimiterUser); ok {
		u.UseLimiter(st.limiter)
	}
}

// Notify wakes the loop of a channel: new rows are waiting.
func (d *Dispatcher) Notify(channel string) {
	d.mu.Lock()
	w, st := d.wake[channel], d.channels[channel]
	d.mu.Unlock()
	if st != nil {
		st.mu.Lock()
		st.notified++
		st.mu.Unlock()
	}
	if w != nil {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

func (d *Dispatcher) state(channel string) *channelState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.channels[channel]
}

// Run sends until ctx ends, one loop per registered channel. Rows already claimed when ctx
// ends are finished (sent or put back) before Run returns.
func (d *Dispatcher) Run(ctx context.Context) {
	for {
		err := d.takeOwner(ctx)
		if err == nil {
			break
		}
		d.log().Error("dispatcher: taking an owner failed; trying again", "err", err)
		if sleep(ctx, time.Second) != nil {
			return
		}
	}
	defer d.dropOwner()
	d.mu.Lock()
	d.runCtx = ctx
	names := make([]string, 0, len(d.channels))
	for name, st := range d.channels {
		names = append(names, name)
		// Rows left pending by an earlier run go before any reply handed over in this one.
		st.mu.Lock()
		st.notified++
		st.mu.Unlock()
	}
	d.mu.Unlock()
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.loop(ctx, name)
			st := d.state(name)
			st.runners.Wait()
			d.flushSent(st)
		}()
	}
	wg.Wait()
	d.mu.Lock()
	d.runCtx = nil
	d.mu.Unlock()
}

func (d *Dispatcher) loop(ctx context.Context, channel string) {
	d.mu.Lock()
	wake := d.wake[channel]
	st := d.channels[channel]
	d.mu.Unlock()
	poll := d.Poll
	if poll <= 0 {
		poll = time.Second
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	var lastClaim, lastOwnerCheck time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-timer.C:
		}
		// Under load every engine commit wakes the loop: claiming at once would take a row or
		// two a transaction. Waiting out claimGap since the last claim lets a batch gather.
		if wait := claimGap - time.Since(lastClaim); wait > 0 {
			if sleep(ctx, wait) != nil {
				return
			}
		}
		if time.Since(lastOwnerCheck) > ownerCheckEvery {
			d.keepOwner(ctx)
			lastOwnerCheck = time.Now()
		}
		lastClaim = time.Now()
		st.mu.Lock()
		gen := st.notified // every row queued before this is committed, and seen by the claims below
		st.mu.Unlock()
		// Claim while rows are due and there is room; sending goes on in the recipients'
		// goroutines meanwhile.
		for ctx.Err() == nil {
			limit := d.room(st)
			if limit == 0 {
				break
			}
			n, err := d.claim(ctx, st, limit, nil)
			if err != nil {
				d.log().Error("dispatch failed", "channel", channel, "err", err)
				break
			}
			if n < limit {
				st.mu.Lock()
				st.caughtUp = max(st.caughtUp, gen)
				st.mu.Unlock()
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

// senderLinger is how long a recipient's sending goroutine waits for another recipient's rows
// before it ends.
const senderLinger = 10 * time.Second

// ownerCheckEvery is how often the loop checks that the owner lock still holds.
const ownerCheckEvery = time.Second

// claimGap is the least time between two wake-ups' claims.
const claimGap = 5 * time.Millisecond

// room is how many rows the loop may claim now.
func (d *Dispatcher) room(st *channelState) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	free := d.maxInFlight() - st.inFlight
	if free <= 0 {
		st.starved = true
		return 0
	}
	return min(free, d.batchSize())
}

// DrainOnce claims one batch of due rows of a channel and sends them, returning how many it
// claimed once every one of them is sent, failed or put back. Rows to one recipient go in
// order; different recipients go in parallel.
func (d *Dispatcher) DrainOnce(ctx context.Context, channel string) (int, error) {
	st := d.state(channel)
	if st == nil {
		return 0, errors.New("dispatch: channel not registered: " + channel)
	}
	var done sync.WaitGroup
	n, err := d.claim(ctx, st, d.batchSize(), &done)
	done.Wait()
	d.flushSent(st)
	return n, err
}

// claim takes up to limit due rows and queues them to their recipients' goroutines.
func (d *Dispatcher) claim(ctx context.Context, st *channelState, limit int, done *sync.WaitGroup) (int, error) {
	if sb, ok := st.ch.(Standby); ok && sb.Standby() {
		return 0, nil
	}
	owner := d.Owner()
	if owner == 0 {
		owner = models.NewOwner() // DrainOnce without Run: nothing else runs here
	}
	db := d.DB.WithContext(context.WithoutCancel(ctx))
	rows, err := models.ClaimOutbox(db, st.ch.Name(), owner, d.now(), d.lease(), limit, models.PriorityReply, models.PriorityBulk-1)
	if err != nil {
		return 0, err
	}
	if room := limit - len(rows); room > 0 {
		st.mu.Lock()
		bulkRoom := d.maxBulkInFlight() - st.bulkInFlight
		st.mu.Unlock()
		if n := min(room, bulkRoom); n > 0 {
			bulk, err := models.ClaimOutbox(db, st.ch.Name(), owner, d.now(), d.lease(), n, models.PriorityBulk, math.MaxInt32)
			if err != nil {
				d.putBackAll(rows)
				return 0, err
			}
			rows = append(rows, bulk...)
			st.mu.Lock()
			st.bulkInFlight += len(bulk)
			st.bulkStarved = len(bulk) == n && n == bulkRoom
			st.mu.Unlock()
		} else if bulkRoom <= 0 {
			st.mu.Lock()
			st.bulkStarved = true
			st.mu.Unlock()
		}
	}
	if len(rows) == 0 {
		return 0, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.inFlight += len(rows)
	d.queueLocked(ctx, st, rows, nil, done)
	return len(rows), nil
}

// putBackAll returns claimed rows that were not queued.
func (d *Dispatcher) putBackAll(rows []models.Outbox) {
	for _, r := range rows {
		d.putBack(r, d.now(), "claim failed")
	}
}

// queueLocked appends claimed rows to their recipients' queues, starting a goroutine for a
// recipient that has none. The rows are already counted in st.inFlight.
func (d *Dispatcher) queueLocked(ctx context.Context, st *channelState, rows []models.Outbox, replies []Reply, done *sync.WaitGroup) {
	for i, r := range rows {
		if done != nil {
			done.Add(1)
		}
		item := queued{row: r, done: done}
		if i < len(replies) {
			item.reply = &replies[i]
		}
		q, running := st.queues[r.Recipient]
		st.queues[r.Recipient] = append(q, item)
		if !running {
			st.runners.Add(1)
			rcpt := r.Recipient
			st.senders.Go(func() { d.serve(ctx, st, rcpt) })
		}
	}
}

// Reserve asks for room for n new rows of a channel that the caller will insert already claimed
// (status sending, leased for the returned duration) and hand over with Deliver once they are
// committed, or give back with Release if they are not. This spares the claim query for every
// reply: under load the engine's commits feed the senders directly, and the table is still the
// record, so a crash before sending leaves the rows to be claimed again when the lease ends.
// ok is false when the dispatcher is not running for the channel, is standing by, is full, or
// has rows queued pending that it has not claimed yet (a later reply must not overtake them);
// then the rows go in pending too, and the claim loop takes them in order.
//
// The rows are the owner's (Owner), and claimed as its: rows inserted claimed carry it in
// locked_by.
func (d *Dispatcher) Reserve(channel string, n int) (lease time.Duration, owner int64, ok bool) {
	d.mu.Lock()
	st, ctx, owner := d.channels[channel], d.runCtx, d.owner
	d.mu.Unlock()
	if st == nil || ctx == nil || ctx.Err() != nil || n <= 0 || owner == 0 {
		return 0, 0, false
	}
	if sb, isSb := st.ch.(Standby); isSb && sb.Standby() {
		return 0, 0, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.caughtUp < st.notified {
		return 0, 0, false
	}
	if st.inFlight+n > d.maxInFlight() {
		st.starved = true
		return 0, 0, false
	}
	st.inFlight += n
	return d.lease(), owner, true
}

// Owner is the id under which this dispatcher claims rows while it runs (0 before Run): on
// PostgreSQL it holds the owner's advisory lock (models.OwnerLock) for as long as it lives, so
// other processes take its rows as soon as it dies rather than when their leases run out.
func (d *Dispatcher) Owner() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.owner
}

// takeOwner becomes a new owner: on PostgreSQL by taking a free owner lock; on SQLite, where
// one process runs, by releasing the rows an earlier run left claimed.
func (d *Dispatcher) takeOwner(ctx context.Context) error {
	if !models.IsPostgres(d.DB) {
		d.mu.Lock()
		d.owner = models.NewOwner()
		names := slices.Collect(maps.Keys(d.channels))
		d.mu.Unlock()
		for _, name := range names {
			if n, err := models.ReleaseClaimed(d.DB.WithContext(ctx), name); err != nil {
				return err
			} else if n > 0 {
				d.log().Info("messages an earlier run had claimed are queued again", "channel", name, "rows", n)
			}
		}
		return nil
	}
	for {
		owner := models.NewOwner()
		h, ok, err := models.TryLock(ctx, d.DB, models.OwnerLock(owner))
		if err != nil {
			return err
		}
		if ok {
			d.mu.Lock()
			old := d.ownerLock
			d.owner, d.ownerLock = owner, h
			d.mu.Unlock()
			if old != nil {
				old.Release()
			}
			return nil
		}
	}
}

// keepOwner checks that the owner lock's session lives, and takes a new owner when it has
// gone (the database restarted): rows claimed under the old one may then be taken by others.
func (d *Dispatcher) keepOwner(ctx context.Context) {
	d.mu.Lock()
	h := d.ownerLock
	d.mu.Unlock()
	if h == nil {
		return
	}
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if h.Alive(actx) == nil {
		return
	}
	// The session is gone, and the lock with it. Taking the same owner's lock again keeps the
	// rows claimed under it ours; if someone holds it meanwhile (it cannot be another process's:
	// owners are random), take a new one.
	d.mu.Lock()
	owner := d.owner
	d.mu.Unlock()
	if nh, ok, err := models.TryLock(actx, d.DB, models.OwnerLock(owner)); err == nil && ok {
		d.mu.Lock()
		d.ownerLock = nh
		d.mu.Unlock()
		h.Release()
		d.log().Info("the dispatcher's owner lock was lost with its database connection, and is taken again")
		return
	}
	d.log().Warn("the dispatcher's owner lock is lost (database connection gone); taking a new one")
	if err := d.takeOwner(ctx); err != nil && ctx.Err() == nil {
		d.log().Error("taking a new owner lock failed", "err", err)
	}
}

// dropOwner gives the owner lock back at the end of Run.
func (d *Dispatcher) dropOwner() {
	d.mu.Lock()
	h := d.ownerLock
	d.owner, d.ownerLock = 0, nil
	d.mu.Unlock()
	if h != nil {
		h.Release()
	}
}

// Release gives back room reserved for rows that were not committed.
func (d *Dispatcher) Release(channel string, n int) {
	st := d.state(channel)
	if st == nil || n <= 0 {
		return
	}
	d.free(st, n)
}

// Deliver queues committed rows that were inserted claimed after a successful Reserve;
// replies[i], when given, is rows[i]'s payload, so it need not be decoded again.
func (d *Dispatcher) Deliver(channel string, rows []models.Outbox, replies []Reply) {
	d.mu.Lock()
	st, ctx := d.channels[channel], d.runCtx
	d.mu.Unlock()
	if st == nil {
		return
	}
	if ctx == nil || ctx.Err() != nil {
		// Shutting down: back to the table for the next start.
		for _, r := range rows {
			d.putBack(r, d.now(), "shutting down")
		}
		d.free(st, len(rows))
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	d.queueLocked(ctx, st, rows, replies, nil)
}

// serve sends a recipient's queued rows one after another until the queue is empty.
func (d *Dispatcher) serve(ctx context.Context, st *channelState, rcpt string) {
	defer st.runners.Done()
	for {
		st.mu.Lock()
		q := st.queues[rcpt]
		if len(q) == 0 {
			delete(st.queues, rcpt)
			st.mu.Unlock()
			return
		}
		items := d.takeMessage(st, q)
		st.queues[rcpt] = q[len(items):]
		hold := st.hold[rcpt]
		st.mu.Unlock()

		var next time.Time
		var stop bool
		if now := d.now(); hold.After(now) {
			for _, it := range items {
				d.putBack(it.row, hold, "waiting for an earlier message")
			}
			next, stop = hold, true
		} else {
			next, stop = d.sendOne(ctx, st, items)
		}
		for _, it := range items {
			d.finish(st, it)
		}
		if !stop {
			continue
		}
		// What is queued behind waits for the row that could not go.
		st.mu.Lock()
		rest := st.queues[rcpt]
		st.queues[rcpt] = nil
		if !next.IsZero() {
			st.hold[rcpt] = next
			if len(st.hold) > 1024 {
				now := d.now()
				for r, t := range st.hold {
					if !t.After(now) {
						delete(st.hold, r)
					}
				}
			}
		}
		st.mu.Unlock()
		for _, it := range rest {
			if !next.IsZero() {
				d.putBack(it.row, next, "waiting for an earlier message")
			}
			d.finish(st, it)
		}
	}
}

// finish records that a claimed row is done with, sent or not.
func (d *Dispatcher) finish(st *channelState, it queued) {
	if it.done != nil {
		defer it.done.Done()
	}
	if it.row.Priority >= models.PriorityBulk {
		st.mu.Lock()
		st.bulkInFlight--
		wake := st.bulkStarved && st.bulkInFlight <= d.maxBulkInFlight()/2
		if wake {
			st.bulkStarved = false
		}
		st.mu.Unlock()
		if wake {
			defer d.Notify(st.ch.Name())
		}
	}
	d.free(st, 1)
}

// free gives back room for n rows, waking the claim loop if it stopped for want of room.
func (d *Dispatcher) free(st *channelState, n int) {
	st.mu.Lock()
	st.inFlight -= n
	wake := st.starved && st.inFlight <= d.maxInFlight()/2
	if wake {
		st.starved = false
	}
	st.mu.Unlock()
	if wake {
		d.Notify(st.ch.Name())
	}
}

// takeMessage returns the rows at the head of a recipient's queue q that go out as one message:
// the first, and the replies to the same inbound message queued right behind it (written in
// one commit: same time, reply priority) while they fit the channel's MaxText together and
// only the last offers choices or asks for the contact. "halo" is answered with one message,
// not a greeting and a menu a second apart.
func (d *Dispatcher) takeMessage(st *channelState, q []queued) []queued {
	maxText := 0
	if l, ok := st.ch.(Limited); ok {
		maxText = l.Limits().MaxText
	}
	first := q[0]
	if maxText <= 0 || first.row.Priority != models.PriorityReply || len(q) == 1 {
		return q[:1]
	}
	merged, ok := payload(first)
	if !ok {
		return q[:1]
	}
	n := 1
	for _, next := range q[1:] {
		if next.row.Priority != models.PriorityReply || !next.row.CreatedAt.Equal(first.row.CreatedAt) ||
			len(merged.Choices) > 0 || merged.RequestContact {
			break
		}
		r, ok := payload(next)
		if !ok {
			break
		}
		joined := r
		joined.Text = merged.Text + "\n\n" + r.Text
		if utf8.RuneCountInString(NumberedText(joined)) > maxText {
			break
		}
		merged = joined
		n++
	}
	if n > 1 {
		q[0].reply = &merged // the merged message travels with the first row
	}
	return q[:n]
}

// payload is a queued row's reply, decoded if the engine did not hand it over.
func payload(it queued) (Reply, bool) {
	if it.reply != nil {
		return *it.reply, true
	}
	var r Reply
	return r, models.DecodeJSON(it.row.Payload, &r) == nil
}

// sendOne sends a row and records the outcome. stop reports that the recipient's later rows
// must not go now: they wait until next, or, when next is zero, are dropped from the queue
// because the row's outcome already settled them (an unreachable recipient's rows are skipped).
//
// items are the rows of one message (takeMessage): the first carries the message, and every
// outcome applies to all of them.
func (d *Dispatcher) sendOne(ctx context.Context, st *channelState, items []queued) (next time.Time, stop bool) {
	item := items[0]
	row := item.row
	reply, ok := payload(item)
	if !ok {
		_ = models.MarkFailed(d.DB, row.ID, "bad payload")
		return time.Time{}, false
	}
	rows := make([]models.Outbox, len(items))
	for i, it := range items {
		rows[i] = it.row
	}
	putBack := func(next time.Time, reason string) {
		for _, r := range rows {
			d.putBack(r, next, reason)
		}
	}
	bulk := row.Priority >= models.PriorityBulk
	name := st.ch.Name()
	if err := st.limiter.WaitChat(ctx, row.Recipient); err != nil {
		putBack(d.now(), "shutting down")
		return d.now(), true
	}
	if bulk {
		// Bulk rows take from their own share of the sends in progress: a reply always finds
		// a free one.
		select {
		case st.bulkSlots <- struct{}{}:
		case <-ctx.Done():
			putBack(d.now(), "shutting down")
			return d.now(), true
		}
		defer func() { <-st.bulkSlots }()
	}
	select {
	case st.slots <- struct{}{}:
	case <-ctx.Done():
		putBack(d.now(), "shutting down")
		return d.now(), true
	}
	defer func() { <-st.slots }()
	paused, err := st.limiter.acquire(ctx, row.Recipient, bulk)
	if err != nil {
		putBack(d.now(), "shutting down")
		return d.now(), true
	}
	if paused > 0 {
		// A pause the platform asked for can be long: put the row back rather than sit on it.
		next := d.now().Add(paused)
		putBack(next, "rate limited by the platform")
		return next, true
	}
	err = st.ch.Send(context.WithoutCancel(ctx), Outgoing{OutboxID: row.ID, Recipient: row.Recipient, Reply: reply, Bulk: bulk})
	now := d.now()
	var retry *RetryAfterError
	var perm *PermanentError
	switch {
	case err == nil:
		for _, r := range rows {
			d.markSent(st, r.ID)
		}
		d.Metrics.sent(name)
		return time.Time{}, false
	case errors.As(err, &retry):
		d.Metrics.sendError(name, "rate_limited")
		d.log().Warn("rate limited", "channel", name, "recipient", MaskID(row.Recipient), "retry_after", retry.After, "global", retry.Global)
		// A platform's request to wait is not a failure of the message: it does not use up an attempt.
		next := now.Add(retry.After)
		putBack(next, err.Error())
		if retry.Global {
			st.limiter.Pause(row.Recipient, retry.After, true)
		} else if herr := models.HoldRecipient(d.DB, name, row.Recipient, next); herr != nil {
			// Rows of this chat claimed here meanwhile are held in memory (serve); this covers
			// the ones still in the table, for every process.
			d.log().Error("hold recipient failed", "channel", name, "recipient", MaskID(row.Recipient), "err", herr)
		}
		return next, true
	case errors.Is(err, ErrUnreachable):
		d.Metrics.sendError(name, "unreachable")
		d.log().Warn("recipient unreachable", "channel", name, "recipient", MaskID(row.Recipient), "err", err)
		d.flushSent(st) // what did reach them is sent, not skipped
		if merr := models.MarkUnreachable(d.DB, name, row.Recipient, err.Error(), now); merr != nil {
			d.log().Error("mark unreachable failed", "channel", name, "recipient", MaskID(row.Recipient), "err", merr)
		}
		return time.Time{}, true
	case errors.As(err, &perm):
		d.Metrics.sendError(name, "permanent")
		d.log().Error("send failed for good", "channel", name, "outbox_id", row.ID, "err", err)
		for _, r := range rows {
			_ = models.MarkFailed(d.DB, r.ID, err.Error())
		}
		return time.Time{}, false // later messages to the same recipient may still go
	default:
		d.Metrics.sendError(name, "transient")
		if now.Sub(row.CreatedAt) >= d.retryFor() {
			d.log().Error("send failed, giving up", "channel", name, "outbox_id", row.ID, "attempts", row.Attempts, "since", row.CreatedAt, "err", err)
			for _, r := range rows {
				_ = models.MarkFailed(d.DB, r.ID, err.Error())
			}
			return time.Time{}, false
		}
		next := now.Add(Backoff(row.Attempts))
		d.log().Warn("send failed, will retry", "channel", name, "outbox_id", row.ID, "attempts", row.Attempts, "next", next, "err", err)
		for _, r := range rows {
			_ = models.MarkRetry(d.DB, r.ID, next, err.Error())
		}
		return next, true
	}
}

// sentFlushDelay is how long delivered rows wait to be marked sent together. A row whose
// process dies in between is sent again when its lease runs out, as one that died between
// sending and marking always was; the window is a few milliseconds longer.
const sentFlushDelay = 10 * time.Millisecond

// markSent records a delivered row. Rows are marked in batches: one UPDATE for what a busy
// channel sends in sentFlushDelay rather than a transaction per message.
func (d *Dispatcher) markSent(st *channelState, id int64) {
	st.mu.Lock()
	st.sent = append(st.sent, id)
	schedule := !st.flushing
	st.flushing = true
	st.mu.Unlock()
	if schedule {
		time.AfterFunc(sentFlushDelay, func() { d.flushSent(st) })
	}
}

// flushSent marks the delivered rows sent. It returns once every row delivered before the call
// is marked.
func (d *Dispatcher) flushSent(st *channelState) {
	st.flushMu.Lock()
	defer st.flushMu.Unlock()
	st.mu.Lock()
	ids := st.sent
	st.sent, st.flushing = nil, false
	st.mu.Unlock()
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := models.MarkSent(d.DB, ids[:n], d.now()); err != nil {
			// Kept and tried again (the database may be restarting): a delivered row left
			// claimed would be sent again by whoever takes it over.
			d.log().Error("mark sent failed; will try again", "channel", st.ch.Name(), "rows", len(ids), "err", err)
			st.mu.Lock()
			st.sent = append(st.sent, ids...)
			schedule := !st.flushing
			st.flushing = true
			st.mu.Unlock()
			if schedule {
				time.AfterFunc(time.Second, func() { d.flushSent(st) })
			}
			return
		}
		ids = ids[n:]
	}
}

// putBack returns a claimed row to the queue (models.PutBack), logging a failure.
func (d *Dispatcher) putBack(row models.Outbox, next time.Time, reason string) {
	if err := models.PutBack(d.DB, row.ID, next, reason); err != nil {
		d.log().Error("put back failed", "channel", row.Channel, "outbox_id", row.ID, "err", err)
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

func (d *Dispatcher) workers() int {
	if d.Workers <= 0 {
		return 32
	}
	return d.Workers
}

func (d *Dispatcher) maxInFlight() int {
	if d.MaxInFlight <= 0 {
		return 4 * d.batchSize()
	}
	return d.MaxInFlight
}

func (d *Dispatcher) maxBulkInFlight() int {
	if d.MaxBulkInFlight <= 0 {
		return d.batchSize()
	}
	return d.MaxBulkInFlight
}

func (d *Dispatcher) retryFor() time.Duration {
	if d.RetryFor <= 0 {
		return 24 * time.Hour
	}
	return d.RetryFor
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}
