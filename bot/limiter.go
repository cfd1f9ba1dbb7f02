package bot

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Limiter keeps a channel's sends within its Limits: a token bucket over the whole channel
// (PerSecond, Burst) that also never lets more than ⌊PerSecond⌋ sends into any one-second
// window (windowLength), a least interval per chat, a least interval between bulk sends, and
// pauses the platform asked for (retry_after), per chat or for the whole channel.
//
// All times are read from time.Now, so tests drive it with testing/synctest.
type Limiter struct {
	lim Limits

	mu     sync.Mutex
	tokens float64
	last   time.Time
	// recent holds the times of the last len(recent) sends, oldest at recent[next]: a send
	// may go only when the oldest is windowLength old. The token bucket alone would let
	// Burst + PerSecond through in one second after an idle spell.
	recent      []time.Time
	next        int
	chatNext    map[string]time.Time // per-chat interval
	chatPause   map[string]time.Time // pauses the platform asked for, per chat
	bulkNext    time.Time
	globalPause time.Time
	reserves    int // for the periodic sweep of past entries
	// replies counts replies waiting for a place: while one waits, no bulk message takes the
	// place it waits for.
	replies int
}

// windowLength is the window in which at most ⌊PerSecond⌋ sends go: a second, and a little
// more, because messages reach the platform some milliseconds after they are let through and
// not all equally late; at a full second, a platform counting arrivals would at times see one
// too many. 25 ms covers that spread (no refusal at the fake Bot API in BenchmarkBroadcastAtLimit)
// and still lets through 97.5% of the limit.
const windowLength = time.Second + 25*time.Millisecond

// sweepEvery is how many reservations pass between sweeps of the per-chat maps, which would
// otherwise keep one entry for every chat ever sent to.
const sweepEvery = 4096

// NewLimiter makes a limiter; zero Limits let everything through at once.
func NewLimiter(l Limits) *Limiter {
	burst := l.Burst
	if burst <= 0 {
		burst = 1
	}
	l.Burst = burst
	lim := &Limiter{lim: l, tokens: float64(burst), chatNext: map[string]time.Time{}, chatPause: map[string]time.Time{}}
	if l.PerSecond >= 1 {
		lim.recent = make([]time.Time, int(math.Floor(l.PerSecond)))
	}
	return lim
}

// Limits returns the limits the limiter enforces.
func (l *Limiter) Limits() Limits { return l.lim }

// Wait blocks until a message to chat may go, then takes its place. A chat of "" takes a place
// in the channel's rate only, for calls that count against it but not against a chat's
// interval (Telegram's edit of a pressed message).
func (l *Limiter) Wait(ctx context.Context, chat string, bulk bool) error {
	for {
		d := l.reserve(chat, bulk, time.Now())
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// WaitChat blocks until chat's own interval allows a message, without taking a place: acquire
// still has to be called. The dispatcher waits here without holding a worker, so one chat's
// second message keeps no other chat waiting.
func (l *Limiter) WaitChat(ctx context.Context, chat string) error {
	for {
		l.mu.Lock()
		d := time.Until(l.chatNext[chat])
		l.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// Paused returns how much longer the platform asked us not to send to chat (a retry_after
// for that chat or for the whole channel), or 0.
func (l *Limiter) Paused(chat string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	return max(0, l.globalPause.Sub(now), l.chatPause[chat].Sub(now))
}

// acquire is Wait for the dispatcher: it waits for the channel's rate and chat's interval,
// but returns the remaining pause instead of sitting through a pause the platform asked for,
// which can be long.
func (l *Limiter) acquire(ctx context.Context, chat string, bulk bool) (time.Duration, error) {
	if !bulk {
		l.mu.Lock()
		l.replies++
		l.mu.Unlock()
		defer func() {
			l.mu.Lock()
			l.replies--
			l.mu.Unlock()
		}()
	}
	for {
		if p := l.Paused(chat); p > 0 {
			return p, nil
		}
		d := l.reserve(chat, bulk, time.Now())
		if d <= 0 {
			return 0, nil
		}
		if bulk && d > maxBulkHold {
			// A slow bulk rate (WhatsApp: a few a minute) puts the next bulk slot minutes away:
			// hand the row back like a pause rather than hold a worker and outlive its lease.
			return d, nil
		}
		if err := sleep(ctx, d); err != nil {
			return 0, err
		}
	}
}

// bulkYield is how long a bulk message steps back while a reply waits for a place.
const bulkYield = 5 * time.Millisecond

// maxBulkHold is the longest acquire waits in place for a bulk slot.
const maxBulkHold = 5 * time.Second

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reserve takes a place for a message now and returns 0, or returns how long to wait first.
func (l *Limiter) reserve(chat string, bulk bool, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := max(l.globalPause.Sub(now), l.chatPause[chat].Sub(now), l.chatNext[chat].Sub(now))
	if bulk && l.lim.BulkInterval > 0 {
		wait = max(wait, l.bulkNext.Sub(now))
	}
	if bulk && l.replies > 0 {
		// A reply waits for a place: it goes first; bulk looks again in a moment.
		wait = max(wait, bulkYield)
	}
	if l.lim.PerSecond > 0 {
		if !l.last.IsZero() && now.After(l.last) {
			l.tokens = min(l.tokens+now.Sub(l.last).Seconds()*l.lim.PerSecond, float64(l.lim.Burst))
		}
		if now.After(l.last) {
			l.last = now
		}
		if l.tokens < 1 {
			wait = max(wait, time.Duration(math.Ceil((1-l.tokens)/l.lim.PerSecond*float64(time.Second))))
		}
		if len(l.recent) > 0 {
			if oldest := l.recent[l.next]; !oldest.IsZero() {
				wait = max(wait, oldest.Add(windowLength).Sub(now))
			}
		}
	}
	if wait > 0 {
		return wait
	}
	if l.lim.PerSecond > 0 {
		l.tokens--
		if len(l.recent) > 0 {
			l.recent[l.next] = now
			l.next = (l.next + 1) % len(l.recent)
		}
	}
	if interval := l.interval(chat); interval > 0 && chat != "" {
		l.chatNext[chat] = now.Add(interval)
	}
	if bulk && l.lim.BulkInterval > 0 {
		l.bulkNext = now.Add(l.lim.BulkInterval)
		if l.lim.BulkJitter > 0 {
			l.bulkNext = l.bulkNext.Add(rand.N(l.lim.BulkJitter + 1))
		}
	}
	l.reserves++
	if l.reserves%sweepEvery == 0 {
		l.sweep(now)
	}
	return 0
}

// interval is the least time between two messages to chat.
func (l *Limiter) interval(chat string) time.Duration {
	if l.lim.GroupInterval > l.lim.PerChatInterval && strings.HasPrefix(chat, "-") {
		return l.lim.GroupInterval
	}
	return l.lim.PerChatInterval
}

// sweep drops per-chat entries that no longer hold anything back. Called with mu held.
func (l *Limiter) sweep(now time.Time) {
	for chat, t := range l.chatNext {
		if !t.After(now) {
			delete(l.chatNext, chat)
		}
	}
	for chat, t := range l.chatPause {
		if !t.After(now) {
			delete(l.chatPause, chat)
		}
	}
}

// Pause holds back sends to chat, or to everyone when global, for d.
func (l *Limiter) Pause(chat string, d time.Duration, global bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := time.Now().Add(d)
	if global {
		if until.After(l.globalPause) {
			l.globalPause = until
		}
		return
	}
	if until.After(l.chatPause[chat]) {
		l.chatPause[chat] = until
	}
}
