package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-telegram/bot/models"
)

// maxUpdateBytes bounds a webhook request body; text updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// WebhookHandler is the webhook route (POST WebhookPath). It answers:
//   - 401 to a request without Telegram's X-Telegram-Bot-Api-Secret-Token, or with a wrong
//     one. go-telegram/bot's own handler answers 200 and drops the update, which hides a
//     misconfigured proxy and tells a prober nothing is wrong;
//   - 400 to a body that is not an update;
//   - 503 while shutting down, when no room frees up in time, or when the update could not be
//     committed (the database is away): Telegram tries again later, perhaps reaching another
//     process;
//   - 200 once the update is handled (the replies are in the outbox). A process that dies
//     first leaves the update unconfirmed and Telegram delivers it again; the engine
//     recognises it if it was handled after all.
func (c *Channel) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if c.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.cfg.WebhookSecret)) != 1 {
			c.metrics.refused.WithLabelValues("secret").Inc()
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var upd models.Update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateBytes)).Decode(&upd); err != nil {
			c.metrics.refused.WithLabelValues("body").Inc()
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		// Waiting for room, and between tries while the database is away, is bounded by the
		// request: once Telegram gives up on it, it sends the update again later.
		ctx, cancel := context.WithTimeout(r.Context(), c.handleTimeout)
		defer cancel()
		h, err := c.accept(ctx, &upd)
		switch {
		case errors.Is(err, errShuttingDown):
			c.metrics.refused.WithLabelValues("shutting_down").Inc()
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		case err != nil:
			c.metrics.refused.WithLabelValues("busy").Inc()
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if h != nil && !h.wait() {
			c.metrics.refused.WithLabelValues("not_committed").Inc()
			http.Error(w, "not handled, send it again", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
