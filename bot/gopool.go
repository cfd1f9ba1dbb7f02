package bot

import "time"

// goPool runs functions on goroutines that stay a while after their function returns, so a
// busy process reuses their grown stacks instead of starting, and growing the stack of, a new
// goroutine for every job (the dispatcher's per-recipient senders run deep in net/http and
// encoding/json). It has no bound: a job never waits for a free goroutine.
type goPool struct {
	idle   chan func() // unbuffered: a send succeeds only when a goroutine is waiting
	linger time.Duration
}

func newGoPool(linger time.Duration) *goPool {
	return &goPool{idle: make(chan func()), linger: linger}
}

// Go runs f on a waiting goroutine, or on a new one when none waits.
func (p *goPool) Go(f func()) {
	select {
	case p.idle <- f:
	default:
		go p.run(f)
	}
}

func (p *goPool) run(f func()) {
	t := time.NewTimer(p.linger)
	defer t.Stop()
	for {
		f()
		f = nil
		t.Reset(p.linger)
		select {
		case f = <-p.idle:
			t.Stop()
		case <-t.C:
			return
		}
	}
}
