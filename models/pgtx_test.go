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

// pipelined opens a fresh PostgreSQL database for PipelinedTx tests (PostgreSQL only: it is
// the engine's path there; SQLite keeps database/sql transactions).
func pipelined(t *testing.T, maxConns int) *gorm.DB {
	t.Helper()
	if !slices.Contains(modeltest.Dialects(), models.Postgres) {
		t.Skip("PostgreSQL only: set " + modeltest.PostgresURLEnv)
	}
	db := modeltest.MustOpen(t, models.Postgres)
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(maxConns)
	return db
}

func reply(now time.Time, payload string) models.Outbox {
	return models.Outbox{Channel: "c", Recipient: "chat", Payload: payload, NextAttemptAt: now, CreatedAt: now}
}

func count(t *testing.T, db *gorm.DB, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// One connection in the pool: every transaction must leave it clean for the next.
func TestPipelinedTxCommitsAndRollsBack(t *testing.T) {
	db := pipelined(t, 1)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)

	// A new chat: no conversation until LockConversation creates it inside the transaction.
	tx, fresh, conv, err := models.BeginMarkAndLock(ctx, db, "c", "m1", "chat", now)
	if err != nil || !fresh || conv != nil {
		t.Fatalf("begin: fresh %v, conv %+v, err %v", fresh, conv, err)
	}
	conv, created, err := models.LockConversation(tx.DB(), "c", "chat", "u", "id", now)
	if err != nil || !created {
		t.Fatalf("lock: created %v, err %v", created, err)
	}
	if err := tx.DB().Create(&models.HandoffRequest{Channel: "c", ChatID: "chat", Status: "open", CreatedAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	conv.State = "asked"
	rows := []models.Outbox{reply(now, `"one"`), reply(now, `"two"`)}
	if err := tx.SaveEnqueueCommit(ctx, conv, rows, &models.Touch{Channel: "c", ChatID: "chat", Now: now}); err != nil {
		t.Fatal(err)
	}
	if rows[0].ID == 0 || rows[1].ID <= rows[0].ID {
		t.Fatalf("ids %d, %d", rows[0].ID, rows[1].ID)
	}
	if n := count(t, db, &models.Outbox{}, "recipient = ?", "chat"); n != 2 {
		t.Fatalf("%d outbox rows, want 2", n)
	}
	if n := count(t, db, &models.HandoffRequest{}, "chat_id = ?", "chat"); n != 1 {
		t.Fatalf("%d handoffs, want 1: a statement of the flows was not in the transaction", n)
	}
	if n := count(t, db, &models.ChannelContact{}, "chat_id = ?", "chat"); n != 1 {
		t.Fatalf("%d contacts, want 1", n)
	}

	// The same message again.
	tx, fresh, _, err = models.BeginMarkAndLock(ctx, db, "c", "m1", "chat", now)
	if err != nil || fresh {
		t.Fatalf("redelivery: fresh %v, err %v", fresh, err)
	}
	tx.Rollback()

	// A message whose save fails (a member that does not exist) leaves nothing behind, not even
	// its dedupe record, so it can be tried again.
	tx, fresh, conv, err = models.BeginMarkAndLock(ctx, db, "c", "m2", "chat", now)
	if err != nil || !fresh || conv == nil || conv.State != "asked" {
		t.Fatalf("second message: fresh %v, conv %+v, err %v", fresh, conv, err)
	}
	if err := tx.DB().Create(&models.HandoffRequest{Channel: "c", ChatID: "chat", Status: "open", CreatedAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	missing := int64(1 << 40)
	conv.State, conv.MemberID = "broken", &missing
	if err := tx.SaveEnqueueCommit(ctx, conv, []models.Outbox{reply(now, `"three"`)}, nil); err == nil {
		t.Fatal("a save that breaks a foreign key committed")
	}
	if n := count(t, db, &models.HandoffRequest{}, "chat_id = ?", "chat"); n != 1 {
		t.Fatalf("%d handoffs after the failed message, want 1", n)
	}
	if n := count(t, db, &models.ProcessedInbound{}, "external_id = ?", "m2"); n != 0 {
		t.Fatal("the failed message is recorded as handled")
	}
	if n := count(t, db, &models.Outbox{}, "recipient = ?", "chat"); n != 2 {
		t.Fatalf("%d outbox rows after the failed message, want 2", n)
	}

	// Flows that fail before the save: Rollback. And the one connection still works.
	tx, fresh, _, err = models.BeginMarkAndLock(ctx, db, "c", "m2", "chat", now)
	if err != nil || !fresh {
		t.Fatalf("retry of the failed message: fresh %v, err %v", fresh, err)
	}
	tx.Rollback()
	tx.Rollback() // twice is harmless
	var c models.Conversation
	if err := db.Where("chat_id = ?", "chat").Take(&c).Error; err != nil || c.State != "asked" || c.MemberID != nil {
		t.Fatalf("conversation %+v, %v; want the state of the last commit", c, err)
	}
}

// A nested GORM transaction inside a PipelinedTx is a savepoint, not a second BEGIN whose
// COMMIT would end the outer transaction early.
func TestPipelinedTxNestedTransactionIsSavepoint(t *testing.T) {
	db := pipelined(t, 2)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	tx, _, _, err := models.BeginMarkAndLock(ctx, db, "c", "m1", "chat", now)
	if err != nil {
		t.Fatal(err)
	}
	conv, _, err := models.LockConversation(tx.DB(), "c", "chat", "u", "id", now)
	if err != nil {
		t.Fatal(err)
	}
	inner := errors.New("inner failure")
	err = tx.DB().Transaction(func(n *gorm.DB) error {
		if err := n.Create(&models.HandoffRequest{Channel: "c", ChatID: "undone", Status: "open", CreatedAt: now}).Error; err != nil {
			return err
		}
		return inner
	})
	if !errors.Is(err, inner) {
		t.Fatalf("nested transaction: %v", err)
	}
	if err := tx.DB().Transaction(func(n *gorm.DB) error {
		return n.Create(&models.HandoffRequest{Channel: "c", ChatID: "kept", Status: "open", CreatedAt: now}).Error
	}); err != nil {
		t.Fatal(err)
	}
	// Nothing is visible outside before the commit.
	if n := count(t, db, &models.HandoffRequest{}, "1 = 1"); n != 0 {
		t.Fatalf("%d handoffs visible before the commit", n)
	}
	if err := tx.SaveEnqueueCommit(ctx, conv, nil, nil); err != nil {
		t.Fatal(err)
	}
	var chats []string
	db.Model(&models.HandoffRequest{}).Order("id").Pluck("chat_id", &chats)
	if !slices.Equal(chats, []string{"kept"}) {
		t.Fatalf("handoffs after commit %v, want [kept]", chats)
	}
}

// A second message of a chat waits for the first one's transaction and sees what it saved.
func TestPipelinedTxLocksTheChat(t *testing.T) {
	db := pipelined(t, 4)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	seed, _, _, err := models.BeginMarkAndLock(ctx, db, "c", "m0", "chat", now)
	if err != nil {
		t.Fatal(err)
	}
	conv, _, err := models.LockConversation(seed.DB(), "c", "chat", "u", "id", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.SaveEnqueueCommit(ctx, conv, nil, nil); err != nil {
		t.Fatal(err)
	}

	first, _, conv, err := models.BeginMarkAndLock(ctx, db, "c", "m1", "chat", now)
	if err != nil || conv == nil {
		t.Fatalf("first: %+v, %v", conv, err)
	}
	type got struct {
		conv *models.Conversation
		err  error
	}
	second := make(chan got, 1)
	go func() {
		tx, _, c, err := models.BeginMarkAndLock(ctx, db, "c", "m2", "chat", now)
		if err == nil {
			tx.Rollback()
		}
		second <- got{c, err}
	}()
	conv.State = "after first"
	if err := first.SaveEnqueueCommit(ctx, conv, nil, nil); err != nil {
		t.Fatal(err)
	}
	r := <-second
	if r.err != nil || r.conv == nil || r.conv.State != "after first" {
		t.Fatalf("second message read %+v (%v), want the first one's saved state", r.conv, r.err)
	}
}
