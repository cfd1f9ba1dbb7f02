package bot_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

func text(chat, id, body string) bot.Inbound {
	return bot.Inbound{Channel: "test", ChatID: chat, UserID: chat, ExternalID: id, Kind: bot.KindText, Text: body}
}

func countOutbox(t *testing.T, db *models.DB, chat string) int64 {
	t.Helper()
	return modeltest.Count[models.Outbox](t, db, "recipient = ?", chat)
}

func conversation(t *testing.T, db *models.DB, chat string) models.Conversation {
	t.Helper()
	return modeltest.One[models.Conversation](t, db, "channel = ? AND chat_id = ?", "test", chat)
}

func TestHandleDuplicateSequential(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		ctx := context.Background()
		first, err := e.Handle(ctx, text("c1", "42", "daftar"))
		if err != nil || first.Duplicate || len(first.Replies) == 0 {
			t.Fatalf("first: %+v, %v", first, err)
		}
		second, err := e.Handle(ctx, text("c1", "42", "daftar"))
		if err != nil || !second.Duplicate || len(second.Replies) != 0 {
			t.Fatalf("redelivery: %+v, %v", second, err)
		}
		if n := countOutbox(t, db, "c1"); n != int64(len(first.Replies)) {
			t.Fatalf("outbox rows = %d, want %d", n, len(first.Replies))
		}
		// The same id on another channel is another message.
		other := text("c1", "42", "daftar")
		other.Channel = "other"
		if r, err := e.Handle(ctx, other); err != nil || r.Duplicate {
			t.Fatalf("other channel: %+v, %v", r, err)
		}
	})
}

func TestHandleDuplicateConcurrent(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		ctx := context.Background()
		const n = 12
		var wg sync.WaitGroup
		results := make([]bot.Result, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = e.Handle(ctx, text("c1", "same-update", "daftar"))
			}()
		}
		wg.Wait()
		handled := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("handle %d: %v", i, errs[i])
			}
			if !results[i].Duplicate {
				handled++
			}
		}
		if handled != 1 {
			t.Fatalf("handled %d times, want once", handled)
		}
		if got := countOutbox(t, db, "c1"); got != 1 {
			t.Fatalf("outbox rows = %d, want 1", got)
		}
	})
}

// TestOneUserIsSerialised sends many bad answers from one worker at once: each is counted, so
// no two were handled on the same stored state.
func TestOneUserIsSerialised(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		ctx := context.Background()
		for i, msg := range []string{"daftar", "setuju", "Budi Santoso"} {
			if _, err := e.Handle(ctx, text("c1", fmt.Sprint("s", i), msg)); err != nil {
				t.Fatal(err)
			}
		}
		const n = 20
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.Handle(ctx, text("c1", fmt.Sprint("bad", i), "123")); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		c := conversation(t, db, "c1")
		if c.State != "nik" || c.Failures != n {
			t.Fatalf("state %q failures %d, want nik and %d", c.State, c.Failures, n)
		}
	})
}

// TestManyUsersAtOnce runs 50 workers through the first sign-up steps concurrently.
func TestManyUsersAtOnce(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		ctx := context.Background()
		const users = 50
		steps := []string{"daftar", "setuju", "Budi Santoso", "", "ya", "081234567890", "ojol", "jawa barat", "Kab. Bogor"}
		var wg sync.WaitGroup
		for u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				chat := fmt.Sprintf("user-%02d", u)
				for i, msg := range steps {
					if msg == "" {
						msg = fmt.Sprintf("32010112039%05d", u+1) // a different valid NIK per worker
					}
					if _, err := e.Handle(ctx, text(chat, fmt.Sprint(chat, "-", i), msg)); err != nil {
						t.Errorf("%s step %d: %v", chat, i, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		for u := range users {
			c := conversation(t, db, fmt.Sprintf("user-%02d", u))
			if c.State != "partner" {
				t.Errorf("user %d at %q, want partner", u, c.State)
			}
		}
	})
}

type failingFlows struct{}

func (failingFlows) Handle(context.Context, *bot.Session) error { return errors.New("boom") }

func TestFlowErrorRollsBackAndApologises(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e := &bot.Engine{DB: db, Flows: failingFlows{}, Clock: flowtest.NewClock(flowtest.Start)}
		ctx := context.Background()
		if _, err := e.Handle(ctx, text("c1", "1", "hi")); err == nil {
			t.Fatal("want the flow's error")
		}
		rows := modeltest.Rows[models.Outbox](t, db, "")
		if len(rows) != 1 || rows[0].Recipient != "c1" {
			t.Fatalf("outbox = %+v, want one apology", rows)
		}
		seen := modeltest.Count[models.ProcessedInbound](t, db, "")
		if seen != 0 {
			t.Fatal("a failed message must stay unprocessed so a redelivery is handled")
		}
		convs := modeltest.Count[models.Conversation](t, db, "")
		if convs != 0 {
			t.Fatal("the failed transaction left a conversation behind")
		}
	})
}

