package models

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Payment sources.
const (
	PaymentImport     = "import"      // a provider's or partner's file, `bpubot payments import`
	PaymentWebhook    = "webhook"     // the payment provider, POST /api/payments
	PaymentStaff      = "staff"       // one payment entered by staff, `bpubot payments add`
	PaymentSelfReport = "self_report" // a worker's own "sudah bayar": unverified
)

// Payment is money received for a run of months of one enrollment, FirstMonth to LastMonth
// inclusive, written YYYYMM (202601 is January 2026). A self-report is stored as an unverified
// payment: it covers nothing until a verified one confirms it. Payments hold no personal data.
type Payment struct {
	ID           int64 `gorm:"primaryKey"`
	MemberID     int64
	EnrollmentID int64
	FirstMonth   int
	LastMonth    int
	Amount       int64
	PaidAt       time.Time
	Source       string
	Reference    string // unique across all sources; the provider's or file's own
	Verified     bool
	CreatedAt    time.Time
}

// MonthNumber writes a month as payments store it: YYYYMM.
func MonthNumber(year int, month time.Month) int { return year*100 + int(month) }

// SplitMonthNumber reads a YYYYMM month.
func SplitMonthNumber(n int) (year int, month time.Month) { return n / 100, time.Month(n % 100) }

// batchSize bounds the values of one IN list or one multi-row INSERT: well under PostgreSQL's
// 65535 parameters and SQLite's 32766 with ten columns a row.
const batchSize = 1000

// eachBatch calls fn with consecutive parts of items, at most n long.
func eachBatch[T any](items []T, n int, fn func([]T) error) error {
	for len(items) > 0 {
		k := min(n, len(items))
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}

// InsertPayments writes payments in multi-row INSERTs of batchSize rows and sets the ID of each
// one written. A payment whose Reference is already stored is skipped (ID stays 0): a file
// imported twice adds nothing. It returns how many were written. Call SetPaidUntil for the
// enrollments afterwards, in the same transaction.
func InsertPayments(tx *gorm.DB, ps []Payment) (int, error) {
	byRef := make(map[string]int, len(ps))
	for i := range ps {
		byRef[ps[i].Reference] = i
	}
	written := 0
	err := eachBatch(ps, batchSize, func(batch []Payment) error {
		var b strings.Builder
		args := make([]any, 0, len(batch)*11)
		b.WriteString(`INSERT INTO payments (member_id, enrollment_id, first_month, last_month, amount, paid_at, source,
			reference, verified, created_at) VALUES `)
		for i, p := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, p.MemberID, p.EnrollmentID, p.FirstMonth, p.LastMonth, p.Amount, p.PaidAt.UTC(), p.Source,
				p.Reference, p.Verified, p.CreatedAt.UTC())
		}
		b.WriteString(" ON CONFLICT (reference) DO NOTHING RETURNING id, reference")
		rows, err := hotQuery(tx, b.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var ref string
			if err := rows.Scan(&id, &ref); err != nil {
				return err
			}
			ps[byRef[ref]].ID = id
			written++
		}
		return rows.Err()
	})
	return written, err
}

// PaymentsByReference returns the stored payments among refs, by reference.
func PaymentsByReference(db *gorm.DB, refs []string) (map[string]Payment, error) {
	out := make(map[string]Payment, len(refs))
	err := eachBatch(refs, batchSize, func(batch []string) error {
		var found []Payment
		if err := db.Where("reference IN ?", batch).Find(&found).Error; err != nil {
			return err
		}
		for _, p := range found {
			out[p.Reference] = p
		}
		return nil
	})
	return out, err
}

