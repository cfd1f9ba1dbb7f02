package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/models"
	"bpubot/models/modeltest"

	"github.com/xuri/excelize/v2"
)

// seedMembers adds n members, each with one enrollment and a Telegram chat; every tenth is
// in province 32, the rest in 33. One bulk statement per table keeps a benchmark's set-up short.
func seedMembers(tb testing.TB, db *models.DB, sealer *models.Sealer, n int) {
	tb.Helper()
	nik := sealer.Seal("3201011203900001")
	now := time.Date(2026, 10, 1, 3, 0, 0, 0, time.UTC)
	const batch = 2000
	for from := 0; from < n; from += batch {
		to := min(from+batch, n)
		var b strings.Builder
		args := []any{}
		b.WriteString(`INSERT INTO members (full_name, nik_enc, phone, occupation, province_code, regency_code, city, lang, created_at, updated_at) VALUES `)
		for i := from; i < to; i++ {
			if i > from {
				b.WriteString(",")
			}
			prov := "33"
			if i%10 == 0 {
				prov = "32"
			}
			b.WriteString("(?, ?, ?, 'ojol', ?, ?, 'Kota Semarang', 'id', ?, ?)")
			args = append(args, fmt.Sprintf("Pekerja %d", i), nik, fmt.Sprintf("+62812%07d", i), prov, prov+"74", now, now)
		}
		modeltest.Exec(tb, db, b.String(), args...)
	}
	for _, q := range []string{
		`INSERT INTO enrollments (member_id, package, declared_income, payment_months, status, monthly_premium, period_premium, channel, created_at, updated_at)
			SELECT id, 'jkk_jkm', 1000000, 1, 'active', 16800, 16800, 'telegram', created_at, created_at FROM members`,
		`INSERT INTO channel_contacts (channel, chat_id, member_id, unreachable, opted_out, first_seen_at, last_inbound_at)
			SELECT 'telegram', CAST(100000 + id AS TEXT), id, FALSE, FALSE, created_at, created_at FROM members`,
	} {
		modeltest.Exec(tb, db, q)
	}
}

func testSealer(tb testing.TB) *models.Sealer {
	key, _ := models.ParseKey(models.NewKey())
	s, err := models.NewSealer(key)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// exportXLSXOf exports through the staff service as the CLI does.
func exportXLSXOf(tb testing.TB, db *models.DB, sealer *models.Sealer, a staff.Actor, seg models.Segment, w io.Writer) {
	tb.Helper()
	svc := &staff.Service{DB: db, Sealer: sealer, Config: staff.Config{Location: time.UTC}}
	if _, err := svc.WriteExport(context.Background(), a, seg, "xlsx", w, nil); err != nil {
		tb.Fatal(err)
	}
}

func TestExportXLSX(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		sealer := testSealer(t)
		seedMembers(t, db, sealer, 25)
		var buf bytes.Buffer
		exportXLSXOf(t, db, sealer, staff.Operator(), models.Segment{Provinces: []string{"32"}}, &buf)
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][3] != "nik" { // the header and members 1, 11, 21
			t.Fatalf("%d rows: %v", len(rows), rows)
		}
		for _, r := range rows[1:] {
			if r[3] != "3201********0001" || !strings.Contains(r[4], "***") || r[8] != "32" || r[12] != "1000000" {
				t.Errorf("row %v", r)
			}
		}
	})
}

// BenchmarkExportXLSX100k: one export of 100,000 members as an Excel workbook (issue: at most
// 20 s). Run with -benchtime=1x; add BPUBOT_TEST_POSTGRES_URL for PostgreSQL.
func BenchmarkExportXLSX100k(b *testing.B) {
	for _, dialect := range modeltest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := modeltest.MustOpen(b, dialect)
			sealer := testSealer(b)
			seedMembers(b, db, sealer, 100_000)
			b.ResetTimer()
			for b.Loop() {
				var n countingWriter
				exportXLSXOf(b, db, sealer, staff.Operator(), models.Segment{}, &n)
				b.ReportMetric(float64(n), "bytes")
			}
		})
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
