package models_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestBackup: a SQLite backup taken while a message's transaction is open (a serving bpubot)
// holds everything committed and nothing uncommitted, opens as a database of its own, is
// readable by its owner only, and is never written over an existing file.
func TestBackup(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "backup.db")
		if models.IsPostgres(db) {
			if err := models.Backup(ctx, db, path); !errors.Is(err, models.ErrBackupPostgres) {
				t.Fatalf("PostgreSQL: %v, want pg_dump named", err)
			}
			return
		}
		now := time.Now().UTC().Truncate(time.Second)
		tx, conv, _, err := models.BeginMessage(ctx, db, message("m1", now))
		if err != nil {
			t.Fatal(err)
		}
		conv.State = "committed"
		if err := tx.Commit(ctx, conv, []models.Outbox{reply(now, `"one"`)}, nil); err != nil {
			t.Fatal(err)
		}
		// A message in the middle of its transaction, holding the write lock.
		open, conv, _, err := models.BeginMessage(ctx, db, message("m2", now))
		if err != nil {
			t.Fatal(err)
		}
		defer open.Rollback()
		conv.State = "not yet"
		if err := models.Gorm(open.Tx()).Exec(`UPDATE conversations SET state = 'not yet'`).Error; err != nil {
			t.Fatal(err)
		}

		if err := models.Backup(ctx, db, path); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("backup file: %v, %v; want mode 0600", fi, err)
		}
		if err := models.Backup(ctx, db, path); err == nil {
			t.Fatal("a backup overwrote an existing file")
		}
		open.Rollback()

		copyDB, err := models.Open(ctx, models.DBConfig{Driver: models.SQLite, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		defer models.Close(copyDB)
		var c models.Conversation
		if err := models.Gorm(copyDB).Take(&c).Error; err != nil || c.State != "committed" {
			t.Fatalf("conversation in the backup: %+v, %v", c, err)
		}
		if n := count(t, copyDB, &models.Outbox{}, "1 = 1"); n != 1 {
			t.Fatalf("%d outbox rows in the backup, want 1", n)
		}
		if status, err := models.MigrationStatus(ctx, copyDB); err != nil || !status[len(status)-1].Applied {
			t.Fatalf("the backup's migrations: %v, %v", status, err)
		}
	})
}
