package models_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"bpubot/models"
)

// The SQLite file (and its write-ahead log) is created readable by its owner only.
func TestSQLiteFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bpubot.db")
	db, err := models.Open(context.Background(), models.DBConfig{Driver: models.SQLite, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	if _, err := models.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %s, want no access for group or others", filepath.Base(p), fi.Mode().Perm())
		}
	}
	if _, loose := models.LooseFileMode(path); loose {
		t.Error("LooseFileMode reports the file bpubot created")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if mode, loose := models.LooseFileMode(path); !loose || mode != 0o644 {
		t.Errorf("LooseFileMode after chmod 644: %s %v", mode, loose)
	}
}
