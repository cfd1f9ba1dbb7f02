package whatsapp

import (
	"context"
	"fmt"
	"log/slog"

	"bpubot/models"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
)

// Dialect names handed to whatsmeow's store (go.mau.fi/util/dbutil.ParseDialect). dbutil only
// parses the name, it never opens a driver by it, since the store gets bpubot's own *sql.DB: any
// name starting with "sqlite" selects its SQLite dialect and "pgx" (or "postgres…") its PostgreSQL
// one. We pass the names of the database/sql drivers actually behind the handle: "sqlite" is what
// github.com/glebarez/go-sqlite (modernc) registers, "pgx" is jackc/pgx's stdlib driver, which
// models opens PostgreSQL with.
const (
	sqliteDialect   = "sqlite"
	postgresDialect = "pgx"
)

// Store is whatsmeow's session store (keys, the linked device, contacts, the LID map) in
// bpubot's own database, next to everything else.
type Store struct {
	db        *models.DB
	container *sqlstore.Container
	log       *slog.Logger
}

// OpenStore wraps the bot's database in whatsmeow's session store and brings its tables up to
// date. Never close the store's container: it shares the bot's *sql.DB.
//
// On SQLite the store needs foreign keys on, which models.SQLiteDSN does with
// _pragma=foreign_keys(1) (the pure-Go driver ignores _foreign_keys=on).
func OpenStore(ctx context.Context, db *models.DB, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	dialect := sqliteDialect
	if models.IsPostgres(db) {
		dialect = postgresDialect
	}
	container := sqlstore.NewWithDB(models.SQLDB(db), dialect, newWALogger(log, "store"))
	if err := models.UpgradeWhatsmeowStore(ctx, db, func() error { return container.Upgrade(ctx) }); err != nil {
		return nil, fmt.Errorf("whatsapp session store: %w", err)
	}
	return &Store{db: db, container: container, log: log}, nil
}

// Device returns the linked device, or ErrNotPaired with a new, unsaved one that pairing fills.
func (s *Store) Device(ctx context.Context) (*store.Device, error) {
	dev, err := s.container.GetFirstDevice(ctx)
	if err != nil {
		return nil, fmt.Errorf("whatsapp session store: %w", err)
	}
	if dev.ID == nil {
		return dev, ErrNotPaired
	}
	return dev, nil
}
