package telegram

import (
	"context"
	"time"
	"unicode/utf8"

	"bpubot/bot"
	"bpubot/locales"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// accept queues an update behind its chat's earlier ones and returns a channel closed once the
// engine has handled it (its replies are in the outbox; a pressed button is settled after);
// nil when there is nothing to handle. It waits while too many updates are queued.
func (c *Channel) accept(ctx context.Context, upd *models.Update) (<-chan struct{}, error) {
	ib, ok := fromUpdate(upd, c.api.ID())
	if !ok {
		c.metrics.updates.WithLabelValues("ignored").Inc()
		if ib.callback != nil {
			c.answer(context.WithoutCancel(ctx), ib.callback)
		}
		return nil, nil
	}
	c.metrics.updates.WithLabelValues(kindNames[ib.in.Kind]).Inc()
	done := make(chan struct{})
	err := c.queues.Push(ctx, ib.in.ChatID, func() { c.handle(ib, done) })
	if err != nil {
		return nil, err
	}
	return done, nil
}

// handle runs one update through the engine, which writes the replies to the outbox for the
// dispatcher, closes handled, then settles a pressed button. It does not stop for shutdown: an
// update taken is handled to the end.
func (c *Channel) handle(ib inbound, handled chan<- struct{}) {
	ctx := context.Background()
	c.handlers <- struct{}{}
	// Bounded, so that one message stuck in the database (a lock someone holds) cannot hold up
	// the poll, or a webhook request, for ever: it fails, and the worker gets the apology.
	hctx, cancel := context.WithTimeout(ctx, c.handleTimeout)
	res, err := c.handler.Handle(hctx, ib.in) // the engine logs its own failures and apologises
	cancel()
	<-c.handlers
	close(handled)
	if ib.callback != nil {
		c.answer(ctx, ib.callback)
		if err == nil && !res.Duplicate {
			c.showPick(ctx, ib.callback, replyLang(res))
		}
	}
}

// answer stops the pressed button's progress indicator, as Telegram expects for every press.
func (c *Channel) answer(ctx context.Context, cq *models.CallbackQuery) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID}); err != nil {
		c.log.Debug("telegram: answering a button press failed", "chat", bot.MaskID(chatOf(cq)), "err", err)
	}
}

// showPick edits the message whose button was pressed: its text gains a line saying what was
// picked, and its keyboard goes, so the same keyboard cannot be pressed twice. The engine has
// already answered the press, stale or not; the edit only records it.
func (c *Channel) showPick(ctx context.Context, cq *models.CallbackQuery, lang string) {
	msg := cq.Message.Message
	if msg == nil {
		return // too old for Telegram to show us, and to edit
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
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
