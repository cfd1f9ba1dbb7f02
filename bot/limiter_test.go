package bot_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"bpubot/bot"
)

// The limiter reads time.Now and sleeps on timers: inside a synctest bubble both are a fake
// clock that moves only when every goroutine waits, so the rates below are counted exactly.

// sendAll sends n messages through l from workers goroutines, to chat(i), and returns when
// each one was let through, relative to the start.
func sendAll(t *testing.T, l *bot.Limiter, n, workers int, chat func(i int) string, bulk bool) []time.Duration {
	t.Helper()
	start := time.Now()
	var mu sync.Mutex
	var at []time.Duration
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := l.Wait(context.Background(), chat(i), bulk); err != nil {
					t.Error(err)
				}
				mu.Lock()
				at = append(at, time.Since(start))
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	slices.Sort(at)
	return at
}

// maxInWindow is the most sends in any window of length w.
func maxInWindow(at []time.Duration, w time.Duration) int {
	best, lo := 0, 0
	for hi := range at {
		for at[hi]-at[lo] >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

func countBefore(at []time.Duration, d time.Duration) int {
	n := 0
	for _, a := range at {
		if a < d {
			n++
		}
	}
	return n
}

func manyChats(i int) string { return fmt.Sprint("chat-", i) }

func TestLimiterKeepsTheRate(t *testing.T) {
	for _, burst := range []int{1, 5, 30} {
		t.Run(fmt.Sprint("burst ", burst), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := bot.NewLimiter(bot.Limits{PerSecond: 20, Burst: burst})
				at := sendAll(t, l, 300, 8, manyChats, false)
				// Never more than the rate in any one-second window, even right after the burst.
				if got := maxInWindow(at, time.Second); got > 20 {
					t.Errorf("%d sends in one second, limit 20", got)
				}
				// And not much less: 300 sends take about 15 seconds (the window is a little
				// over a second, for the time messages take to reach the platform).
				if got := countBefore(at, 16*time.Second); got != 300 {
					t.Errorf("only %d of 300 sends in the first 16 seconds", got)
				}
				// A burst larger than the rate is cut to the rate.
				if got, want := countBefore(at, time.Nanosecond), min(burst, 20); got != want {
					t.Errorf("%d sends at once at the start, want %d", got, want)
				}
			})
		})
	}
}

func TestLimiterFractionalRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := bot.NewLimiter(bot.Limits{PerSecond: 0.5})
		at := sendAll(t, l, 5, 2, manyChats, false)
		if got := countBefore(at, 8*time.Second+time.Millisecond); got != 5 {
			t.Errorf("%d sends in 8 seconds at 0.5/s from a full bucket, want 5", got)
		}
		if got := maxInWindow(at, 2*time.Second); got > 1 {
			t.Errorf("%d sends within 2 seconds at 0.5/s", got)
		}
	})
}

func TestLimiterPerChatInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := bot.NewLimiter(bot.Limits{PerSecond: 100, Burst: 10, PerChatInterval: time.Second})
		// Six messages to one chat and six to another, all at once.
		var mu sync.Mutex
		byChat := map[string][]time.Duration{}
		start := time.Now()
		var wg sync.WaitGroup
		for _, chat := range []string{"a", "b"} {
			wg.Go(func() {
				for range 6 {
					if err := l.Wait(context.Background(), chat, false); err != nil {
						t.Error(err)
					}
					mu.Lock()
					byChat[chat] = append(byChat[chat], time.Since(start))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for chat, at := range byChat {
			if got := maxInWindow(at, time.Second); got != 1 {
				t.Errorf("chat %s: %d messages within a second", chat, got)
			}
			if at[0] != 0 {
				t.Errorf("chat %s waited %s for its first message", chat, at[0])
			}
			if got := countBefore(at, 5*time.Second+time.Millisecond); got != 6 {
				t.Errorf("chat %s: %d of 6 messages in 5 seconds", chat, got)
			}
		}
	})
}

func TestLimiterPauses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := bot.NewLimiter(bot.Limits{})
		l.Pause("a", 3*time.Second, false)
		if got := l.Paused("a"); got != 3*time.Second {
			t.Errorf("Paused(a) = %s", got)
		}
		if got := l.Paused("b"); got != 0 {
			t.Errorf("Paused(b) = %s", got)
		}
		start := time.Now()
		for _, chat := range []string{"b", "a"} {
			if err := l.Wait(context.Background(), chat, false); err != nil {
				t.Fatal(err)
			}
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("a chat's pause: the two sends took %s, want b at once and a after 3s", got)
		}
		l.Pause("b", 10*time.Second, true)
		if got := l.Paused("c"); got != 10*time.Second {
			t.Errorf("a global pause: Paused(c) = %s", got)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.Wait(ctx, "c", false); err == nil {
			t.Error("a send went through a global pause")
		}
		if err := l.Wait(context.Background(), "c", false); err != nil || time.Since(start) != 13*time.Second {
			t.Errorf("after the global pause: %v at %s", err, time.Since(start))
		}
	})
}

func TestLimiterBulkInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := bot.NewLimiter(bot.Limits{BulkInterval: 20 * time.Second})
		bulk := sendAll(t, l, 4, 2, manyChats, true)
		if got := maxInWindow(bulk, 20*time.Second); got != 1 {
			t.Errorf("%d bulk messages within the bulk interval", got)
		}
		replies := sendAll(t, l, 4, 2, manyChats, false)
		if got := countBefore(replies, time.Nanosecond); got != 4 {
			t.Errorf("replies held back by the bulk interval: %v", replies)
		}
	})
}

// A call counted against the channel's rate only (chat "") takes no chat's turn and leaves no
// chat waiting, but does use up the rate.
func TestLimiterRateOnlyCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := bot.NewLimiter(bot.Limits{PerSecond: 2, Burst: 2, PerChatInterval: time.Second})
		start := time.Now()
		for range 2 {
			if err := l.Wait(context.Background(), "", false); err != nil {
				t.Fatal(err)
			}
		}
		if time.Since(start) != 0 {
			t.Fatalf("two rate-only calls within the burst waited %s", time.Since(start))
		}
		if err := l.Wait(context.Background(), "a", false); err != nil {
			t.Fatal(err)
		}
		// Both places of the one-second window (1.025s) are taken: chat a waits for the window.
		if waited := time.Since(start); waited != 1025*time.Millisecond {
			t.Errorf("chat a waited %s after two rate-only calls, want the window's 1.025s", waited)
		}
		// A second rate-only call right after it is not held back by chat a's interval.
		before := time.Now()
		if err := l.Wait(context.Background(), "", false); err != nil {
			t.Fatal(err)
		}
		if err := l.Wait(context.Background(), "b", false); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(before); waited >= time.Second+100*time.Millisecond {
			t.Errorf("a rate-only call and chat b waited %s", waited)
		}
	})
}

// A group chat (the staff group) gets at most one message every GroupInterval, a private chat
// one every PerChatInterval.
func TestLimiterGroupInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := bot.NewLimiter(bot.Limits{PerChatInterval: time.Second, GroupInterval: 3 * time.Second})
		for _, c := range []struct {
			chat string
			want time.Duration
		}{{"12345", time.Second}, {"-100777", 3 * time.Second}} {
			start := time.Now()
			for range 2 {
				if err := l.Wait(context.Background(), c.chat, false); err != nil {
					t.Fatal(err)
				}
			}
			if got := time.Since(start); got != c.want {
				t.Errorf("chat %s: two messages %s apart, want %s", c.chat, got, c.want)
			}
		}
	})
}
