package telegram

import (
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
//   - 503 while shutting down: Telegram tries again later, perhaps reaching another process;
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
		done, err := c.accept(r.Context(), &upd)
		switch {
		case errors.Is(err, errShuttingDown):
			c.metrics.refused.WithLabelValues("shutting_down").Inc()
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		case err != nil:
			return // the request ended while waiting for room: Telegram will try again
		}
		if done != nil {
			select {
			case <-done:
			case <-r.Context().Done():
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}
