package whatsapp

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"bpubot/bot"
)

// TestLimitsSpaceBulkWithJitter drives the dispatcher's limiter with the channel's limits in
// a bubble of fake time: bulk messages leave a third of a minute apart plus up to the jitter,
// never at one even beat, while replies are not held back by them.
func TestLimitsSpaceBulkWithJitter(t *testing.T) {
	ch := New(nil, nil, nil, WithConfig(Config{BulkPerMinute: 3, BulkJitter: 10 * time.Second, ReplyInterval: time.Second}))
	lim := ch.Limits()
	if lim.BulkInterval != 20*time.Second || lim.BulkJitter != 10*time.Second || lim.PerChatInterval != time.Second {
		t.Fatalf("limits %+v", lim)
	}
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		l := bot.NewLimiter(lim)
		var gaps []time.Duration
		last := time.Now()
		for i := range 8 {
			if err := l.Wait(ctx, fmt.Sprintf("worker-%d", i), true); err != nil {
				t.Fatal(err)
			}
			if i > 0 {
				gaps = append(gaps, time.Since(last))
			}
			last = time.Now()

			// A reply to someone who just wrote goes at once, between bulk messages.
			before := time.Now()
			if err := l.Wait(ctx, fmt.Sprintf("asker-%d", i), false); err != nil {
				t.Fatal(err)
			}
			if waited := time.Since(before); waited != 0 {
				t.Fatalf("reply waited %s", waited)
			}
		}
		distinct := map[time.Duration]bool{}
		for _, g := range gaps {
			if g < 20*time.Second || g > 30*time.Second {
				t.Fatalf("bulk gap %s outside 20s–30s: %v", g, gaps)
			}
			distinct[g] = true
		}
		if len(distinct) < 2 {
			t.Fatalf("bulk gaps all equal: %v", gaps)
		}
		// Two messages to one chat keep the reply interval.
		before := time.Now()
		_ = l.Wait(ctx, "asker-0", false)
		_ = l.Wait(ctx, "asker-0", false)
		if waited := time.Since(before); waited < time.Second {
			t.Fatalf("second message to one chat after %s", waited)
		}
	})
}
