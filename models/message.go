package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// InboundMessage is what BeginMessage needs to know of a message coming in.
type InboundMessage struct {
	Channel string
	// ExternalID is the platform's own id of the message, by which a redelivery is recognised;
	// empty for a message that cannot come twice (the console).
	ExternalID string
	ChatID     string
	// UserID and Lang start the conversation of a chat that has none yet.
	UserID string
	Lang   string
	Now    time.Time
	// Owner, when not 0, is the dispatcher owner (Dispatcher.Owner) the replies would be handed
	// to; MessageTx.Queued then tells whether they must queue behind older ones instead.
	Owner int64
}

// ErrDuplicate is BeginMessage's answer to a message already handled: the platform delivered
// it again.
var ErrDuplicate = errors.New("inbound message already handled")

// MessageTx is the transaction one inbound message is handled in, the one write path of every
// message. BeginMessage opens it, records the message (a redelivered one stops there) and
// locks its chat's conversation, creating it when new, so one chat's messages are handled one
// at a time, in order, across processes. What the flows read and write in between runs in
// Tx(). Commit saves the conversation, adds the replies to the outbox, records the contact's
// last message (when touch is given) and commits: all of it or nothing.
//
// Commit or Rollback ends it and gives its connection back; Rollback after either does
// nothing, so `defer t.Rollback()` after BeginMessage is the way to use it (a flow that panics
// leaves nothing open).
//
// On PostgreSQL it is a PipelinedTx: BEGIN travels with the dedupe and the row lock, COMMIT
// with the save, two round trips in all for a chat already known. On SQLite it is a
// database/sql transaction, which takes the database's write lock when it begins.
type MessageTx interface {
	Tx() *Tx
	Commit(ctx context.Context, c *Conversation, rows []Outbox, touch *Touch) error
	Rollback()
	// Queued reports that the chat has rows not yet sent that are not the Owner's (queued, or
	// held by another process or an earlier run): the replies must not be handed to the owner
	// ahead of them, but queued behind them. Always false when no Owner was given.
	Queued() bool
	// Unreachable reports that the chat's contact is marked unreachable (the platform refused
	// a message to it): the worker writing again lifts it, by a touch of the contact.
	Unreachable() bool
}

var (
	_ MessageTx = (*PipelinedTx)(nil)
	_ MessageTx = (*plainTx)(nil)
)

// BeginMessage opens the transaction of message m (see MessageTx) and returns it with the
// chat's conversation, locked; created reports a conversation this message started. A message
// already handled returns ErrDuplicate, with nothing left open.
func BeginMessage(ctx context.Context, db *DB, m InboundMessage) (t MessageTx, conv *Conversation, created bool, err error) {
	var fresh bool
	if isPostgres(db.g) {
		t, fresh, conv, err = beginPipelined(ctx, db.g, m)
	} else {
		t, fresh, conv, err = beginPlain(ctx, db.g, m)
	}
	if err != nil {
		return nil, nil, false, err
	}
	if !fresh {
		t.Rollback()
		return nil, nil, false, ErrDuplicate
	}
	if conv == nil {
		if conv, created, err = createConversation(t.Tx().g, m); err != nil {
			t.Rollback()
			return nil, nil, false, fmt.Errorf("new conversation: %w", err)
		}
	}
	return t, conv, created, nil
}

// plainTx is a MessageTx as a database/sql transaction, one statement per round trip.
type plainTx struct {
	tx                  *gorm.DB
	done                bool
	queued, unreachable bool
}

// beginPlain begins the transaction, records the message and locks the chat's conversation,
// statement by statement. conv is nil when the chat has none yet; fresh is false for a message
// already handled.
func beginPlain(ctx context.Context, db *gorm.DB, m InboundMessage) (t *plainTx, fresh bool, conv *Conversation, err error) {
	tx := db.WithContext(ctx).Begin()
	if tx.Error != nil {
		return nil, false, nil, tx.Error
	}
	t = &plainTx{tx: tx}
	fresh = true
	if m.ExternalID != "" {
		res := tx.Exec(markInboundSQL, m.Channel, m.ExternalID, m.Now)
		if res.Error != nil {
			t.Rollback()
			return nil, false, nil, fmt.Errorf("dedupe: %w", res.Error)
		}
		if fresh = res.RowsAffected == 1; !fresh {
			return t, false, nil, nil
		}
	}
	conv, err = lockConversation(tx, m.Channel, m.ChatID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		conv, err = nil, nil
	}
	if err == nil {
		var st chatStanding
		err = tx.Raw(chatStandingSQL, m.Channel, m.ChatID, m.Owner, m.Channel, m.ChatID).Scan(&st).Error
		t.queued, t.unreachable = st.Queued && m.Owner != 0, st.Unreachable
	}
	if err != nil {
		t.Rollback()
		return nil, false, nil, fmt.Errorf("lock conversation: %w", err)
	}
	return t, true, conv, nil
}

