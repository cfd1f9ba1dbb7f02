package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"

	"gorm.io/gorm"
)

// The per-message write path, MessageTx: the same tests for both of its implementations, the
// pipelined transaction on PostgreSQL and the database/sql one on SQLite.

func reply(now time.Time, payload string) models.Outbox {
	return models.Outbox{Channel: "c", Recipient: "chat", Payload: payload, NextAttemptAt: now, CreatedAt: now}
}

func count(t *testing.T, db *models.DB, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := models.Gorm(db).Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func message(id string, now time.Time) models.InboundMessage {
	return models.InboundMessage{Channel: "c", ExternalID: id, ChatID: "chat", UserID: "u", Lang: "id", Now: now}
}

// One connection in the pool: every transaction must leave it clean for the next.
func TestMessageTxCommitsAndRollsBack(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		models.SQLDB(db).SetMaxOpenConns(1)
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)

		// A new chat: its conversation is created, inside the transaction.
		tx, conv, created, err := models.BeginMessage(ctx, db, message("m1", now))
		if err != nil || !created || conv.ID == 0 || conv.UserID != "u" || conv.Lang != "id" || conv.Slots != "{}" || !conv.CreatedAt.Equal(now) {
			t.Fatalf("begin: created %v, conv %+v, err %v", created, conv, err)
		}
		if err := models.Gorm(tx.Tx()).Create(&models.HandoffRequest{Channel: "c", ChatID: "chat", Status: "open", CreatedAt: now}).Error; err != nil {
			t.Fatal(err)
		}
		conv.State, conv.UpdatedAt = "asked", now.Add(time.Minute)
		rows := []models.Outbox{reply(now, `"one"`), reply(now, `"two"`), reply(now, `"three"`)}
		if err := tx.Commit(ctx, conv, rows, &models.Touch{Channel: "c", ChatID: "chat", Now: now}); err != nil {
			t.Fatal(err)
		}
		tx.Rollback() // after Commit, harmless
		for i, r := range rows {
			var got models.Outbox
			if err := models.Gorm(db).Take(&got, r.ID).Error; err != nil || got.Payload != r.Payload {
				t.Fatalf("row %d (id %d): %+v, %v", i, r.ID, got, err)
			}
			if i > 0 && r.ID <= rows[i-1].ID {
				t.Errorf("ids out of order: %d after %d", r.ID, rows[i-1].ID)
			}
		}
		if n := count(t, db, &models.HandoffRequest{}, "chat_id = ?", "chat"); n != 1 {
			t.Fatalf("%d handoffs, want 1: a statement of the flows was not in the transaction", n)
		}
		if n := count(t, db, &models.ChannelContact{}, "chat_id = ?", "chat"); n != 1 {
			t.Fatalf("%d contacts, want 1", n)
		}

		// The same message again.
		if _, _, _, err := models.BeginMessage(ctx, db, message("m1", now)); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("redelivery: %v", err)
		}

		// A message whose save fails (a member that does not exist) leaves nothing behind, not
		// even its dedupe record, so it can be tried again.
		tx, conv, created, err = models.BeginMessage(ctx, db, message("m2", now))
		if err != nil || created || conv.State != "asked" || !conv.UpdatedAt.Equal(now.Add(time.Minute)) {
			t.Fatalf("second message: created %v, conv %+v, err %v", created, conv, err)
		}
		if err := models.Gorm(tx.Tx()).Create(&models.HandoffRequest{Channel: "c", ChatID: "chat", Status: "open", CreatedAt: now}).Error; err != nil {
			t.Fatal(err)
		}
		missing := int64(1 << 40)
		conv.State, conv.MemberID = "broken", &missing
		if err := tx.Commit(ctx, conv, []models.Outbox{reply(now, `"four"`)}, nil); err == nil {
			t.Fatal("a save that breaks a foreign key committed")
		}
		if n := count(t, db, &models.HandoffRequest{}, "chat_id = ?", "chat"); n != 1 {
			t.Fatalf("%d handoffs after the failed message, want 1", n)
		}
		if n := count(t, db, &models.ProcessedInbound{}, "external_id = ?", "m2"); n != 0 {
			t.Fatal("the failed message is recorded as handled")
		}
		if n := count(t, db, &models.Outbox{}, "recipient = ?", "chat"); n != 3 {
			t.Fatalf("%d outbox rows after the failed message, want 3", n)
		}

		// Flows that fail before the save: Rollback. And the one connection still works.
		tx, _, _, err = models.BeginMessage(ctx, db, message("m2", now))
		if err != nil {
			t.Fatalf("retry of the failed message: %v", err)
		}
		tx.Rollback()
		tx.Rollback() // twice is harmless

		// A message with no platform id (the console) is not recorded, and a row with a dedupe
		// key is refused (it belongs in Enqueue).
		tx, conv, _, err = models.BeginMessage(ctx, db, message("", now))
		if err != nil {
			t.Fatal(err)
		}
		key := "k"
		if err := tx.Commit(ctx, conv, []models.Outbox{{Channel: "c", Recipient: "chat", Payload: "{}", DedupeKey: &key}}, nil); err == nil {
			t.Error("a row with a dedupe key was accepted")
		}
		if n := count(t, db, &models.ProcessedInbound{}, "1 = 1"); n != 1 {
			t.Fatalf("%d inbound records, want only m1's", n)
		}
		var c models.Conversation
		if err := models.Gorm(db).Where("chat_id = ?", "chat").Take(&c).Error; err != nil || c.State != "asked" || c.MemberID != nil {
			t.Fatalf("conversation %+v, %v; want the state of the last commit", c, err)
		}
	})
}

