package telegram

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"bpubot/bot"
	"bpubot/locales"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// accept queues an update behind its chat's earlier ones and returns what tells when the engine
// is done with it (its replies are in the outbox; a pressed button is settled after); nil when
// there is nothing to handle. It waits while too many updates are queued. ctx bounds the
// waiting: for room in the queue, and between tries of an update the database could not take.
func (c *Channel) accept(ctx context.Context, upd *models.Update) (*handling, error) {
	if c.staff != nil {
		if si, cq, ok := c.staffInput(ctx, upd); ok {
			c.metrics.updates.WithLabelValues("staff").Inc()
			h := &handling{done: make(chan struct{})}
			if err := c.queues.Push(ctx, si.ChatID, func() { c.handleStaff(ctx, si, cq, h) }); err != nil {
				return nil, err
			}
			return h, nil
		}
	}
	ib, ok := fromUpdate(upd, c.api.ID())
	if !ok {
		c.metrics.updates.WithLabelValues("ignored").Inc()
		if ib.callback != nil {
			c.answer(context.WithoutCancel(ctx), ib.callback, "")
		}
		return nil, nil
	}
	c.metrics.updates.WithLabelValues(kindNames[ib.in.Kind]).Inc()
	h := &handling{done: make(chan struct{})}
	err := c.queues.Push(ctx, ib.in.ChatID, func() { c.handle(ctx, ib, h) })
	if err != nil {
		return nil, err
	}
	return h, nil
}

// handling is one update on its way through the engine.
type handling struct {
	done      chan struct{} // closed when the engine is done with it
	committed bool          // set before done closes: false if it must be delivered again
}

// wait blocks until the engine is done with the update and reports whether it may be
// confirmed to Telegram: handled, or failed for good (the worker got an apology). It is false
// for an update the database could not take before ctx ended (a shutdown during an outage),
// which Telegram must deliver again.
func (h *handling) wait() bool {
	<-h.done
	return h.committed
}

// handle runs one update through the engine, which writes the replies to the outbox for the
// dispatcher, marks h done, then settles a pressed button. While the database is unavailable
// the update is tried again (bot.HandleCommitted) and its chat's later updates wait behind
// it; a try in progress is not cut short by shutdown, only the waiting between tries is.
func (c *Channel) handle(ctx context.Context, ib inbound, h *handling) {
	c.handlers <- struct{}{}
	// Each try is bounded, so that one message stuck in the database (a lock someone holds)
	// cannot hold up the poll, or a webhook request, for ever: it fails, and the worker gets
	// the apology.
	res, err := bot.HandleCommitted(ctx, c.handler, ib.in, c.handleTimeout) // the engine logs its own failures
	<-c.handlers
	h.committed = !errors.Is(err, bot.ErrNotCommitted)
	close(h.done)
	if ib.callback == nil || !h.committed {
		return
	}
	actx := context.WithoutCancel(ctx)
	if err == nil && res.Stale {
		// Only the press's own answer, a short alert: no message, no edit.
		c.answer(actx, ib.callback, locales.Text(res.Lang, "telegram.stale_alert"))
		return
	}
	c.answer(actx, ib.callback, "")
	if err == nil && !res.Duplicate {
		c.showPick(actx, ib.callback, replyLang(res))
	}
}

// answer stops the pressed button's progress indicator, as Telegram expects for every press;
// a non-empty alert is shown to the worker in a small dialog.
func (c *Channel) answer(ctx context.Context, cq *models.CallbackQuery, alert string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p := &tgbot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: alert, ShowAlert: alert != ""}
	if _, err := c.api.AnswerCallbackQuery(ctx, p); err != nil {
		c.log.Debug("telegram: answering a button press failed", "chat", bot.MaskID(chatOf(cq)), "err", err)
	}
}

// showPick edits the message whose button was pressed: its text gains a line saying what was
// picked, and its keyboard goes, so the same keyboard cannot be pressed twice. The engine has
// already answered the press; the edit only records it.
func (c *Channel) showPick(ctx context.Context, cq *models.CallbackQuery, lang string) {
	msg := cq.Message.Message
	if msg == nil {
		return // too old for Telegram to show us, and to edit
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if l := c.limiter.Load(); l != nil {
		// An edit is a call Telegram counts against the bot's rate; it takes no turn of the
		// chat's, so the answer to the press is not held back a second behind it.
		if err := l.Wait(ctx, "", false); err != nil {
			return
		}
	}
	var err error
	label, found := pickedLabel(msg, cq.Data)
	text := msg.Text + "\n\n" + locales.Text(lang, "telegram.picked", "choice", label)
	if found && msg.Text != "" && utf8.RuneCountInString(text) <= maxTextLen {
		// Without reply_markup the inline keyboard is removed.
		_, err = c.api.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: text})
	} else {
		_, err = c.api.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: msg.Chat.ID, MessageID: msg.ID})
	}
	if err != nil {
		c.log.Debug("telegram: editing a pressed message failed", "chat", bot.MaskID(chatOf(cq)), "err", err)
	}
}

func chatOf(cq *models.CallbackQuery) string {
	if m := cq.Message.Message; m != nil {
		return formatID(m.Chat.ID)
	}
	return formatID(cq.From.ID)
}

// replyLang is the conversation's language, as the engine stamped it on the replies.
func replyLang(res bot.Result) string {
	for _, r := range res.Replies {
		if r.Lang != "" {
			return r.Lang
		}
	}
	return locales.Default
}
