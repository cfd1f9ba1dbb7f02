package bot_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"bpubot/bot"
)

func TestChatQueuesKeepOrderPerChat(t *testing.T) {
	q := bot.NewChatQueues(64, 8)
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 200 {
		chat := fmt.Sprint("c", i%5)
		if err := q.Push(context.Background(), chat, func() {
			mu.Lock()
			got[chat] = append(got[chat], i)
			mu.Unlock()
		}); err != nil {
			t.Fatal(err)
		}
	}
	q.Wait()
	for chat, seq := range got {
		if len(seq) != 40 {
			t.Fatalf("%s ran %d jobs, want 40", chat, len(seq))
		}
		for j := 1; j < len(seq); j++ {
			if seq[j] < seq[j-1] {
				t.Fatalf("%s out of order: %v", chat, seq)
			}
		}
	}
}

func TestChatQueuesRunChatsInParallel(t *testing.T) {
	q := bot.NewChatQueues(8, 2)
	release := make(chan struct{})
	started := make(chan string, 2)
	for _, chat := range []string{"a", "b"} {
		if err := q.Push(context.Background(), chat, func() { started <- chat; <-release }); err != nil {
			t.Fatal(err)
		}
	}
	// Both chats' jobs run at once: neither waits for the other to finish.
	for range 2 {
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("a second chat waited for the first")
		}
	}
	close(release)
	q.Wait()
}

func TestChatQueuesBoundAndClose(t *testing.T) {
	q := bot.NewChatQueues(1, 1)
	block := make(chan struct{})
	if err := q.Push(context.Background(), "a", func() { <-block }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.Push(ctx, "b", func() {}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a full queue must make Push wait (and give up with its context): %v", err)
	}
	close(block)
	q.Close()
	if err := q.Push(context.Background(), "a", func() {}); !errors.Is(err, bot.ErrQueueClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

// TestChatQueuesBoundWorkers: no more jobs run at once than there are workers; the rest wait
// their turn, in order, and every idle worker leaves in the end (synctest fails the test if
// one is left behind).
func TestChatQueuesBoundWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := bot.NewChatQueues(100, 3)
		var mu sync.Mutex
		running, most := 0, 0
		for i := range 30 {
			if err := q.Push(context.Background(), fmt.Sprint("c", i%10), func() {
				mu.Lock()
				running++
				most = max(most, running)
				mu.Unlock()
				time.Sleep(time.Second)
				mu.Lock()
				running--
				mu.Unlock()
			}); err != nil {
				t.Fatal(err)
			}
		}
		q.Wait()
		if most != 3 {
			t.Fatalf("at most %d jobs ran at once, want 3", most)
		}
		time.Sleep(time.Minute) // idle workers leave
		if err := q.Push(context.Background(), "again", func() {}); err != nil {
			t.Fatal(err)
		}
		q.Close()
	})
}
