package models_test

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"

	"gorm.io/gorm"
)

func TestMigrateIsIdempotent(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		applied, err := models.Migrate(context.Background(), db)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v; want nothing", applied, err)
		}
		for _, table := range []string{"members", "enrollments", "conversations", "processed_inbounds", "outbox", "partners", "consents", "channel_contacts", "handoff_requests", "audit_log"} {
			if !models.Gorm(db).Migrator().HasTable(table) {
				t.Errorf("table %s missing", table)
			}
		}
		status, err := models.MigrationStatus(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range status {
			if !s.Applied || s.AppliedAt.IsZero() {
				t.Errorf("migration %s not applied: %+v", s.Name, s)
			}
		}
	})
}

// migrationNames lists a dialect's migration files.
func migrationNames(t *testing.T, dialect string) []string {
	t.Helper()
	files, err := models.MigrationFiles(dialect)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, pg := migrationNames(t, models.SQLite), migrationNames(t, models.Postgres)
	if !slices.Equal(lite, pg) {
		t.Fatalf("SQLite migrations %v, PostgreSQL %v: every change needs both", lite, pg)
	}
	for _, name := range lite {
		for _, d := range []string{models.SQLite, models.Postgres} {
			if body := migrationText(t, d, name); !strings.HasPrefix(body, "-- +goose Up\n") {
				t.Errorf("%s/%s does not start with -- +goose Up", d, name)
			}
		}
	}
}