// chatStandingSQL reads, with the conversation's lock, what the engine must know of the chat
// besides: its rows not yet sent that are not the owner's (MessageTx.Queued), and whether its
// contact is marked unreachable (MessageTx.Unreachable).
const chatStandingSQL = `SELECT EXISTS (SELECT 1 FROM outbox WHERE channel = ? AND recipient = ? AND status IN ('pending', 'sending')
	AND (locked_by IS NULL OR locked_by <> ?)) AS queued,
	EXISTS (SELECT 1 FROM channel_contacts WHERE channel = ? AND chat_id = ? AND unreachable) AS unreachable`

type chatStanding struct{ Queued, Unreachable bool }

func (t *plainTx) Tx() *Tx { return &Tx{g: t.tx} }

func (t *plainTx) Queued() bool { return t.queued }

func (t *plainTx) Unreachable() bool { return t.unreachable }

func (t *plainTx) Commit(_ context.Context, c *Conversation, rows []Outbox, touch *Touch) error {
	defer t.Rollback()
	if err := saveAndEnqueue(t.tx, c, rows, touch); err != nil {
		return err
	}
	t.done = true
	return t.tx.Commit().Error
}

func (t *plainTx) Rollback() {
	if !t.done {
		t.done = true
		t.tx.Rollback()
	}
}

// markInboundSQL records (channel, external id); it inserts nothing for a message already
// handled.
const markInboundSQL = `INSERT INTO processed_inbounds (channel, external_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`

// saveAndEnqueue writes the conversation back, adds the replies (setting each row's ID) and
// does the touch, statement by statement in tx.
func saveAndEnqueue(tx *gorm.DB, c *Conversation, rows []Outbox, touch *Touch) error {
	if err := checkNoDedupeKey(rows); err != nil {
		return err
	}
	if err := hotExec(tx, saveConversationSQL, c.saveArgs()...); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if touch != nil {
		if err := hotExec(tx, touchContactSQL, touch.args()...); err != nil {
			return fmt.Errorf("touch contact: %w", err)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	args := insertOutbox(&b, make([]any, 0, len(rows)*10), rows)
	b.WriteString(" RETURNING id")
	res, err := hotQuery(tx, b.String(), args...)
	if err != nil {
		return fmt.Errorf("enqueue replies: %w", err)
	}
	defer res.Close()
	ids := make([]int64, 0, len(rows))
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := res.Err(); err != nil {
		return err
	}
	if err := setIDs(rows, ids); err != nil {
		return err
	}
	return res.Close()
}

func checkNoDedupeKey(rows []Outbox) error {
	for _, r := range rows {
		if r.DedupeKey != nil {
			return errors.New("MessageTx.Commit: rows with a dedupe key belong in Enqueue")
		}
	}
	return nil
}

// saveAndEnqueueSQL is saveAndEnqueue as one PostgreSQL statement, with ? placeholders. With
// rows it returns their ids.
func saveAndEnqueueSQL(c *Conversation, rows []Outbox, touch *Touch) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 17+len(rows)*10)
	// Data-modifying WITH parts run whether or not the statement reads them.
	with := "WITH "
	if len(rows) > 0 {
		b.WriteString(with + "saved AS (" + saveConversationSQL + ")")
		args = append(args, c.saveArgs()...)
		with = ", "
	}
	if touch != nil {
		b.WriteString(with + "touched AS (" + touchContactSQL + ")")
		args = append(args, touch.args()...)
	}
	b.WriteString(" ")
	if len(rows) == 0 {
		b.WriteString(saveConversationSQL)
		return b.String(), append(args, c.saveArgs()...)
	}
	args = insertOutbox(&b, args, rows)
	b.WriteString(" RETURNING id")
	return b.String(), args
}

// setIDs gives the inserted rows the ids their INSERT ... RETURNING id returned.
func setIDs(rows []Outbox, ids []int64) error {
	if len(ids) != len(rows) {
		return fmt.Errorf("enqueue replies: %d rows inserted of %d", len(ids), len(rows))
	}
	// Ids come from one sequence in insertion order; RETURNING's own order is not promised.
	slices.Sort(ids)
	for i := range rows {
		rows[i].ID = ids[i]
	}
	return nil
}

// TouchContact records that a chat wrote to us now, so later bulk sends know the worker wrote
// first and an unreachable mark is lifted when they come back.
func TouchContact(c Conn, channel, chatID string, memberID *int64, now time.Time) error {
	tx := c.orm()
	return hotExec(tx, touchContactSQL, Touch{channel, chatID, memberID, now}.args()...)
}

// Touch is a TouchContact to do with MessageTx.Commit.
type Touch struct {
	Channel, ChatID string
	MemberID        *int64
	Now             time.Time
}

func (t Touch) args() []any { return []any{t.Channel, t.ChatID, t.MemberID, t.Now, t.Now} }

const touchContactSQL = `INSERT INTO channel_contacts (channel, chat_id, member_id, unreachable, first_seen_at, last_inbound_at)
		VALUES (?, ?, ?, FALSE, ?, ?)
		ON CONFLICT (channel, chat_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, unreachable = FALSE,
		member_id = COALESCE(excluded.member_id, channel_contacts.member_id)`
