package payments_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"bpubot/bot/payments"
	"bpubot/models"
	"bpubot/models/modeltest"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func webhook(t *testing.T, db *models.DB) http.Handler {
	return &payments.Webhook{Intake: intake(t, db), Secret: secret, Window: 5 * time.Minute, MaxBody: 4096,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// post sends body signed at ts with key, and returns the status and the decoded reply.
func post(t *testing.T, h http.Handler, key []byte, ts time.Time, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/payments", strings.NewReader(body))
	req.Header.Set(payments.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(payments.HeaderSignature, payments.Sign(key, ts, []byte(body)))
	return send(t, h, req)
}

func send(t *testing.T, h http.Handler, req *http.Request) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var reply map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &reply); err != nil {
			t.Fatalf("reply %q: %v", rec.Body.String(), err)
		}
	}
	return rec.Code, reply
}

const goodBody = `{"reference": "TRX-1", "nik": "3201011203900001", "amount": 25200, "first_month": "2026-01",
	"last_month": "2026-02", "paid_at": "2026-01-05T10:30:00+07:00"}`

func TestWebhook(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		enrol(t, db, jan2026(nikBudi, "pedagang")) // January and February 2026: Rp16.800 each
		h := webhook(t, db)
		body := strings.Replace(goodBody, "25200", "33600", 1)

		t.Run("bad signature", func(t *testing.T) {
			code, reply := post(t, h, []byte("another secret, same length....."), now, body)
			if code != http.StatusUnauthorized || reply != nil {
				t.Fatalf("%d %v, want 401 and no detail", code, reply)
			}
			req := httptest.NewRequest(http.MethodPost, "/api/payments", strings.NewReader(body))
			if code, _ := send(t, h, req); code != http.StatusUnauthorized {
				t.Fatalf("unsigned: %d", code)
			}
		})
		t.Run("stale timestamp", func(t *testing.T) {
			for _, ts := range []time.Time{now.Add(-6 * time.Minute), now.Add(6 * time.Minute)} {
				if code, reply := post(t, h, secret, ts, body); code != http.StatusUnauthorized || reply != nil {
					t.Fatalf("signed at %v: %d %v", ts, code, reply)
				}
			}
		})
		t.Run("bad body", func(t *testing.T) {
			for _, c := range []struct{ body, code string }{
				{`{"reference": "X", "amout": 1}`, "body_invalid"},
				{`not json`, "body_invalid"},
				{strings.Replace(body, `"2026-01"`, `"Jan 2026"`, 1), "months_invalid"},
				{strings.Replace(body, `"2026-01-05T10:30:00+07:00"`, `"5 Jan"`, 1), "paid_at_invalid"},
				{strings.Replace(body, "33600", "30000", 1), "amount_mismatch"},
				{strings.Replace(body, "3201011203900001", "3201011203909999", 1), "nik_unknown"},
			} {
				code, reply := post(t, h, secret, now, c.body)
				if code != http.StatusBadRequest || reply["error"] != c.code || reply["message"] == "" {
					t.Errorf("%s: %d %v, want 400 %s", c.body, code, reply, c.code)
				}
				if msg, _ := reply["message"].(string); strings.Contains(msg, "3201011203909999") {
					t.Errorf("the NIK is echoed: %s", msg)
				}
			}
		})
		t.Run("too big", func(t *testing.T) {
			big := strings.Replace(body, "TRX-1", strings.Repeat("x", 5000), 1)
			if code, _ := post(t, h, secret, now, big); code != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d", code)
			}
		})
		t.Run("good payment, replay, duplicate reference", func(t *testing.T) {
			code, reply := post(t, h, secret, now, body)
			if code != http.StatusCreated || reply["status"] != "recorded" || reply["first_month"] != "2026-01" || reply["amount"] != 33600.0 {
				t.Fatalf("%d %v", code, reply)
			}
			// The same signed request again, inside the window: answered, nothing added.
			if code, reply := post(t, h, secret, now, body); code != http.StatusOK || reply["status"] != "duplicate" {
				t.Fatalf("replay: %d %v", code, reply)
			}
			// The provider retries later, signed anew: the reference makes it a duplicate.
			if code, reply := post(t, h, secret, now.Add(time.Minute), body); code != http.StatusOK || reply["status"] != "duplicate" {
				t.Fatalf("retry: %d %v", code, reply)
			}
			// Another payment under the same reference is refused.
			other := strings.Replace(strings.Replace(body, `"2026-01"`, `"2026-03"`, 1), `"2026-02"`, `"2026-04"`, 1)
			other = strings.Replace(other, "33600", "25200", 1)
			if code, reply := post(t, h, secret, now, other); code != http.StatusBadRequest || reply["error"] != "reference_taken" {
				t.Fatalf("reference reused: %d %v", code, reply)
			}
			n := modeltest.Count[models.Payment](t, db, "source = ?", models.PaymentWebhook)
			if n != 1 {
				t.Fatalf("%d webhook payments stored, want 1", n)
			}
		})
	})
}
