package payments_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/tariff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// benchNIK is the i-th of up to 235,000 distinct valid NIKs: Jawa Barat, birth dates from
// 1980 on, serials 0001 to 9999.
func benchNIK(i int) string {
	serial, day := i%9999+1, i/9999
	return fmt.Sprintf("320101%02d%02d%02d%04d", day%28+1, (day/28)%12+1, 80+day/336, serial)
}

// seedMembers enrols n workers (half ojol, half vendors) in January 2026, in bulk.
func seedMembers(b *testing.B, db *models.DB, n int) {
	s := flowtest.Sealer(b)
	at := time.Date(2026, 1, 3, 9, 0, 0, 0, wib)
	members := make([]models.Member, n)
	for i := range members {
		occ := "pedagang"
		if i%2 == 0 {
			occ = "ojol"
		}
		members[i] = models.Member{NIKHash: s.Hash(benchNIK(i)), Occupation: occ, ProvinceCode: "32", Lang: "id", CreatedAt: at, UpdatedAt: at}
	}
	modeltest.Insert(b, db, &members)
	enrollments := make([]models.Enrollment, n)
	for i, m := range members {
		enrollments[i] = models.Enrollment{MemberID: m.ID, Package: string(tariff.PackageJKKJKM), DeclaredIncome: 1_000_000,
			PaymentMonths: 1, Status: models.EnrollmentPendingPayment, CreatedAt: at, UpdatedAt: at}
	}
	modeltest.Insert(b, db, &enrollments)
	// As the database's own statistics would be some time after a bulk registration.
	for _, table := range []string{"members", "enrollments"} {
		modeltest.Exec(b, db, `ANALYZE `+table)
	}
}

// resetPayments empties the payments and the enrollments' paid_until, leaving the tables as a
// first import finds them rather than bloated by the last run's rows.
func resetPayments(b *testing.B, db *models.DB) {
	stmts := []string{`DELETE FROM payments`, `UPDATE enrollments SET paid_until = NULL, status = 'pending_payment'`}
	if models.IsPostgres(db) {
		stmts = []string{`TRUNCATE payments`, stmts[1], `VACUUM ANALYZE enrollments`}
	}
	for _, q := range stmts {
		modeltest.Exec(b, db, q)
	}
}

// importFile is a provider's file of n lines: every worker pays January to March 2026.
func importFile(b *testing.B, n int) []byte {
	rules := coverage.Default()
	var buf bytes.Buffer
	buf.WriteString("nik;jumlah;bulan;tanggal_bayar;referensi\n")
	for i := range n {
		p := tariff.Participant{Income: 1_000_000, Occupation: "pedagang", Package: tariff.PackageJKKJKM}
		if i%2 == 0 {
			p.Occupation = "ojol"
		}
		q, err := rules.Tariff.Span(p, ym(2026, 1), 3)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&buf, "%s;%d;2026-01..2026-03;05/01/2026 10:%02d;BANK-%07d\n", benchNIK(i), q.Total, i%60, i)
	}
	return buf.Bytes()
}

// BenchmarkImport100k imports a file of 100,000 payments for 100,000 workers: reading the
// CSV, finding every member by NIK hash, checking every amount against coverage, and writing
// all of it in one transaction. With BPUBOT_TEST_POSTGRES_URL set it also runs on PostgreSQL:
//
//	BPUBOT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./bot/payments -run XXX -bench Import100k -benchtime 3x
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	file := importFile(b, n)
	for _, dialect := range modeltest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := modeltest.MustOpen(b, dialect)
			seedMembers(b, db, n)
			in := intake(b, db)
			ctx := context.Background()
			phases := &phaseTimer{}
			for b.Loop() {
				b.StopTimer()
				resetPayments(b, db)
				b.StartTimer()
				phases.Start("parse", n)
				lines, problems, err := payments.ParseCSV(bytes.NewReader(file), wib)
				if err != nil || len(problems) > 0 {
					b.Fatal(err, problems)
				}
				res, err := in.Record(ctx, payments.Batch{Source: models.PaymentImport, Lines: lines}, phases)
				if err != nil || len(res.Written) != n {
					b.Fatalf("%d written: %v", len(res.Written), err)
				}
				phases.Start("", 0)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			for _, p := range []string{"parse", "check", "write"} {
				b.ReportMetric(phases.spent[p].Seconds()/float64(b.N), p+"-s/op")
			}
		})
	}
}

// phaseTimer adds up the time spent in each phase of an import.
type phaseTimer struct {
	phase string
	since time.Time
	spent map[string]time.Duration
}

func (p *phaseTimer) Start(phase string, _ int) {
	if p.spent == nil {
		p.spent = map[string]time.Duration{}
	}
	if p.phase != "" {
		p.spent[p.phase] += time.Since(p.since)
	}
	p.phase, p.since = phase, time.Now()
}

func (p *phaseTimer) Add(int) {}
