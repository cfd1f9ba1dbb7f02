package models

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// The conversations table is read and written on the path of every message, by hand-written
// statements rather than GORM's reflective ones. Their columns all come from the Conversation
// struct (its fields, named as GORM names them), and fields lists the same fields for scanning
// and arguments; TestConversationColumns holds fields to the struct and the struct to the
// migrated table.
var (
	conversationColumns []string // every column, in field order
	// conversationSaved are the indexes (in conversationColumns) of what a save writes: all
	// but the identity of the chat and the row.
	conversationSaved []int

	selectConversationSQL string // by channel and chat
	lockConversationSQL   string // selectConversationSQL FOR UPDATE, on PostgreSQL
	insertConversationSQL string // a new conversation, RETURNING every column
	saveConversationSQL   string // UPDATE of conversationSaved by id
)

func init() {
	s, err := schema.Parse(&Conversation{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		panic(err)
	}
	for _, f := range s.Fields {
		conversationColumns = append(conversationColumns, f.DBName)
	}
	cols := strings.Join(conversationColumns, ", ")
	selectConversationSQL = `SELECT ` + cols + ` FROM conversations WHERE channel = ? AND chat_id = ?`
	lockConversationSQL = selectConversationSQL + ` FOR UPDATE`
	insertConversationSQL = `INSERT INTO conversations (` + strings.Join(conversationColumns[1:], ", ") + `) VALUES (?` +
		strings.Repeat(", ?", len(conversationColumns)-2) + `) ON CONFLICT DO NOTHING RETURNING ` + cols
	var set []string
	for i, col := range conversationColumns {
		switch col {
		case "id", "channel", "chat_id", "created_at":
			continue
		}
		conversationSaved = append(conversationSaved, i)
		set = append(set, col+" = ?")
	}
	saveConversationSQL = `UPDATE conversations SET ` + strings.Join(set, ", ") + ` WHERE id = ?`
}

// fields are pointers to c's fields, in the order of conversationColumns.
func (c *Conversation) fields() []any {
	return []any{&c.ID, &c.Channel, &c.ChatID, &c.UserID, &c.MemberID, &c.Flow, &c.State, &c.Slots, &c.Stack, &c.Choices,
		&c.Lang, &c.Failures, &c.Unknowns, &c.CreatedAt, &c.UpdatedAt}
}

// value is what a field pointer points to, as a statement argument.
func value(p any) any {
	switch p := p.(type) {
	case *int64:
		return *p
	case *int:
		return *p
	case *string:
		return *p
	case *time.Time:
		return *p
	case **int64:
		if *p == nil {
			return nil
		}
		return **p
	}
	panic(fmt.Sprintf("conversation field of type %T", p))
}

// insertArgs are the arguments of insertConversationSQL.
func (c *Conversation) insertArgs() []any {
	f := c.fields()[1:]
	args := make([]any, len(f))
	for i, p := range f {
		args[i] = value(p)
	}
	return args
}

// saveArgs are the arguments of saveConversationSQL.
func (c *Conversation) saveArgs() []any {
	f := c.fields()
	args := make([]any, 0, len(conversationSaved)+1)
	for _, i := range conversationSaved {
		args = append(args, value(f[i]))
	}
	return append(args, c.ID)
}

// scanConversation reads one row of conversationColumns through scan (a Rows.Scan).
func scanConversation(scan func(dest ...any) error) (*Conversation, error) {
	var c Conversation
	if err := scan(c.fields()...); err != nil {
		return nil, err
	}
	return &c, nil
}

// lockConversation loads the conversation of (channel, chatID) in tx and holds its row lock
// until tx ends (FOR UPDATE on PostgreSQL; SQLite transactions hold the database's write lock
// from their start). It returns gorm.ErrRecordNotFound when the chat has none.
func lockConversation(tx *gorm.DB, channel, chatID string) (*Conversation, error) {
	q := selectConversationSQL
	if isPostgres(tx) {
		q = lockConversationSQL
	}
	return queryConversation(tx, q, channel, chatID)
}

// createConversation starts the conversation of a chat that had none, in tx, which holds the
// new row's lock until it ends as it would one taken FOR UPDATE. If another message of the chat
// created it meanwhile, that one is locked and returned, with created false.
func createConversation(tx *gorm.DB, m InboundMessage) (conv *Conversation, created bool, err error) {
	c := &Conversation{Channel: m.Channel, ChatID: m.ChatID, UserID: m.UserID, Lang: m.Lang,
		Slots: "{}", Stack: "[]", Choices: "[]", CreatedAt: m.Now, UpdatedAt: m.Now}
	conv, err = queryConversation(tx, insertConversationSQL, c.insertArgs()...)
	if err == nil {
		return conv, true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	conv, err = lockConversation(tx, m.Channel, m.ChatID)
	return conv, false, err
}

// queryConversation runs q, which returns conversationColumns, and reads its one row, or
// returns gorm.ErrRecordNotFound. Scanned by hand: this runs for every message, and GORM's
// reflective scan costs more than the query on a warm database.
func queryConversation(tx *gorm.DB, q string, args ...any) (*Conversation, error) {
	rows, err := hotQuery(tx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, gorm.ErrRecordNotFound
	}
	c, err := scanConversation(rows.Scan)
	if err != nil {
		return nil, err
	}
	return c, rows.Close()
}

// LockChat is BeginMessage's lock for a message the bot starts itself (a reminder), inside tx
// (a db.Transaction): it loads the conversation of (channel, chatID), creating it in lang when
// the chat has none, and holds its lock until tx ends, so it waits for a message of the chat
// being handled and the next one waits for it.
func LockChat(c *Tx, channel, chatID, lang string, now time.Time) (*Conversation, error) {
	tx := c.orm()
	conv, err := lockConversation(tx, channel, chatID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		conv, _, err = createConversation(tx, InboundMessage{Channel: channel, ChatID: chatID, UserID: chatID, Lang: lang, Now: now})
	}
	if err != nil {
		return nil, fmt.Errorf("lock conversation: %w", err)
	}
	return conv, nil
}

// SaveConversation writes back a conversation locked by LockChat.
func SaveConversation(tx *Tx, c *Conversation) error {
	return hotExec(tx.orm(), saveConversationSQL, c.saveArgs()...)
}