// Commit with and without replies, with and without a contact touch: every combination saves
// the conversation.
func TestMessageTxCommitCombinations(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		for i, c := range []struct {
			rows  int
			touch bool
		}{{0, false}, {0, true}, {1, false}, {2, true}} {
			tx, conv, _, err := models.BeginMessage(ctx, db, message(string(rune('a'+i)), now))
			if err != nil {
				t.Fatal(err)
			}
			later := now.Add(time.Duration(i+1) * time.Hour)
			conv.State, conv.UpdatedAt = string(rune('a'+i)), later
			var rows []models.Outbox
			for range c.rows {
				rows = append(rows, reply(now, `"x"`))
			}
			var touch *models.Touch
			if c.touch {
				touch = &models.Touch{Channel: "c", ChatID: "chat", Now: later}
			}
			if err := tx.Commit(ctx, conv, rows, touch); err != nil {
				t.Fatalf("%+v: %v", c, err)
			}
			var saved models.Conversation
			models.Gorm(db).Take(&saved, conv.ID)
			if saved.State != conv.State || !saved.UpdatedAt.Equal(later) {
				t.Fatalf("%+v: state %q at %v, want %q at %v", c, saved.State, saved.UpdatedAt, conv.State, later)
			}
			if c.touch {
				var got models.ChannelContact
				if err := models.Gorm(db).Where("channel = ? AND chat_id = ?", "c", "chat").Take(&got).Error; err != nil || !got.LastInboundAt.Equal(later) {
					t.Fatalf("%+v: contact %+v, %v", c, got, err)
				}
			}
		}
		if n := count(t, db, &models.Outbox{}, "1 = 1"); n != 3 {
			t.Fatalf("%d outbox rows, want 3", n)
		}
	})
}

// A nested GORM transaction inside a MessageTx is a savepoint, not a second BEGIN whose
// COMMIT would end the outer transaction early.
func TestMessageTxNestedTransactionIsSavepoint(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		tx, conv, _, err := models.BeginMessage(ctx, db, message("m1", now))
		if err != nil {
			t.Fatal(err)
		}
		inner := errors.New("inner failure")
		err = models.Gorm(tx.Tx()).Transaction(func(n *gorm.DB) error {
			if err := n.Create(&models.HandoffRequest{Channel: "c", ChatID: "undone", Status: "open", CreatedAt: now}).Error; err != nil {
				return err
			}
			return inner
		})
		if !errors.Is(err, inner) {
			t.Fatalf("nested transaction: %v", err)
		}
		if err := models.Gorm(tx.Tx()).Transaction(func(n *gorm.DB) error {
			return n.Create(&models.HandoffRequest{Channel: "c", ChatID: "kept", Status: "open", CreatedAt: now}).Error
		}); err != nil {
			t.Fatal(err)
		}
		if models.IsPostgres(db) { // SQLite: another connection would wait for the write lock
			if n := count(t, db, &models.HandoffRequest{}, "1 = 1"); n != 0 {
				t.Fatalf("%d handoffs visible before the commit", n)
			}
		}
		if err := tx.Commit(ctx, conv, nil, nil); err != nil {
			t.Fatal(err)
		}
		var chats []string
		models.Gorm(db).Model(&models.HandoffRequest{}).Order("id").Pluck("chat_id", &chats)
		if !slices.Equal(chats, []string{"kept"}) {
			t.Fatalf("handoffs after commit %v, want [kept]", chats)
		}
	})
}

// A second message of a chat waits for the first one's transaction and sees what it saved,
// including a conversation the first one created.
func TestMessageTxLocksTheChat(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		first, conv, created, err := models.BeginMessage(ctx, db, message("m1", now))
		if err != nil || !created {
			t.Fatalf("first: created %v, %v", created, err)
		}
		type got struct {
			conv    *models.Conversation
			created bool
			err     error
		}
		second := make(chan got, 1)
		go func() {
			tx, c, created, err := models.BeginMessage(ctx, db, message("m2", now))
			if err == nil {
				tx.Rollback()
			}
			second <- got{c, created, err}
		}()
		conv.State = "after first"
		if err := first.Commit(ctx, conv, nil, nil); err != nil {
			t.Fatal(err)
		}
		r := <-second
		if r.err != nil || r.created || r.conv.ID != conv.ID || r.conv.State != "after first" {
			t.Fatalf("second message read %+v (created %v, %v), want the first one's saved state", r.conv, r.created, r.err)
		}
	})
}
