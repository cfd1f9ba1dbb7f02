package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrQueueClosed refuses work pushed after ChatQueues.Close.
var ErrQueueClosed = errors.New("chat queue closed")

// ChatQueues runs jobs in order per chat, so one chat's messages are handled one after another
// in the order they came, and different chats in parallel on a bounded set of workers.
// Platforms hand messages over concurrently (go-telegram/bot) or need their event handler back
// quickly (whatsmeow); adapters push each message here in arrival order.
//
// At most room jobs wait or run at once; Push blocks beyond that, which slows the platform's
// side down instead of filling memory. At most workers jobs run at once: more would only wait
// for a database connection. Workers live on between jobs (an idle one leaves after a while),
// so a busy bot does not start, and grow the stack of, a goroutine for every message.
type ChatQueues struct {
	mu      sync.Mutex
	wake    *sync.Cond          // a chat became ready, or the queues closed
	pending map[string][]func() // chats with a job waiting or running, and their waiting jobs
	ready   []string            // chats with a job waiting and none running, oldest first
	workers int                 // started and not yet gone
	idle    int                 // of those, waiting for a ready chat
	max     int
	jobs    sync.WaitGroup // pushed and not yet run
	room    chan struct{}
	closed  bool
}

// idleWorker is how long a worker with nothing to do stays for the next job.
const idleWorker = 30 * time.Second

// NewChatQueues makes queues holding at most room jobs and running at most workers at once.
func NewChatQueues(room, workers int) *ChatQueues {
	q := &ChatQueues{pending: map[string][]func(){}, room: make(chan struct{}, max(room, 1)), max: max(workers, 1)}
	q.wake = sync.NewCond(&q.mu)
	return q
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
	q.jobs.Add(1)
	jobs, known := q.pending[chat]
	q.pending[chat] = append(jobs, job)
	if known {
		return nil // its worker, or its place in ready, takes it in turn
	}
	q.ready = append(q.ready, chat)
	switch {
	case q.idle > 0:
		q.wake.Signal()
	case q.workers < q.max:
		q.workers++
		go q.work()
	}
	return nil
}

// work runs ready chats' jobs, one job of a chat at a time, until it has been idle for
// idleWorker or the queues close.
func (q *ChatQueues) work() {
	var timer *time.Timer
	q.mu.Lock()
	for {
		if len(q.ready) == 0 {
			if q.closed {
				break
			}
			// A timer wakes every idle worker; the ones that still find nothing leave.
			if timer == nil {
				timer = time.AfterFunc(idleWorker, func() { q.mu.Lock(); q.wake.Broadcast(); q.mu.Unlock() })
			} else {
				timer.Reset(idleWorker)
			}
			waitFrom := time.Now()
			q.idle++
			q.wake.Wait()
			q.idle--
			if len(q.ready) == 0 && time.Since(waitFrom) >= idleWorker {
				break
			}
			continue
		}
		chat := q.ready[0]
		q.ready[0] = ""
		q.ready = q.ready[1:]
		jobs := q.pending[chat]
		job := jobs[0]
		jobs[0] = nil
		q.pending[chat] = jobs[1:]
		q.mu.Unlock()

		job()
		<-q.room
		q.jobs.Done()

		q.mu.Lock()
		if len(q.pending[chat]) == 0 {
			delete(q.pending, chat)
		} else {
			q.ready = append(q.ready, chat) // behind the chats that waited meanwhile
		}
	}
	q.workers--
	q.mu.Unlock()
	if timer != nil {
		timer.Stop()
	}
}

// Wait returns when every job queued so far has run; new jobs are still taken.
func (q *ChatQueues) Wait() { q.jobs.Wait() }

// Close refuses further jobs and returns when every queued one has run.
func (q *ChatQueues) Close() {
	q.mu.Lock()
	q.closed = true
	q.wake.Broadcast()
	q.mu.Unlock()
	q.jobs.Wait()
}
