// Package loadtest drives simulated workers through the whole Telegram sign-up against a
// running bot and the fake Bot API (fakeapi), and measures what they see: messages per second,
// reply latency, errors, and the outbound rate the fake received.
//
// Each worker behaves as a person would: it answers a question only after it has arrived and
// after a moment's thought (Options.Think: between one and two times it), so the bot's
// one-message-a-second limit per chat does not count as latency. Half the workers press the buttons offered and share their
// contact; the other half type every answer.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bpubot/bot/telegram/fakeapi"
	"bpubot/locales"
)

// Options are what the load command sets.
type Options struct {
	Users       int           // workers that sign up
	Concurrency int           // workers signing up at once
	Think       time.Duration // from a question arriving to the answer: one to two times this; default 1s
	StepTimeout time.Duration // waiting for a reply before the worker counts an error; default 30s
	// Ramp spreads the start of the first Concurrency workers evenly over this time. Without
	// it they all start within the first 2×Think and stay roughly in step through the sign-up,
	// so every step (the heavy last one too) arrives as a wave, as after a broadcast.
	Ramp time.Duration
	// Progress, when set, gets a line every few seconds.
	Progress io.Writer
	// AnyReply takes any message as the answer to a step: for a bot that only echoes (the
	// transport's ceiling), which does not know the sign-up.
	AnyReply bool
}

// Report is what a run measured.
type Report struct {
	Users, Completed int
	Inbound          int // messages and button presses the workers sent
	Replies          int // messages they received
	Extra            int // messages beyond the one expected after an answer
	Elapsed          time.Duration
	InboundPerSec    float64
	// Reply latency: from an update being handed to the bot to the first message it caused
	// arriving at the fake API.
	P50, P95, P99, Max time.Duration
	Errors             int
	FirstErrors        []string
	// Outbound: the most messages the fake API received in any one-second window, how many
	// it refused for going over the limit, sent before a retry_after ran out, or sent to one
	// chat less than a second apart.
	MaxOutPerSec               int
	OverLimit, Early, TooClose int
	// StepP99 is the p99 reply latency of each sign-up step, in order (step 1 is /start).
	StepP99 []time.Duration
}

const keepErrors = 10

// Run runs the workers until all are done or ctx ends. api is the fake the bot is connected to.
func Run(ctx context.Context, api *fakeapi.Server, o Options) (Report, error) {
	if o.Users <= 0 || o.Concurrency <= 0 {
		return Report{}, errors.New("loadtest: users and concurrency must be above 0")
	}
	if o.Think <= 0 {
		o.Think = time.Second
	}
	if o.StepTimeout <= 0 {
		o.StepTimeout = 30 * time.Second
	}
	r := &run{api: api, o: o, boxes: map[int64]chan fakeapi.Message{}}
	api.OnSend(r.deliver)
	defer api.OnSend(nil)

	base := 1_000_000_000 + rand.Int64N(1_000_000_000) // new chats on every run
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	stopProgress := r.progress(start)
	slots := min(o.Concurrency, o.Users)
	for slot := range slots {
		wg.Go(func() {
			if o.Ramp > 0 {
				select {
				case <-time.After(o.Ramp * time.Duration(slot) / time.Duration(slots)):
				case <-ctx.Done():
				}
			}
			for i := range next {
				w := newWorker(r, base+int64(i), i%2 == 0)
				if err := w.signUp(ctx); err != nil {
					r.fail(err)
				} else {
					r.completed.Add(1)
				}
			}
		})
	}
feed:
	for i := range o.Users {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	stopProgress()
	elapsed := time.Since(start)

	rep := Report{
		Users: o.Users, Completed: int(r.completed.Load()), Inbound: int(r.inbound.Load()),
		Replies: int(r.replies.Load()), Extra: int(r.extra.Load()), Elapsed: elapsed,
		Errors: int(r.errors.Load()), MaxOutPerSec: api.MaxPerSecond(), TooClose: api.TooClose(),
	}
	rep.OverLimit, rep.Early = api.Violations()
	rep.InboundPerSec = float64(rep.Inbound) / elapsed.Seconds()
	r.mu.Lock()
	lat := r.latencies
	rep.FirstErrors = r.firstErrors
	for _, l := range r.steps {
		if len(l) == 0 {
			break
		}
		slices.Sort(l)
		rep.StepP99 = append(rep.StepP99, pct(l, 99))
	}
	r.mu.Unlock()
	slices.Sort(lat)
	if len(lat) > 0 {
		rep.P50, rep.P95, rep.P99, rep.Max = pct(lat, 50), pct(lat, 95), pct(lat, 99), lat[len(lat)-1]
	}
	return rep, ctx.Err()
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)]
}

