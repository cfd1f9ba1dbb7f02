package bot

import (
	"context"
	"errors"
	"sync"
)

// ErrQueueClosed refuses work pushed after ChatQueues.Close.
var ErrQueueClosed = errors.New("chat queue closed")

// ChatQueues runs jobs in order per chat, each chat in its own goroutine while it has work, so
// one chat's messages are handled one after another in the order they came, and different
// chats in parallel. Platforms hand messages over concurrently (go-telegram/bot) or need their
// event handler back quickly (whatsmeow); adapters push each message here in arrival order.
//
// At most room jobs wait or run at once; Push blocks beyond that, which slows the platform's
// side down instead of filling memory.
type ChatQueues struct {
	mu      sync.Mutex
	pending map[string][]func()
	running sync.WaitGroup
	room    chan struct{}
	closed  bool
}

// NewChatQueues makes queues holding at most room jobs.
func NewChatQueues(room int) *ChatQueues {
	if room < 1 {
		room = 1
	}
	return &ChatQueues{pending: map[string][]func(){}, room: make(chan struct{}, room)}
}

// Push queues job behind chat's earlier ones. It fails when ctx ends while waiting for room,
// or after Close.
func (q *ChatQueues) Push(ctx context.Context, chat string, job func()) error {
	select {
	case q.room <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		<-q.room
		return ErrQueueClosed
	}
	jobs, busy := q.pending[chat]
	q.pending[chat] = append(jobs, job)
	if !busy {
		q.running.Add(1)
		go q.drain(chat)
	}
	return nil
}

func (q *ChatQueues) drain(chat string) {
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

// Wait returns when every job queued so far has run; new jobs are still taken.
func (q *ChatQueues) Wait() { q.running.Wait() }

// Close refuses further jobs and returns when every queued one has run.
func (q *ChatQueues) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.running.Wait()
}
