package telegram_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
)

// sender is a channel used only to send, against the fake API through the real client.
func sender(t *testing.T) (*telegram.Channel, *fakeapi.Server, *atomic.Pointer[fakeapi.Error]) {
	t.Helper()
	api := fakeapi.New(fakeapi.Options{})
	t.Cleanup(api.Close)
	var fail atomic.Pointer[fakeapi.Error]
	api.Fail(func(c fakeapi.Call) *fakeapi.Error {
		if c.Method != "sendMessage" {
			return nil
		}
		return fail.Load()
	})
	ch, err := telegram.New(telegram.Config{Token: fakeapi.Token, ServerURL: api.URL}, nil, telegram.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	return ch, api, &fail
}

func TestSendMapsErrors(t *testing.T) {
	ch, _, fail := sender(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		fail  *fakeapi.Error
		check func(error) bool
	}{
		{"ok", nil, func(err error) bool { return err == nil }},
		{"429", &fakeapi.Error{Code: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7}, func(err error) bool {
			var r *bot.RetryAfterError
			return errors.As(err, &r) && r.After == 7*time.Second && !r.Global
		}},
		{"blocked", &fakeapi.Error{Code: 403, Description: "Forbidden: bot was blocked by the user"}, isUnreachable},
		{"deactivated", &fakeapi.Error{Code: 403, Description: "Forbidden: user is deactivated"}, isUnreachable},
		{"no such chat", &fakeapi.Error{Code: 400, Description: "Bad Request: chat not found"}, isUnreachable},
		{"bad message", &fakeapi.Error{Code: 400, Description: "Bad Request: can't parse entities"}, isPermanent},
		{"server error", &fakeapi.Error{Code: 500, Description: "Internal Server Error"}, isTransient},
		{"bad gateway", &fakeapi.Error{Code: 502, Description: "Bad Gateway"}, isTransient},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fail.Store(tt.fail)
			// A chat of its own each, so the 429 is not taken as the second chat of a flood.
			err := ch.Send(ctx, bot.Outgoing{OutboxID: int64(i), Recipient: "7" + string(rune('0'+i)), Reply: bot.Reply{Text: "halo"}})
			if !tt.check(err) {
				t.Fatalf("Send: %v (%T)", err, err)
			}
		})
	}
	fail.Store(nil)

	// Not a chat id, or nothing to say: never sent.
	for _, msg := range []bot.Outgoing{{Recipient: "budi", Reply: bot.Reply{Text: "x"}}, {Recipient: "1", Reply: bot.Reply{Text: "  "}}} {
		if err := ch.Send(ctx, msg); !isPermanent(err) {
			t.Errorf("Send(%+v): %v, want permanent", msg, err)
		}
	}
}

func TestSendNetworkErrorIsTransient(t *testing.T) {
	api := fakeapi.New(fakeapi.Options{})
	api.Close() // nobody listens there any more
	ch, err := telegram.New(telegram.Config{Token: fakeapi.Token, ServerURL: api.URL}, nil, telegram.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Send(context.Background(), bot.Outgoing{Recipient: "1", Reply: bot.Reply{Text: "halo"}}); !isTransient(err) {
		t.Fatalf("Send to a closed server: %v", err)
	}
}

// TestFloodScope: a 429 is about its chat, unless it is a bulk message or a second chat is
// refused while the first one waits: then the whole bot is over its limit.
func TestFloodScope(t *testing.T) {
	ch, _, fail := sender(t)
	fail.Store(&fakeapi.Error{Code: 429, Description: "Too Many Requests: retry after 5", RetryAfter: 5})
	global := func(rcpt string, bulk bool) bool {
		t.Helper()
		var r *bot.RetryAfterError
		if err := ch.Send(context.Background(), bot.Outgoing{Recipient: rcpt, Reply: bot.Reply{Text: "x"}, Bulk: bulk}); !errors.As(err, &r) {
			t.Fatalf("Send: %v", err)
		}
		return r.Global
	}
	if global("1", false) {
		t.Error("first chat's 429 taken as global")
	}
	if global("1", false) {
		t.Error("the same chat again taken as global")
	}
	if !global("2", false) {
		t.Error("a second chat's 429 within the first one's wait not taken as global")
	}
	if !global("3", true) {
		t.Error("a bulk message's 429 not taken as global")
	}
}

// TestLongMessage: a text over 4,096 characters goes in parts, the keyboard under the last;
// a retry after a failed part does not send the earlier parts again.
func TestLongMessage(t *testing.T) {
	ch, api, fail := sender(t)
	text := strings.Repeat(strings.Repeat("a", 79)+"\n", 80) // 6,400 characters
	out := bot.Outgoing{OutboxID: 9, Recipient: "5", Reply: bot.Reply{Text: text, Choices: []bot.Choice{{Label: "OK", Value: "ok"}}}}
	calls := 0
	api.Fail(func(c fakeapi.Call) *fakeapi.Error {
		if c.Method != "sendMessage" {
			return nil
		}
		calls++
		if calls == 2 {
			return &fakeapi.Error{Code: 502, Description: "Bad Gateway"}
		}
		return fail.Load()
	})
	if err := ch.Send(context.Background(), out); !isTransient(err) {
		t.Fatalf("first attempt: %v, want the transient failure of part 2", err)
	}
	if err := ch.Send(context.Background(), out); err != nil {
		t.Fatalf("retry: %v", err)
	}
	msgs := api.Messages(5)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2 parts once each", len(msgs))
	}
	if len(msgs[0].Buttons) != 0 || !msgs[1].HasData("ok") {
		t.Fatalf("keyboard not under the last part: %+v", msgs)
	}
	if got := msgs[0].Text + "\n" + msgs[1].Text; got != text {
		t.Fatal("parts do not add up to the text")
	}
}

// TestChoiceTooLongForAButton: a choice value Telegram cannot carry as callback data still
// reaches the worker, as a numbered line.
func TestChoiceTooLongForAButton(t *testing.T) {
	ch, api, _ := sender(t)
	reply := bot.Reply{Text: "Pilih:", Lang: "id", Choices: []bot.Choice{{Label: "Pendek", Value: "a"}, {Label: "Panjang", Value: strings.Repeat("b", 65)}}}
	if err := ch.Send(context.Background(), bot.Outgoing{Recipient: "6", Reply: reply}); err != nil {
		t.Fatal(err)
	}
	m := api.Messages(6)[0]
	if len(m.Buttons) != 0 || m.Text != bot.NumberedText(reply) {
		t.Fatalf("sent %+v", m)
	}
}

func TestLimits(t *testing.T) {
	ch, err := telegram.New(telegram.Config{Token: fakeapi.Token, RateLimit: 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := ch.Limits()
	if l.PerSecond != 20 || l.Burst < 1 || l.Burst > 5 || l.PerChatInterval != time.Second {
		t.Fatalf("limits %+v", l)
	}
}

func isUnreachable(err error) bool { return errors.Is(err, bot.ErrUnreachable) }

func isPermanent(err error) bool {
	var p *bot.PermanentError
	return errors.As(err, &p)
}

// isTransient is an error the dispatcher retries with backoff.
func isTransient(err error) bool {
	var r *bot.RetryAfterError
	return err != nil && !isPermanent(err) && !isUnreachable(err) && !errors.As(err, &r)
}