// Print writes the report for people.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "workers          %d signed up of %d\n", r.Completed, r.Users)
	fmt.Fprintf(w, "inbound          %d messages in %s: %.0f msg/s\n", r.Inbound, r.Elapsed.Round(time.Millisecond), r.InboundPerSec)
	fmt.Fprintf(w, "reply latency    p50 %s  p95 %s  p99 %s  max %s\n", ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max))
	fmt.Fprintf(w, "replies          %d (%d beyond the one expected)\n", r.Replies, r.Extra)
	fmt.Fprintf(w, "errors           %d\n", r.Errors)
	for _, e := range r.FirstErrors {
		fmt.Fprintf(w, "  %s\n", e)
	}
	fmt.Fprintf(w, "outbound         at most %d msg/s in any one-second window; refused over the limit %d; before retry_after %d; <1s apart in a chat %d\n",
		r.MaxOutPerSec, r.OverLimit, r.Early, r.TooClose)
	if len(r.StepP99) > 0 {
		steps := make([]string, len(r.StepP99))
		for i, d := range r.StepP99 {
			steps[i] = fmt.Sprintf("%d:%.0f", i+1, float64(d)/float64(time.Millisecond))
		}
		fmt.Fprintf(w, "p99 by step (ms) %s\n", strings.Join(steps, " "))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// run is the state shared by the workers.
type run struct {
	api *fakeapi.Server
	o   Options

	boxMu sync.RWMutex
	boxes map[int64]chan fakeapi.Message // each worker's incoming messages

	inbound, replies, extra, errors, completed atomic.Int64

	mu          sync.Mutex
	latencies   []time.Duration
	steps       [][]time.Duration // latencies by sign-up step
	firstErrors []string
}

// deliver passes a message the bot sent to its worker (the fake's OnSend).
func (r *run) deliver(m fakeapi.Message) {
	r.boxMu.RLock()
	box := r.boxes[m.ChatID]
	r.boxMu.RUnlock()
	if box == nil {
		return
	}
	select {
	case box <- m:
	default: // the worker is not reading: it already failed
	}
}

func (r *run) fail(err error) {
	r.errors.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.firstErrors) < keepErrors {
		r.firstErrors = append(r.firstErrors, err.Error())
	}
}

func (r *run) latency(step int, d time.Duration) {
	r.mu.Lock()
	r.latencies = append(r.latencies, d)
	for len(r.steps) <= step {
		r.steps = append(r.steps, nil)
	}
	r.steps[step] = append(r.steps[step], d)
	r.mu.Unlock()
}

