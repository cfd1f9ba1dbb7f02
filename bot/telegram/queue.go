package telegram

import (
	"context"
	"sync"
)

// chatQueues runs jobs in order per chat, each chat in its own goroutine while it has work, so
// one chat's messages are handled one after another in the order they came, and different
// chats in parallel. go-telegram/bot hands updates over one at a time (WithNotAsyncHandlers):
// the order jobs are pushed in is the order Telegram sent them.
//
// At most room jobs wait or run at once; push blocks beyond that, which slows the poller (or
// the webhook's caller) down instead of filling memory.
type chatQueues struct {
	mu      sync.Mutex
	pending map[string][]func()
	running sync.WaitGroup
	room    chan struct{}
	closed  bool
}

func newChatQueues(room int) *chatQueues {
	return &chatQueues{pending: map[string][]func(){}, room: make(chan struct{}, room)}
}

// push queues job behind chat's earlier ones. It fails when ctx ends while waiting for room,
// or after close.
func (q *chatQueues) push(ctx context.Context, chat string, job func()) error {
	select {
	case q.room <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		<-q.room
		return errShuttingDown
	}
	jobs, busy := q.pending[chat]
	q.pending[chat] = append(jobs, job)
	if !busy {
		q.running.Add(1)
		go q.drain(chat)
	}
	return nil
}

func (q *chatQueues) drain(chat string) {
	defer q.running.Done()
	for {
		q.mu.Lock()
		jobs := q.pending[chat]
		if len(jobs) == 0 {
			delete(q.pending, chat)
			q.mu.Unlock()
			return
		}
		job := jobs[0]
		jobs[0] = nil
		q.pending[chat] = jobs[1:]
		q.mu.Unlock()
		job()
		<-q.room
	}
}

// close refuses further jobs and returns when every queued one has run.
func (q *chatQueues) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.running.Wait()
}
