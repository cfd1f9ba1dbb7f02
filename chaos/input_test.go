package chaos

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"bpubot/bot/telegram/fakeapi"
)

const webhookSecret = "chaos-webhook-secret-0123456789"

// TestChaosBadInput sends what workers, broken clients and attackers may: very long texts,
// invalid UTF-8, zero-width and right-to-left characters, forged button presses and presses
// naming another chat, a 10 KB /start payload, and webhook requests that are 10 MB, not JSON,
// or without the right secret. bpubot answers each with the right status, replies to the
// worker where there is something to reply to, never panics, and its memory stays bounded.
func TestChaosBadInput(t *testing.T) {
	url := postgresURL(t)
	api := fakeapi.New(fakeapi.Options{})
	defer api.Close()
	s := newServe(t, api, url, "BPUBOT_TELEGRAM_MODE=webhook",
		"BPUBOT_TELEGRAM_WEBHOOK_URL=https://bot.example.org/telegram/webhook", "BPUBOT_TELEGRAM_WEBHOOK_SECRET="+webhookSecret)
	s.start()
	s.waitHTTP("/readyz", 200)
	hook := "http://" + s.addr + "/telegram/webhook"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	post := func(secret string, body []byte) int {
		t.Helper()
		status, err := api.PostWebhook(ctx, hook, secret, body)
		if err != nil {
			t.Fatalf("webhook: %v", err)
		}
		return status
	}
	// replied posts an update and waits for the bot's reply to the worker.
	u := api.User(880000001, "Rini")
	replied := func(what string, body []byte) fakeapi.Message {
		t.Helper()
		before := len(u.Messages())
		if status := post(webhookSecret, body); status != http.StatusOK {
			t.Fatalf("%s: status %d, want 200", what, status)
		}
		wctx, wcancel := context.WithTimeout(ctx, guard)
		defer wcancel()
		if err := api.Wait(wctx, func() bool { return len(u.Messages()) > before }); err != nil {
			t.Fatalf("%s: no reply", what)
		}
		return u.Messages()[len(u.Messages())-1]
	}

	_, start := u.TextUpdate("/start")
	menu := replied("/start", start)
	_, long := u.TextUpdate(strings.Repeat("tolong bantu saya daftar ", 164)[:4096])
	replied("a 4,096-character text", long)
	_, body := u.TextUpdate("halo INVALID kak")
	replied("invalid UTF-8", bytes.Replace(body, []byte("INVALID"), []byte("\xff\xfe\xc3"), 1))
	_, rtl := u.TextUpdate("\u200b\u200dda\u202eftar\u2069\ufeff")
	replied("zero-width and right-to-left characters", rtl)
	_, payload := u.TextUpdate("/start " + strings.Repeat("A", 10<<10))
	replied("a 10 KB /start payload", payload)

	// A press of a button that was never offered: an alert, nothing sent, nothing changed.
	sent := len(u.Messages())
	_, forged := api.NewUpdate(pressOf(u.ID, u.ID, menu.ID, "hapus_permanen", "forged-1"))
	if status := post(webhookSecret, forged); status != http.StatusOK {
		t.Fatalf("forged press: status %d", status)
	}
	// A press naming another worker's chat (a forged update): not handled at all.
	other := api.User(880000002, "Tono")
	_, foreign := api.NewUpdate(pressOf(other.ID, u.ID, menu.ID, "daftar", "forged-2"))
	if status := post(webhookSecret, foreign); status != http.StatusOK {
		t.Fatalf("press from another chat: status %d", status)
	}
	wctx, wcancel := context.WithTimeout(ctx, guard)
	defer wcancel()
	if err := api.Wait(wctx, func() bool { a, ok := api.Answer("forged-1"); return ok && a.ShowAlert }); err != nil {
		t.Error("the forged press got no alert")
	}
	if n := len(u.Messages()); n != sent || len(other.Messages()) != 0 {
		t.Errorf("forged presses made the bot send %d messages", n-sent+len(other.Messages()))
	}

	// What only a broken client or an attacker sends.
	huge := append([]byte(`{"update_id":1,"message":{"text":"`), bytes.Repeat([]byte("x"), 10<<20)...)
	for _, c := range []struct {
		what   string
		secret string
		body   []byte
		want   int
	}{
		{"10 MB body", webhookSecret, append(huge, `"}}`...), http.StatusBadRequest},
		{"malformed JSON", webhookSecret, []byte(`{"update_id": 12, "message": {`), http.StatusBadRequest},
		{"no secret", "", start, http.StatusUnauthorized},
		{"wrong secret", "not-the-secret", start, http.StatusUnauthorized},
	} {
		if got := post(c.secret, c.body); got != c.want {
			t.Errorf("%s: status %d, want %d", c.what, got, c.want)
		}
	}
	if s.status("/healthz") != http.StatusOK {
		t.Fatal("bpubot stopped answering")
	}
	rss := s.rssKB()
	s.stop()
	if s.panics > 0 {
		t.Errorf("bpubot panicked:\n%s", s.tail)
	}
	if rss > 200<<10 {
		t.Errorf("peak RSS %d MB: a large request is held in memory", rss>>10)
	}
	t.Logf("bad input: every case answered with the right status, no panic; peak RSS %d MB", rss>>10)
}

// pressOf builds the update of a press by user from of the button with data under message msg
// of chat's private chat; from and chat differ in a forged press.
func pressOf(from, chat int64, msg int, data, queryID string) func(id int64) any {
	return func(id int64) any {
		return map[string]any{"update_id": id, "callback_query": map[string]any{
			"id": queryID, "from": map[string]any{"id": from, "is_bot": false, "first_name": "X"},
			"chat_instance": fmt.Sprint("ci", chat), "data": data,
			"message": map[string]any{"message_id": msg, "date": time.Now().Unix(),
				"chat": map[string]any{"id": chat, "type": "private"}, "text": "?"},
		}}
	}
}
