package bot

import (
	"context"
	"fmt"
	"time"

	"bpubot/models"
)

// Prompt is a message the bot starts itself rather than one answering the worker: a premium
// reminder. It is a question like any other (the flows put the conversation on it, so the
// worker's answer is read as the answer to it) and goes out in the outbox's bulk lane.
type Prompt struct {
	Channel, ChatID string
	Lang            string // the language of the conversation, when the chat has none yet
	// DedupeKey is the prompt's own: its outbox row is unique by it.
	DedupeKey string
	Now       time.Time
}

// QueuePrompt writes p inside tx, a transaction on the bot's database (DB.Transaction, under
// the context the caller gave it): it
// locks the chat's conversation as a message's transaction would (models.LockChat), lets say
// put the conversation on the prompt and say it through a Session, as a flow does, saves the
// conversation and queues what was said in the bulk lane, the first message under
// p.DedupeKey. The choices the prompt offers go before those the worker was offered already,
// which stay valid: a button pressed under the question the worker was on still counts. It
// returns the rows queued.
//
// The caller guards against writing a prompt twice (a unique key of its own, in tx): the
// dedupe key only makes a second copy fail.
func QueuePrompt(ctx context.Context, tx *models.Tx, p Prompt, say func(*Session) error) ([]models.Outbox, error) {
	conv, err := models.LockChat(tx, p.Channel, p.ChatID, p.Lang, p.Now)
	if err != nil {
		return nil, err
	}
	s := &Session{Tx: tx, Conv: conv, In: Inbound{Channel: p.Channel, ChatID: p.ChatID, At: p.Now}, Now: p.Now}
	_ = models.DecodeJSON(conv.Choices, &s.Offered) // a broken column only means nothing was offered
	if err := say(s); err != nil {
		return nil, err
	}
	if len(s.replies) == 0 {
		return nil, nil
	}
	var offered []Choice
	for _, r := range s.replies {
		offered = append(offered, r.Choices...)
	}
	conv.Choices = models.EncodeJSON(mergeChoices(offered, s.Offered))
	if err := models.SaveConversation(tx, conv); err != nil {
		return nil, fmt.Errorf("save conversation: %w", err)
	}
	rows := make([]models.Outbox, len(s.replies))
	for i, r := range s.replies {
		rows[i] = outboxRow(p.Channel, p.ChatID, r, p.Now)
		rows[i].Priority = models.PriorityBulk
		key := p.DedupeKey
		if i > 0 {
			key = fmt.Sprintf("%s#%d", key, i+1)
		}
		rows[i].DedupeKey = &key
	}
	if err := models.Enqueue(tx, rows); err != nil {
		return nil, fmt.Errorf("queue prompt: %w", err)
	}
	return rows, nil
}

// mergeChoices is first, then the choices of then whose values first does not have.
func mergeChoices(first, then []Choice) []Choice {
	out := append([]Choice{}, first...)
	for _, c := range then {
		if !offers(out, c.Value) {
			out = append(out, c)
		}
	}
	return out
}