func (r *run) progress(start time.Time) (stop func()) {
	if r.o.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		last, lastAt := int64(0), start
		seen := 0 // latencies already reported
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				n := r.inbound.Load()
				r.mu.Lock()
				window := slices.Clone(r.latencies[seen:])
				seen = len(r.latencies)
				r.mu.Unlock()
				slices.Sort(window)
				var p99 time.Duration
				if len(window) > 0 {
					p99 = pct(window, 99)
				}
				fmt.Fprintf(r.o.Progress, "%6.0fs  %d/%d signed up  %.0f msg/s  p99 %s  errors %d\n", now.Sub(start).Seconds(),
					r.completed.Load(), r.o.Users, float64(n-last)/now.Sub(lastAt).Seconds(), ms(p99), r.errors.Load())
				last, lastAt = n, now
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// worker is one simulated worker.
type worker struct {
	r       *run
	user    *fakeapi.User
	buttons bool // press buttons and share the contact; else type everything
	box     chan fakeapi.Message
	last    fakeapi.Message // the newest message from the bot
}

func newWorker(r *run, id int64, buttons bool) *worker {
	w := &worker{r: r, user: r.api.User(id, firstNames[rand.IntN(len(firstNames))]), buttons: buttons, box: make(chan fakeapi.Message, 16)}
	r.boxMu.Lock()
	r.boxes[id] = w.box
	r.boxMu.Unlock()
	return w
}

// step is one answer and the start of the message it should bring.
type step struct {
	press string // callback data to press under the last message, when the worker uses buttons
	text  string // what to type otherwise
	want  string
}

// signUp goes through the whole sign-up.
func (w *worker) signUp(ctx context.Context) error {
	defer func() {
		w.r.boxMu.Lock()
		delete(w.r.boxes, w.user.ID)
		w.r.boxMu.Unlock()
	}()
	name := firstNames[rand.IntN(len(firstNames))] + " " + lastNames[rand.IntN(len(lastNames))]
	steps := []step{
		{text: "/start", want: say("menu.greeting")},
		{press: "daftar", text: "daftar", want: say("signup.ask_consent")},
		{press: "setuju", text: "setuju", want: say("signup.ask_name")},
		{text: name, want: say("signup.ask_nik")},
		{text: randomNIK(), want: say("signup.ask_nik_confirm")},
		{press: "ya", text: "ya", want: say("signup.ask_phone")},
		{text: randomPhone(), want: say("signup.ask_occupation")}, // shared as a contact with buttons
		{press: "ojol", text: "ojol", want: say("signup.ask_province")},
		{text: "jawa barat", want: say("signup.ask_city")},
		{text: "kota bandung", want: say("signup.ask_partner")},
		{press: "-", text: "ga ada", want: say("signup.ask_income")},
		{press: "2000000", text: "2500000", want: say("signup.ask_package")},
		{press: "jkk_jkm", text: "1", want: say("signup.ask_period")},
		{press: "3", text: "1", want: say("signup.summary")},
		{press: "konfirmasi", text: "konfirmasi", want: say("signup.done")},
	}
	for i, s := range steps {
		// A person reads the question, then answers: after one to two times Think. The first
		// message waits up to twice Think too, so the workers started together do not all
		// write at the same instants.
		pause := w.r.o.Think + rand.N(w.r.o.Think+1)
		if i == 0 {
			pause = rand.N(2*w.r.o.Think + 1)
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return ctx.Err()
		}
		// What came after the expected message (nothing, normally) is not an answer to this step.
		for drained := false; !drained; {
			select {
			case <-w.box:
				w.r.extra.Add(1)
			default:
				drained = true
			}
		}
		sent := time.Now()
		switch {
		case w.buttons && s.press != "" && w.last.HasData(s.press):
			w.user.Press(w.last, s.press)
		case w.buttons && i == 6:
			w.user.Contact("62"+s.text[1:], w.user.ID) // as Telegram writes it: 628…
		default:
			w.user.Text(s.text)
		}
		w.r.inbound.Add(1)
		if err := w.await(ctx, i, s, sent); err != nil {
			return err
		}
	}
	return nil
}

// await waits for the reply to step i. The same message as the last one again (sent twice: a
// process died between sending it and recording that) is counted as an extra, not taken for
// the answer.
func (w *worker) await(ctx context.Context, i int, s step, sent time.Time) error {
	timer := time.NewTimer(w.r.o.StepTimeout)
	defer timer.Stop()
	for {
		select {
		case m := <-w.box:
			if !w.r.o.AnyReply && w.last.Text != "" && m.Text == w.last.Text && !strings.Contains(m.Text, s.want) {
				w.r.extra.Add(1)
				continue
			}
			w.r.replies.Add(1)
			w.r.latency(i, m.At.Sub(sent))
			if !w.r.o.AnyReply && !strings.Contains(m.Text, s.want) {
				return fmt.Errorf("worker %d, step %d: got %q, want %q", w.user.ID, i+1, clip(m.Text), s.want)
			}
			w.last = m
			return nil
		case <-timer.C:
			return fmt.Errorf("worker %d, step %d: no reply in %s", w.user.ID, i+1, w.r.o.StepTimeout)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func say(key string) string {
	s := locales.Text("id", key)
	s, _, _ = strings.Cut(s, "{")
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// randomNIK makes a valid NIK from Jawa Barat (province 32) of a man born 1970–1999; the
// chance that two runs meet the same one is negligible.
func randomNIK() string {
	return fmt.Sprintf("32%02d%02d%02d%02d%02d%04d", 1+rand.IntN(29), 1+rand.IntN(40), 1+rand.IntN(28),
		1+rand.IntN(12), 70+rand.IntN(30), 1+rand.IntN(9999))
}

func randomPhone() string { return fmt.Sprintf("0812%08d", rand.IntN(100_000_000)) }

var (
	firstNames = []string{"Budi", "Siti", "Agus", "Dewi", "Eko", "Sri", "Joko", "Rina", "Andi", "Wati", "Dedi", "Yuni", "Ahmad", "Nur", "Bambang", "Lestari"}
	lastNames  = []string{"Santoso", "Rahmawati", "Saputra", "Lestari", "Hidayat", "Wulandari", "Pratama", "Kusuma", "Nugroho", "Setiawan", "Susanti", "Purnomo"}
)
