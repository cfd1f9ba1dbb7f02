package bot

import (
	"context"
	"sync"
	"time"
)

// Limiter keeps a channel's sends within its Limits: a token bucket over the whole channel, a
// least interval per chat, a least interval between bulk sends, and pauses the platform asked
// for (retry_after), per chat or for the whole channel.
type Limiter struct {
	lim Limits

	mu          sync.Mutex
	tokens      float64
	last        time.Time
	chatNext    map[string]time.Time
	bulkNext    time.Time
	globalPause time.Time
}

// NewLimiter makes a limiter; zero Limits let everything through at once.
func NewLimiter(l Limits) *Limiter {
	burst := l.Burst
	if burst <= 0 {
		burst = 1
	}
	l.Burst = burst
	return &Limiter{lim: l, tokens: float64(burst), chatNext: map[string]time.Time{}}
}

// Wait blocks until a message to chat may go, then takes its place.
func (l *Limiter) Wait(ctx context.Context, chat string, bulk bool) error {
	for {
		d := l.reserve(chat, bulk, time.Now())
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reserve takes a place for a message now and returns 0, or returns how long to wait first.
func (l *Limiter) reserve(chat string, bulk bool, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	if d := l.globalPause.Sub(now); d > wait {
		wait = d
	}
	if l.lim.PerChatInterval > 0 {
		if d := l.chatNext[chat].Sub(now); d > wait {
			wait = d
		}
	} else if d := l.chatNext[chat].Sub(now); d > wait { // a platform pause on this chat
		wait = d
	}
	if bulk && l.lim.BulkInterval > 0 {
		if d := l.bulkNext.Sub(now); d > wait {
			wait = d
		}
	}
	if l.lim.PerSecond > 0 {
		if !l.last.IsZero() {
			l.tokens += now.Sub(l.last).Seconds() * l.lim.PerSecond
			if l.tokens > float64(l.lim.Burst) {
				l.tokens = float64(l.lim.Burst)
			}
		}
		l.last = now
		if l.tokens < 1 {
			d := time.Duration((1 - l.tokens) / l.lim.PerSecond * float64(time.Second))
			if d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		return wait
	}
	if l.lim.PerSecond > 0 {
		l.tokens--
	}
	if l.lim.PerChatInterval > 0 {
		l.chatNext[chat] = now.Add(l.lim.PerChatInterval)
	}
	if bulk && l.lim.BulkInterval > 0 {
		l.bulkNext = now.Add(l.lim.BulkInterval)
	}
	return 0
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
	if until.After(l.chatNext[chat]) {
		l.chatNext[chat] = until
	}
}