// SetPaidUntil sets each enrollment's paid_until to the last day of the last month a verified
// payment covers (midnight, in loc) and turns a sign-up still waiting for its first payment
// into an active enrollment. Enrollments without a verified payment are left alone.
//
// paid_until is what the chat shows as "lunas sampai" and what finds, by its index, the
// workers whose cover runs out: it is kept here, for every payment written, rather than
// computed from the payments by every reader.
func SetPaidUntil(tx *gorm.DB, enrollmentIDs []int64, loc *time.Location) error {
	ids := slices.Clone(enrollmentIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return eachBatch(ids, batchSize, func(batch []int64) error {
		type last struct {
			EnrollmentID int64
			LastMonth    int
		}
		var lasts []last
		if err := tx.Raw(`SELECT enrollment_id, MAX(last_month) AS last_month FROM payments
			WHERE verified AND enrollment_id IN ? GROUP BY enrollment_id`, batch).Scan(&lasts).Error; err != nil {
			return err
		}
		// One UPDATE for the whole batch, joined with its values. SQLite caps a compound
		// SELECT at 500 parts.
		return eachBatch(lasts, 400, func(part []last) error {
			var b strings.Builder
			args := make([]any, 0, 2*len(part))
			for i, l := range part {
				if i == 0 {
					b.WriteString(`SELECT ` + castParam(tx, "BIGINT") + ` AS id, ` + castParam(tx, "TIMESTAMPTZ") + ` AS p`)
				} else {
					b.WriteString(` UNION ALL SELECT ?, ?`)
				}
				y, m := SplitMonthNumber(l.LastMonth)
				args = append(args, l.EnrollmentID, time.Date(y, m+1, 0, 0, 0, 0, 0, loc).UTC())
			}
			return hotExec(tx, `UPDATE enrollments SET paid_until = v.p,
				status = CASE WHEN status = '`+EnrollmentPendingPayment+`' THEN '`+EnrollmentActive+`' ELSE status END
				FROM (`+b.String()+`) AS v WHERE enrollments.id = v.id`, args...)
		})
	})
}

// castParam is a ? placeholder typed for PostgreSQL, which cannot tell the type of a bare
// parameter in a SELECT list; SQLite takes values as they come.
func castParam(db *gorm.DB, sqlType string) string {
	if IsPostgres(db) {
		return "CAST(? AS " + sqlType + ")"
	}
	return "?"
}

// ErrNoEnrollment: the member has no enrollment to record a payment for.
var ErrNoEnrollment = errors.New("member has no enrollment")

// RecordSelfReport stores a worker's own report that month (YYYYMM) is paid, as an unverified
// self_report payment of amount (what the month costs) on their latest enrollment. Reporting
// the same month again only moves its time forward, so the pause it gives reminders counts
// from the latest report. It returns the payment as stored.
func RecordSelfReport(tx *gorm.DB, memberID int64, month int, amount int64, now time.Time) (*Payment, error) {
	e, err := LatestEnrollment(tx, memberID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNoEnrollment
	} else if err != nil {
		return nil, err
	}
	p := Payment{MemberID: memberID, EnrollmentID: e.ID, FirstMonth: month, LastMonth: month, Amount: amount,
		PaidAt: now.UTC(), Source: PaymentSelfReport, Reference: SelfReportReference(e.ID, month), CreatedAt: now.UTC()}
	err = tx.Raw(`INSERT INTO payments (member_id, enrollment_id, first_month, last_month, amount, paid_at, source, reference,
			verified, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)
		ON CONFLICT (reference) DO UPDATE SET paid_at = excluded.paid_at RETURNING id, paid_at, created_at`,
		p.MemberID, p.EnrollmentID, p.FirstMonth, p.LastMonth, p.Amount, p.PaidAt, p.Source, p.Reference, p.CreatedAt).
		Row().Scan(&p.ID, &p.PaidAt, &p.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("record self-report: %w", err)
	}
	return &p, nil
}

// SelfReportReference is the reference of a worker's report for one month of an enrollment:
// one row per month however often they say it.
func SelfReportReference(enrollmentID int64, month int) string {
	return fmt.Sprintf("self_report:%d:%d", enrollmentID, month)
}