func migrationText(t *testing.T, dialect, name string) string {
	t.Helper()
	files, err := models.MigrationFiles(dialect)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(files, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// schema describes the tables, columns and indexes of the test's database (goose's own table
// and the runner before it aside), to compare before and after a migration.
func schema(t *testing.T, db *models.DB) []string {
	t.Helper()
	q := `SELECT m.name || '.' || p.name || ' ' || p.type || ' notnull=' || p."notnull" || ' default=' || COALESCE(p.dflt_value, '') || ' pk=' || p.pk
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT IN ('goose_db_version', 'schema_migrations', 'sqlite_sequence')
		UNION ALL SELECT 'index ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index'`
	if models.IsPostgres(db) {
		q = `SELECT table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable || ' default=' || COALESCE(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT IN ('goose_db_version', 'schema_migrations')
		UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename NOT IN ('goose_db_version', 'schema_migrations')`
	}
	var out []string
	if err := models.Gorm(db).Raw(q).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestMigrationDownUndoesUp: for every migration with a Down section, going down leaves the
// schema exactly as it was before the migration, and going up again works.
func TestMigrationDownUndoesUp(t *testing.T) {
	for _, dialect := range modeltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := openEmpty(t, dialect)
			p, err := models.NewMigrator(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range migrationNames(t, dialect) {
				v, _ := strconv.ParseInt(strings.SplitN(name, "_", 2)[0], 10, 64)
				before := schema(t, db)
				if _, err := p.UpTo(ctx, v); err != nil {
					t.Fatalf("up to %s: %v", name, err)
				}
				if !strings.Contains(migrationText(t, dialect, name), "\n-- +goose Down\n") {
					t.Logf("%s has no Down section: not undone", name)
					continue
				}
				after := schema(t, db)
				if slices.Equal(before, after) {
					t.Fatalf("%s changed nothing", name)
				}
				if _, err := p.DownTo(ctx, v-1); err != nil {
					t.Fatalf("down from %s: %v", name, err)
				}
				if got := schema(t, db); !slices.Equal(got, before) {
					t.Fatalf("down from %s left\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(before, "\n"))
				}
				if _, err := p.UpTo(ctx, v); err != nil {
					t.Fatalf("up to %s again: %v", name, err)
				}
			}
			// And models' own entry points, all the way down and up again.
			if hasUpOnly(t, dialect) {
				return
			}
			if _, err := models.MigrateDownTo(ctx, db, 0); err != nil {
				t.Fatal(err)
			}
			if got := schema(t, db); len(got) != 0 {
				t.Fatalf("left after going down to 0: %v", got)
			}
			if _, err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func hasUpOnly(t *testing.T, dialect string) bool {
	for _, name := range migrationNames(t, dialect) {
		if !strings.Contains(migrationText(t, dialect, name), "\n-- +goose Down\n") {
			return true
		}
	}
	return false
}

// openEmpty opens a fresh database with no migrations applied.
func openEmpty(t *testing.T, dialect string) *models.DB {
	t.Helper()
	db, err := models.Open(context.Background(), modeltest.Config(t, dialect))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	return db
}

// legacyMigrate builds a database as the migration runner before goose did, from its SQL:
// schema_migrations created outside any lock, each migration's statements split on ";\n", and
// one record per migration. Migrations 1 to 4 are all that runner ever had.
func legacyMigrate(t *testing.T, db *models.DB, appliedAt time.Time) {
	t.Helper()
	if err := models.Gorm(db).Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`).Error; err != nil {
		t.Fatal(err)
	}
	dialect := models.Dialect(db)
	for _, name := range migrationNames(t, dialect)[:4] {
		up, _, _ := strings.Cut(strings.TrimPrefix(migrationText(t, dialect, name), "-- +goose Up\n"), "\n-- +goose Down\n")
		if strings.Contains(up, "+goose") {
			t.Fatalf("%s: the runner before goose knew no annotations", name)
		}
		v, _ := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		err := models.Gorm(db).Transaction(func(tx *gorm.DB) error {
			for _, stmt := range legacySplit(up) {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, v, name, appliedAt.Add(time.Duration(v)*time.Minute)).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// legacySplit is how that runner split a migration into statements.
func legacySplit(sql string) []string {
	var out []string
	for _, part := range strings.Split(sql, ";\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		if stmt := strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";"); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// TestMigrateCarriesOverTheRunnerBeforeGoose: a database made by the runner before goose, with
// data in it, migrates on the next start with no step by hand: goose takes its four versions as
// applied (with their times), applies only what came after, and the data is all there.
func TestMigrateCarriesOverTheRunnerBeforeGoose(t *testing.T) {
	for _, dialect := range modeltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			cfg := modeltest.Config(t, dialect)
			old, err := models.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			appliedAt := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
			legacyMigrate(t, old, appliedAt)
			now := time.Now().UTC().Truncate(time.Second)
			if err := models.Gorm(old).Exec(`INSERT INTO conversations (channel, chat_id, user_id, flow, state, slots, stack, choices, lang, created_at, updated_at)
				VALUES ('telegram', '42', '42', 'signup', 'ask_name', '{"name":"Budi"}', '[]', '[]', 'id', ?, ?)`, now, now).Error; err != nil {
				t.Fatal(err)
			}
			want := schema(t, old)
			_ = models.Close(old)

			// Two processes start at once on the old database (PostgreSQL: on SQLite one process
			// runs per database file).
			var wg sync.WaitGroup
			n := 1
			if dialect == models.Postgres {
				n = 2
			}
			dbs := make([]*models.DB, n)
			applied := make([][]string, n)
			errs := make([]error, n)
			for i := range dbs {
				if dbs[i], err = models.Open(ctx, cfg); err != nil {
					t.Fatal(err)
				}
				defer models.Close(dbs[i])
			}
			for i := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					applied[i], errs[i] = models.Migrate(ctx, dbs[i])
				}()
			}
			wg.Wait()
			after := migrationNames(t, dialect)[4:]
			for i := range errs {
				if errs[i] != nil {
					t.Fatalf("process %d: %v", i, errs[i])
				}
			}
			if got := slices.Concat(applied...); !slices.Equal(got, after) {
				t.Fatalf("applied %v, want only what came after the runner before goose: %v", got, after)
			}
			db := dbs[0]
			if len(after) == 0 {
				if got := schema(t, db); !slices.Equal(got, want) {
					t.Fatalf("schema changed:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
			status, err := models.MigrationStatus(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range status[:4] {
				at := appliedAt.Add(time.Duration(s.Version) * time.Minute)
				if !s.Applied || !s.AppliedAt.Equal(at) {
					t.Errorf("%s: applied %v at %v, want at %v (the old record)", s.Name, s.Applied, s.AppliedAt, at)
				}
			}
			var versions []int64
			if err := models.Gorm(db).Raw(`SELECT version_id FROM goose_db_version ORDER BY id`).Scan(&versions).Error; err != nil {
				t.Fatal(err)
			}
			if want := int64(len(status)) + 1; int64(len(versions)) != want || versions[0] != 0 {
				t.Fatalf("goose versions %v: want 0 and each migration once", versions)
			}
			var slots string
			if err := models.Gorm(db).Raw(`SELECT slots FROM conversations WHERE chat_id = '42'`).Scan(&slots).Error; err != nil || slots != `{"name":"Budi"}` {
				t.Fatalf("the conversation's slots %q, %v", slots, err)
			}
			if again, err := models.Migrate(ctx, db); err != nil || len(again) != 0 {
				t.Fatalf("migrate again: %v, %v", again, err)
			}
		})
	}
}

// TestMigrationFileAnnotations: a file with only an Up section migrates (and its Down does
// nothing but forget the version), and a statement with semicolons in its body runs whole
// between StatementBegin and StatementEnd.
func TestMigrationFileAnnotations(t *testing.T) {
	for _, dialect := range modeltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := openEmpty(t, dialect)
			body := `CREATE TRIGGER notes_stamp AFTER INSERT ON notes BEGIN
				UPDATE notes SET text = text || '!' WHERE id = NEW.id;
				UPDATE notes SET text = text || '?' WHERE id = NEW.id;
			END;`
			if dialect == models.Postgres {
				body = `CREATE FUNCTION notes_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
					NEW.text := NEW.text || '!';
					NEW.text := NEW.text || '?';
					RETURN NEW;
				END;
				$$;
				CREATE TRIGGER notes_stamp BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_stamp();`
			}
			files := fstest.MapFS{
				"0001_notes.sql": {Data: []byte("-- +goose Up\nCREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);\n")},
				"0002_stamp.sql": {Data: []byte("-- +goose Up\n-- +goose StatementBegin\n" + body + "\n-- +goose StatementEnd\n")},
			}
			p, err := models.NewMigrator(ctx, db, files)
			if err != nil {
				t.Fatal(err)
			}
			if res, err := p.Up(ctx); err != nil || len(res) != 2 {
				t.Fatalf("up: %v, %v", res, err)
			}
			if err := models.Gorm(db).Exec(`INSERT INTO notes (id, text) VALUES (1, 'hai')`).Error; err != nil {
				t.Fatal(err)
			}
			var text string
			if err := models.Gorm(db).Raw(`SELECT text FROM notes`).Scan(&text).Error; err != nil || text != "hai!?" {
				t.Fatalf("the trigger's both statements ran? text %q, %v", text, err)
			}
			if _, err := p.DownTo(ctx, 0); err != nil {
				t.Fatal(err)
			}
			if v, err := p.GetDBVersion(ctx); err != nil || v != 0 {
				t.Fatalf("version after down %d, %v", v, err)
			}
		})
	}
}

// TestMigrateTwoProcessesAtOnce: processes starting together on a new PostgreSQL database
// apply every migration once, in turn, and neither fails.
func TestMigrateTwoProcessesAtOnce(t *testing.T) {
	if !slices.Contains(modeltest.Dialects(), models.Postgres) {
		t.Skip("PostgreSQL only: set " + modeltest.PostgresURLEnv)
	}
	ctx := context.Background()
	cfg := modeltest.Config(t, models.Postgres)
	var wg sync.WaitGroup
	applied := make([][]string, 3)
	for i := range applied {
		db, err := models.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer models.Close(db)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if applied[i], err = models.Migrate(ctx, db); err != nil {
				t.Errorf("process %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got := slices.Concat(applied...)
	slices.Sort(got)
	if want := migrationNames(t, models.Postgres); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want each of %v once", got, want)
	}
}
