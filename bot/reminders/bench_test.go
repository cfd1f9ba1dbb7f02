package reminders_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"bpubot/bot/reminders"
	"bpubot/flows/coverage"
	"bpubot/flows/reminder"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// benchMembers is how many members the planner benchmark seeds: BPUBOT_BENCH_MEMBERS, or a
// million.
func benchMembers(b *testing.B) int {
	n := 1_000_000
	if s := os.Getenv("BPUBOT_BENCH_MEMBERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1000 {
			b.Fatalf("BPUBOT_BENCH_MEMBERS: want a number of at least 1000, got %q", s)
		}
	}
	return n
}

// seedYear fills db with n members enrolled in June 2025, each with a year of payments: most
// paid month by month from June 2025 to June 2026, a twentieth each one, two, three and six
// months behind; every 33rd sponsored, every 50th opted out, every 100th reported July paid;
// each with a Telegram chat (every 20th WhatsApp, half of those quiet for two months); 70% in
// WIB, 20% WITA, 10% WIT; and June's first two reminders sent. In SQL: a million members
// take a few minutes.
func seedYear(b *testing.B, db *models.DB, n int) {
	b.Helper()
	start := time.Now()
	behind := `(CASE i % 20 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 6 ELSE 0 END)`
	for _, q := range []string{
		`INSERT INTO partners (id, code, name, sponsored, gov_sponsored, active, created_at) VALUES (1, 'PEMKAB', 'Pemkab', TRUE, TRUE, TRUE, now())`,
		`INSERT INTO members (id, nik_hash, full_name, occupation, province_code, lang, opted_out, created_at, updated_at)
			SELECT i, 'h' || i, 'Pekerja ' || i, CASE WHEN i % 4 = 0 THEN 'ojol' ELSE 'pedagang' END,
				CASE WHEN i % 10 < 7 THEN '32' WHEN i % 10 < 9 THEN '73' ELSE '91' END, 'id', i % 50 = 0,
				'2025-06-01 10:00+07', '2025-06-01 10:00+07'
			FROM generate_series(1, ?) i`,
		`INSERT INTO enrollments (id, member_id, package, declared_income, payment_months, partner_id, status, monthly_premium,
				period_premium, channel, paid_until, created_at, updated_at)
			SELECT i, i, 'jkk_jkm', 1000000, 1, CASE WHEN i % 33 = 0 THEN 1 END, 'active', 16800, 16800, 'telegram',
				(date '2025-07-01' + (12 - ` + behind + `) * interval '1 month' - interval '1 day')::timestamp AT TIME ZONE 'Asia/Jakarta',
				'2025-06-01 10:00+07', '2025-06-01 10:00+07'
			FROM generate_series(1, ?) i`,
		`INSERT INTO payments (member_id, enrollment_id, first_month, last_month, amount, paid_at, source, reference, verified, created_at)
			SELECT i, i, m, m, 16800, t, 'import', 'b' || i || '-' || k, TRUE, t
			FROM generate_series(1, ?) i, generate_series(0, 12) k,
				LATERAL (SELECT to_char(date '2025-06-01' + k * interval '1 month', 'YYYYMM')::int AS m,
					(date '2025-06-10' + k * interval '1 month')::timestamp AT TIME ZONE 'Asia/Jakarta' AS t) x
			WHERE k <= 12 - ` + behind,
		`INSERT INTO payments (member_id, enrollment_id, first_month, last_month, amount, paid_at, source, reference, verified, created_at)
			SELECT i, i, 202607, 202607, 16800, '2026-07-10 10:00+07', 'self_report', 'self_report:' || i || ':202607', FALSE, '2026-07-10 10:00+07'
			FROM generate_series(5, ?, 100) i`,
		`INSERT INTO channel_contacts (channel, chat_id, member_id, unreachable, opted_out, first_seen_at, last_inbound_at)
			SELECT CASE WHEN i % 20 = 7 THEN 'whatsapp' ELSE 'telegram' END, 'c' || i, i, FALSE, FALSE, '2025-06-01 10:00+07',
				CASE WHEN i % 40 = 7 THEN timestamptz '2026-05-01 10:00+07' ELSE timestamptz '2026-07-01 10:00+07' END
			FROM generate_series(1, ?) i`,
		`INSERT INTO reminders_sent (member_id, month, stage, day, channel, dedupe_key, sent_at)
			SELECT i, 202606, s.stage, s.day, 'telegram', 'reminder:' || i || ':202606:' || s.stage, '2026-06-12 08:00+07'
			FROM generate_series(1, ?) i, (VALUES ('before', 20260612), ('eve', 20260614)) s(stage, day)`,
	} {
		var args []any
		if strings.Contains(q, "?") {
			args = []any{n}
		}
		modeltest.Exec(b, db, q, args...)
	}
	for _, t := range []string{"members", "enrollments", "payments", "channel_contacts", "reminders_sent", "partners"} {
		modeltest.Exec(b, db, "VACUUM ANALYZE "+t)
	}
	b.Logf("seeded %d members with a year of payments in %s", n, time.Since(start).Round(time.Second))
}

