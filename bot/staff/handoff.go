package staff

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"bpubot/bot"
	"bpubot/locales"
	"bpubot/models"
)

// Handoff is a request to talk to a person as staff see it: the chat masked, what the worker
// wrote with NIKs and phone numbers masked.
type Handoff struct {
	ID        int64      `json:"id"`
	Channel   string     `json:"channel"`
	Chat      string     `json:"chat"` // masked
	MemberID  *int64     `json:"member_id,omitempty"`
	Question  string     `json:"question"`
	Status    string     `json:"status"` // open, closed
	TakenBy   *int64     `json:"taken_by,omitempty"`
	TakenAt   *time.Time `json:"taken_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	// CloseReason: staff, timeout.
	CloseReason string           `json:"close_reason,omitempty"`
	Messages    []HandoffMessage `json:"messages,omitempty"`
}

// HandoffMessage is something the worker wrote after asking, masked.
type HandoffMessage struct {
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// Handoff close reasons.
const (
	CloseByStaff   = "staff"
	CloseByTimeout = "timeout"
)

// Handoffs lists requests: open ones (status "" or open), oldest first, or closed ones, newest
// first. Partner staff see only their own partner's workers' requests.
func (s *Service) Handoffs(ctx context.Context, a Actor, status string, limit int) ([]Handoff, error) {
	if err := s.allow(ctx, a, OpHandoff); err != nil {
		return nil, err
	}
	f := models.HandoffFilter{Status: status, Limit: limit}
	if a.Role == models.RolePartner {
		f.PartnerID = s.scoped(a, models.Segment{}).PartnerID
	}
	reqs, err := models.FindHandoffs(s.db(ctx), f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	added, err := models.HandoffMessages(s.db(ctx), ids)
	if err != nil {
		return nil, err
	}
	out := make([]Handoff, len(reqs))
	for i, r := range reqs {
		out[i] = view(r, added[r.ID])
	}
	return out, nil
}

func view(r models.HandoffRequest, msgs []models.HandoffMessage) Handoff {
	h := Handoff{ID: r.ID, Channel: r.Channel, Chat: bot.MaskID(r.ChatID), MemberID: r.MemberID, Question: bot.MaskText(r.Question),
		Status: r.Status, TakenBy: r.TakenBy, TakenAt: r.TakenAt, CreatedAt: r.CreatedAt, ClosedAt: r.ClosedAt, CloseReason: r.CloseReason}
	for _, m := range msgs {
		h.Messages = append(h.Messages, HandoffMessage{Text: bot.MaskText(m.Text), CreatedAt: m.CreatedAt})
	}
	return h
}

// handoff loads an open or closed request the actor may reach.
func (s *Service) handoff(ctx context.Context, a Actor, id int64) (*models.HandoffRequest, error) {
	if err := s.allow(ctx, a, OpHandoff); err != nil {
		return nil, err
	}
	r, err := models.FindHandoff(s.db(ctx), id)
	if err != nil {
		return nil, notFound(err)
	}
	if a.Role == models.RolePartner {
		p, err := models.HandoffPartner(s.db(ctx), id)
		if err != nil {
			return nil, err
		}
		if err := s.inScope(ctx, a, p, target("handoff", id)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// GetHandoff loads one request with what the worker wrote.
func (s *Service) GetHandoff(ctx context.Context, a Actor, id int64) (*Handoff, error) {
	r, err := s.handoff(ctx, a, id)
	if err != nil {
		return nil, err
	}
	added, err := models.HandoffMessages(s.db(ctx), []int64{id})
	if err != nil {
		return nil, err
	}
	h := view(*r, added[id])
	return &h, nil
}

// TakeHandoff makes the actor the one answering a request: the worker is told a person is on
// it, and the bot stays quiet in their chat (but for menu, batal, berhenti, hapus data) until
// it is closed; what they write goes to the staff group. A request another staff member took
// is ErrTakenByOther. The operator at the command line cannot take requests: they are nobody
// a worker could be told of.
func (s *Service) TakeHandoff(ctx context.Context, a Actor, id int64) error {
	r, err := s.handoff(ctx, a, id)
	if err != nil {
		return err
	}
	if a.ID == 0 {
		return invalid("staff.take_needs_staff")
	}
	if r.Status != models.HandoffOpen {
		return ErrState
	}
	if r.TakenBy != nil && *r.TakenBy == a.ID {
		return nil
	}
	return s.inTx(ctx, func(tx *txn) error {
		if err := models.TakeHandoff(tx.Tx, id, a.ID, false, s.now()); err != nil {
			if models.IsNotFound(err) {
				return ErrTakenByOther
			}
			return err
		}
		lang := s.workerLang(tx, r)
		if err := s.toWorker(tx, r, locales.Text(lang, "handoff.taken", "id", id, "name", a.Name), lang); err != nil {
			return err
		}
		s.toStaffChat(tx, locales.Text(s.staffLang(), "staff.handoff_taken", "id", id, "name", a.Name))
		s.auditTx(tx.Tx, a, "handoff.take", target("handoff", id), 1, "")
		return nil
	})
}

// MaxReplyText is the longest staff reply relayed to a worker, in characters.
const MaxReplyText = 3000

// ReplyHandoff relays a staff member's text to the worker, on their own channel and chat, and
// takes the request if nobody has.
func (s *Service) ReplyHandoff(ctx context.Context, a Actor, id int64, text string) error {
	r, err := s.handoff(ctx, a, id)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return invalid("staff.reply_empty")
	case utf8.RuneCountInString(text) > MaxReplyText:
		return invalid("staff.reply_too_long", "n", MaxReplyText)
	case r.Status != models.HandoffOpen:
		return ErrState
	}
	return s.inTx(ctx, func(tx *txn) error {
		now := s.now()
		if r.TakenBy == nil && a.ID != 0 {
			if err := models.TakeHandoff(tx.Tx, id, a.ID, false, now); err != nil && !models.IsNotFound(err) {
				return err
			}
		}
		if err := models.MarkStaffReplied(tx.Tx, id, now); err != nil {
			return err
		}
		lang := s.workerLang(tx, r)
		if err := s.toWorker(tx, r, locales.Text(lang, "handoff.staff_says", "id", id, "name", a.Name, "text", text), lang); err != nil {
			return err
		}
		s.auditTx(tx.Tx, a, "handoff.reply", target("handoff", id), 1, "")
		return nil
	})
}

// CloseHandoff closes a request: the worker is told, and the bot answers them again.
func (s *Service) CloseHandoff(ctx context.Context, a Actor, id int64) error {
	r, err := s.handoff(ctx, a, id)
	if err != nil {
		return err
	}
	if r.Status != models.HandoffOpen {
		return ErrState
	}
	return s.inTx(ctx, func(tx *txn) error {
		if err := models.CloseHandoffBy(tx.Tx, id, a.staffID(), CloseByStaff, s.now()); err != nil {
			return notFound(err)
		}
		lang := s.workerLang(tx, r)
		if err := s.toWorker(tx, r, locales.Text(lang, "handoff.closed_by_staff", "id", id), lang); err != nil {
			return err
		}
		s.toStaffChat(tx, locales.Text(s.staffLang(), "staff.handoff_closed_by", "id", id, "name", a.Name))
		s.auditTx(tx.Tx, a, "handoff.close", target("handoff", id), 1, "")
		return nil
	})
}

// TimeOutHandoffs closes the requests without a staff answer for Config.HandoffTimeout, telling
// each worker the bot helps them again, and returns how many.
func (s *Service) TimeOutHandoffs(ctx context.Context) (int, error) {
	if s.Config.HandoffTimeout <= 0 {
		return 0, nil
	}
	stale, err := models.StaleHandoffs(s.db(ctx), s.now().Add(-s.Config.HandoffTimeout), 500)
	if err != nil {
		return 0, err
	}
	hours := int(s.Config.HandoffTimeout.Hours())
	n := 0
	for i := range stale {
		r := &stale[i]
		err := s.inTx(ctx, func(tx *txn) error {
			if err := models.CloseHandoffBy(tx.Tx, r.ID, nil, CloseByTimeout, s.now()); err != nil {
				return err
			}
			lang := s.workerLang(tx, r)
			if err := s.toWorker(tx, r, locales.Text(lang, "handoff.timed_out", "id", r.ID), lang); err != nil {
				return err
			}
			s.toStaffChat(tx, locales.Text(s.staffLang(), "staff.handoff_timed_out", "id", r.ID, "hours", hours))
			s.auditTx(tx.Tx, Actor{Name: "system", Via: "timeout"}, "handoff.timeout", target("handoff", r.ID), 1, "")
			return nil
		})
		if err != nil && !models.IsNotFound(err) {
			return n, err
		}
		if err == nil {
			n++
		}
	}
	return n, nil
}

// txn is a transaction that queues messages: their channels' dispatchers are woken once it
// has committed.
type txn struct {
	*models.Tx
	wake []string
}

func (s *Service) inTx(ctx context.Context, fn func(tx *txn) error) error {
	t := &txn{}
	err := s.DB.WithContext(ctx).Transaction(func(tx *models.Tx) error {
		t.Tx = tx
		return fn(t)
	})
	if err == nil {
		for _, ch := range t.wake {
			s.notify(ch)
		}
	}
	return err
}

// workerLang is the language of the request's chat.
func (s *Service) workerLang(tx *txn, r *models.HandoffRequest) string {
	lang, err := models.ConversationLang(tx.Tx, r.Channel, r.ChatID)
	if err != nil || !locales.Supported(lang) {
		return locales.Default
	}
	return lang
}

// toWorker queues a message to the request's chat as a reply (ahead of bulk), in tx.
func (s *Service) toWorker(tx *txn, r *models.HandoffRequest, text, lang string) error {
	return s.enqueue(tx, r.Channel, r.ChatID, bot.Reply{Text: text, Lang: lang})
}

// toStaffChat queues a message to the staff group, when there is one. A failure only logs: the
// group is told for information, the worker's side is what matters.
func (s *Service) toStaffChat(tx *txn, text string) {
	if s.Config.StaffChannel == "" || s.Config.StaffChat == "" {
		return
	}
	if err := s.enqueue(tx, s.Config.StaffChannel, s.Config.StaffChat, bot.Reply{Text: text, Lang: s.staffLang()}); err != nil {
		s.log().Warn("telling the staff chat failed", "err", err)
	}
}

func (s *Service) enqueue(tx *txn, channel, chat string, r bot.Reply) error {
	now := s.now()
	if err := models.Enqueue(tx.Tx, []models.Outbox{{Channel: channel, Recipient: chat, Payload: models.EncodeJSON(r),
		Status: models.OutboxPending, NextAttemptAt: now, Priority: models.PriorityReply, CreatedAt: now}}); err != nil {
		return err
	}
	tx.wake = append(tx.wake, channel)
	return nil
}