func TestNumberedChoiceIsMapped(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		ctx := context.Background()
		if _, err := e.Handle(ctx, bot.Inbound{Channel: "test", ChatID: "c1", ExternalID: "0", Kind: bot.KindStart}); err != nil {
			t.Fatal(err)
		}
		// "1" is the first menu choice: sign up.
		if _, err := e.Handle(ctx, text("c1", "1", "1")); err != nil {
			t.Fatal(err)
		}
		if c := conversation(t, db, "c1"); c.Flow != "signup" || c.State != "consent" {
			t.Fatalf("flow %q state %q, want signup/consent", c.Flow, c.State)
		}
	})
}

var quietLog = slog.New(slog.DiscardHandler)

// panicky is a flow with a bug that panics on one message.
type panicky struct{ bot.Flows }

func (p panicky) Handle(ctx context.Context, s *bot.Session) error {
	if s.In.Text == "boom" {
		s.Say(bot.Reply{Text: "half-way"})
		panic("flow bug")
	}
	return p.Flows.Handle(ctx, s)
}

// A flow that panics fails that message only: nothing of it is stored, the worker gets the
// apology, and the chat goes on.
func TestHandlePanicFailsOneMessage(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		e.Flows = panicky{flowtest.Router(t)}
		e.Log = quietLog
		ctx := context.Background()
		if _, err := e.Handle(ctx, text("c1", "1", "daftar")); err != nil {
			t.Fatal(err)
		}
		before := conversation(t, db, "c1")
		rows := countOutbox(t, db, "c1")
		if _, err := e.Handle(ctx, text("c1", "2", "boom")); err == nil {
			t.Fatal("a panicking flow reported success")
		}
		after := conversation(t, db, "c1")
		if after.State != before.State || after.Slots != before.Slots || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Fatalf("conversation changed by the failed message: %+v -> %+v", before, after)
		}
		got := modeltest.Rows[models.Outbox](t, db, "recipient = ?", "c1")[rows:]
		if len(got) != 1 || strings.Contains(got[0].Payload, "half-way") {
			t.Fatalf("after the panic the outbox got %+v, want the apology only", got)
		}
		seen := modeltest.Count[models.ProcessedInbound](t, db, "external_id = ?", "2")
		if seen != 0 {
			t.Fatal("the failed message is recorded as handled")
		}
		if _, err := e.Handle(ctx, text("c1", "3", "setuju")); err != nil {
			t.Fatalf("the chat after a panic: %v", err)
		}
	})
}

// TestDefaultLang: conversation.default_lang reaches the engine: a new conversation whose
// channel names no language we speak starts in it; one that names a language keeps it.
func TestDefaultLang(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		e.DefaultLang = "en"
		ctx := context.Background()
		for _, c := range []struct{ chat, lang, want string }{
			{"none", "", "en"},
			{"unknown", "fr", "en"},
			{"named", "id", "id"},
		} {
			in := text(c.chat, c.chat, "halo")
			in.Lang = c.lang
			res, err := e.Handle(ctx, in)
			if err != nil || len(res.Replies) == 0 {
				t.Fatalf("%s: %+v, %v", c.chat, res, err)
			}
			if got := conversation(t, db, c.chat).Lang; got != c.want || res.Replies[0].Lang != c.want {
				t.Errorf("%s: conversation in %q, replies in %q; want %q", c.chat, got, res.Replies[0].Lang, c.want)
			}
		}
	})
}