// BenchmarkPlanMillion: how long the planner takes to find who is due a reminder, over a
// million members with a year of payments each, on PostgreSQL: on the busiest day (three days
// before July's due date: everyone not paid ahead), first thing and later on once most have
// been reminded, and on a quiet one (three days after June's due date: only those behind).
//
//	BPUBOT_TEST_POSTGRES_URL=... go test ./bot/reminders -run '^$' -bench PlanMillion -benchtime 5x -timeout 30m
func BenchmarkPlanMillion(b *testing.B) {
	n := benchMembers(b)
	db := benchDB(b, n)
	svc := &reminders.Service{DB: db, Rules: coverage.Default(), Schedule: reminder.DefaultSchedule(),
		Channels: []reminders.Channel{{Name: "telegram"}, {Name: "whatsapp", WroteWithin: 30 * 24 * time.Hour}},
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil))}
	// Later on the busiest day, nine in ten have had their reminder: the planner reads as
	// many rows of reminders_sent to leave them out.
	later := func(b *testing.B, undo bool) {
		q := `INSERT INTO reminders_sent (member_id, month, stage, day, channel, dedupe_key, sent_at)
			SELECT i, 202607, 'before', 20260712, 'telegram', 'reminder:' || i || ':202607:before', '2026-07-12 08:00+07'
			FROM generate_series(1, ?) i WHERE i % 10 <> 0`
		if undo {
			q = `DELETE FROM reminders_sent WHERE day = 20260712 AND ? > 0`
		}
		modeltest.Exec(b, db, q, n)
		modeltest.Exec(b, db, `ANALYZE reminders_sent`)
	}
	for _, day := range []struct {
		name          string
		at            time.Time
		before, after func(*testing.B)
	}{
		{"busiest", time.Date(2026, 7, 12, 9, 0, 0, 0, coverage.WIB), nil, nil},
		{"busiest_later", time.Date(2026, 7, 12, 10, 30, 0, 0, coverage.WIB),
			func(b *testing.B) { later(b, false) }, func(b *testing.B) { later(b, true) }},
		{"quiet", time.Date(2026, 6, 18, 9, 0, 0, 0, coverage.WIB), nil, nil},
	} {
		b.Run(day.name, func(b *testing.B) {
			if day.before != nil {
				day.before(b)
				defer day.after(b)
			}
			ctx := context.Background()
			var due int
			for b.Loop() {
				found, err := svc.Plan(ctx, day.at)
				if err != nil {
					b.Fatal(err)
				}
				due = len(found)
			}
			b.ReportMetric(float64(due), "due")
			plan, err := models.ExplainDueForReminders(db, svc.Plans(day.at)[0])
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("EXPLAIN ANALYZE of the planner's query at %s:\n%s", day.at.Format(time.DateTime), plan)
			if dir := os.Getenv("BPUBOT_BENCH_EXPLAIN_DIR"); dir != "" {
				if err := os.WriteFile(filepath.Join(dir, "explain-"+day.name+".txt"), []byte(plan), 0o644); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchDB is a database seeded with n members (seedYear): a fresh schema, or, with
// BPUBOT_BENCH_SCHEMA, that schema, kept and seeded once, for running the benchmark again
// without seeding again.
func benchDB(b *testing.B, n int) *models.DB {
	b.Helper()
	schema := os.Getenv("BPUBOT_BENCH_SCHEMA")
	if schema == "" {
		db := modeltest.MustOpen(b, models.Postgres)
		seedYear(b, db, n)
		return db
	}
	raw := os.Getenv(modeltest.PostgresURLEnv)
	if raw == "" {
		b.Skip(modeltest.PostgresURLEnv + " not set")
	}
	admin, err := models.Open(context.Background(), models.DBConfig{Driver: models.Postgres, URL: raw, MaxOpenConns: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer models.Close(admin)
	modeltest.Exec(b, admin, "CREATE SCHEMA IF NOT EXISTS "+schema)
	u, err := url.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db := modeltest.MustOpenConfig(b, models.DBConfig{Driver: models.Postgres, URL: u.String(), MaxOpenConns: 10})
	if modeltest.Count[models.Member](b, db, "") == 0 {
		seedYear(b, db, n)
	}
	return db
}
