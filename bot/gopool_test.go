package bot

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestGoPool: every job runs, a goroutine that finished one takes the next instead of a new
// one starting, and idle goroutines end after linger (synctest fails if one is left).
func TestGoPool(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newGoPool(time.Second)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ran := 0
		for range 3 {
			wg.Add(1)
			p.Go(func() { defer wg.Done(); time.Sleep(10 * time.Millisecond); mu.Lock(); ran++; mu.Unlock() })
		}
		wg.Wait()
		synctest.Wait() // the three wait for work now
		started := 0
		for range 3 {
			wg.Add(1)
			select {
			case p.idle <- func() { defer wg.Done(); mu.Lock(); ran++; mu.Unlock() }:
			default:
				started++
				wg.Done()
			}
		}
		wg.Wait()
		if ran != 6 || started != 0 {
			t.Fatalf("ran %d jobs, %d found no idle goroutine; want 6 and 0", ran, started)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		select {
		case p.idle <- func() {}:
			t.Fatal("a goroutine outlived its linger")
		default:
		}
	})
}
