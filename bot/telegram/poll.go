package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

// Long polling, bpubot's own loop rather than go-telegram/bot's: the library asks for the next
// updates (and so confirms the last ones to Telegram, which then forgets them) as soon as it
// has passed them on, while they may still be waiting in a chat's queue; a process that died
// then lost them. This loop confirms a batch only once every update in it has been through the
// engine, whose transaction records it: an update a dying process held is delivered again at
// the next start, and the engine recognises it if it was handled after all.
//
// The price is that the next batch is asked for once the last one is handled: a few
// milliseconds per batch, each batch holding every update that came meanwhile (up to 100).

// pollLimit is how many updates one getUpdates returns at most (Telegram's own maximum).
const pollLimit = 100

// maxPollBackoff is the longest wait between failed polls.
const maxPollBackoff = 5 * time.Second

// poll takes updates until ctx ends, then confirms the last batch handled.
func (c *Channel) poll(ctx context.Context) {
	var offset, confirmed int64
	var backoff time.Duration
	defer func() {
		if offset > confirmed {
			// Tell Telegram what was handled, so the next start does not get it again.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if _, err := c.getUpdates(cctx, offset, 0, 1); err != nil {
				c.log.Info("telegram: could not confirm the last updates; they come again at the next start", "err", err)
			}
		}
	}()
	for ctx.Err() == nil {
		updates, err := c.getUpdates(ctx, offset, c.pollTimeout-time.Second, pollLimit)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.pollFailed(err)
			var wait time.Duration
			if ra := (*retryAfterError)(nil); errors.As(err, &ra) {
				wait = ra.after
			} else {
				backoff = min(max(2*backoff, 100*time.Millisecond), maxPollBackoff)
				wait = backoff
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			continue
		}
		backoff = 0
		confirmed = offset
		offset = c.handleBatch(ctx, updates, offset)
	}
}

// handleBatch hands a batch of updates to the engine, waits until it is done with every one,
// and returns the offset that confirms them: past the last update, or, when one could not be
// handled (shut down while waiting for room, or while the database was away), at the first
// such update, so that it and those after it come again (the engine recognises the ones it
// had handled).
func (c *Channel) handleBatch(ctx context.Context, updates []*models.Update, offset int64) int64 {
	type taken struct {
		id int64
		h  *handling
	}
	batch := make([]taken, 0, len(updates))
	next, redo := offset, int64(-1)
	for _, upd := range updates {
		if upd.ID < offset {
			continue // Telegram keeps ids in order; a server that does not must not loop us
		}
		h, err := c.accept(ctx, upd)
		if err != nil {
			redo = upd.ID // shutting down while waiting for room: the rest stays unconfirmed
			break
		}
		next = upd.ID + 1
		if h != nil {
			batch = append(batch, taken{upd.ID, h})
		}
	}
	// Every update taken ends: handled, failed for good, or given up at shutdown.
	for _, t := range batch {
		if !t.h.wait() && (redo < 0 || t.id < redo) {
			redo = t.id
		}
	}
	if redo >= 0 {
		return redo
	}
	return next
}

// pollFailed records a failed poll for Ready and the log.
func (c *Channel) pollFailed(err error) {
	c.mu.Lock()
	c.pollErr, c.lastErr = time.Now(), err
	c.mu.Unlock()
	c.log.Warn("telegram: getUpdates failed", "server", c.cfg.ServerURL, "err", err)
}

// updatesResponse is the Bot API's answer to getUpdates.
type updatesResponse struct {
	OK          bool             `json:"ok"`
	Result      []*models.Update `json:"result"`
	ErrorCode   int              `json:"error_code"`
	Description string           `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// retryAfterError is a 429 answer to getUpdates.
type retryAfterError struct{ after time.Duration }

func (e *retryAfterError) Error() string {
	return fmt.Sprintf("too many requests, retry after %s", e.after)
}

// getUpdates asks for the updates from offset on, confirming those before it, waiting up to
// timeout for one to come.
func (c *Channel) getUpdates(ctx context.Context, offset int64, timeout time.Duration, limit int) ([]*models.Update, error) {
	form := url.Values{}
	if offset > 0 {
		form.Set("offset", strconv.FormatInt(offset, 10))
	}
	form.Set("limit", strconv.Itoa(limit))
	form.Set("timeout", strconv.Itoa(int(max(timeout, 0)/time.Second)))
	form.Set("allowed_updates", `["`+models.AllowedUpdateMessage+`","`+models.AllowedUpdateCallbackQuery+`"]`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.ServerURL+"/bot"+c.cfg.Token+"/getUpdates", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, errors.New("getUpdates: bad server URL") // the URL holds the token: not in the error
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.client.Do(req)
	if err != nil {
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err // url.Error names the URL, and so the token
		}
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	var out updatesResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&out); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, unreadable answer: %w", resp.StatusCode, err)
	}
	if !out.OK {
		if out.ErrorCode == http.StatusTooManyRequests && out.Parameters != nil && out.Parameters.RetryAfter > 0 {
			return nil, &retryAfterError{after: time.Duration(out.Parameters.RetryAfter) * time.Second}
		}
		return nil, fmt.Errorf("getUpdates: %d %s", out.ErrorCode, out.Description)
	}
	return out.Result, nil
}
