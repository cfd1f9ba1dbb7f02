package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrBackupPostgres is Backup's answer on PostgreSQL, which has its own tools for it.
var ErrBackupPostgres = errors.New("backup: on PostgreSQL use pg_dump and pg_restore (README, Deploy)")

// Backup copies a SQLite database, consistent as of one moment, into a new file at path,
// readable by its owner only (it holds personal data). It never overwrites: a path that exists
// is refused. It runs beside a serving bpubot: SQLite's VACUUM INTO reads in one transaction,
// and in WAL mode a reader neither waits for the writer nor holds it up.
func Backup(ctx context.Context, db *DB, path string) error {
	if IsPostgres(db) {
		return ErrBackupPostgres
	}
	// Created empty first, exclusively: the mode is ours, and an existing file is never touched.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup: %s already exists; a backup never overwrites a file", path)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := db.g.WithContext(ctx).Exec(`VACUUM INTO ?`, path).Error; err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
