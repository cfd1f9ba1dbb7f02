package models

import (
	"database/sql"
	"errors"
	"fmt"
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

// paymentColumns are the columns scanPayments reads, in its order.
const paymentColumns = `id, member_id, enrollment_id, first_month, last_month, amount, paid_at, source, reference, verified, created_at`

func scanPayments(rows *sql.Rows, err error) ([]Payment, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		var p Payment
		if err := rows.Scan(&p.ID, &p.MemberID, &p.EnrollmentID, &p.FirstMonth, &p.LastMonth, &p.Amount, &p.PaidAt, &p.Source,
			&p.Reference, &p.Verified, &p.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// InsertPayments writes payments and sets the ID of each one written. A payment whose
// Reference is already stored is skipped (ID stays 0): a file imported twice adds nothing. It
// returns how many were written. Call SetPaidUntil for the enrollments afterwards, in the same
// transaction.
//
// On PostgreSQL each batch is one INSERT from arrays (unnest), ten parameters whatever its
// size; on SQLite a multi-row INSERT.
func InsertPayments(c Conn, ps []Payment) (int, error) {
	tx := c.orm()
	byRef := make(map[string]int, len(ps))
	for i := range ps {
		byRef[ps[i].Reference] = i
	}
	written := 0
	err := eachBatch(ps, batchFor(tx), func(batch []Payment) error {
		q, args := insertPaymentsSQL(tx, batch)
		rows, err := hotQuery(tx, q+` ON CONFLICT (reference) DO NOTHING RETURNING id, reference`, args...)
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

func insertPaymentsSQL(tx *gorm.DB, batch []Payment) (string, []any) {
	const insert = `INSERT INTO payments (member_id, enrollment_id, first_month, last_month, amount, paid_at, source, reference, verified, created_at) `
	if isPostgres(tx) {
		n := len(batch)
		members, enrollments, firsts, lasts, amounts := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		paid, created := make([]time.Time, n), make([]time.Time, n)
		sources, refs := make([]string, n), make([]string, n)
		verified := make([]bool, n)
		for i, p := range batch {
			members[i], enrollments[i], firsts[i], lasts[i], amounts[i] = p.MemberID, p.EnrollmentID, int64(p.FirstMonth), int64(p.LastMonth), p.Amount
			paid[i], created[i], sources[i], refs[i], verified[i] = p.PaidAt.UTC(), p.CreatedAt.UTC(), p.Source, p.Reference, p.Verified
		}
		return insert + `SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::bigint[], ?::timestamptz[], ?::text[],
			?::text[], ?::boolean[], ?::timestamptz[])`,
			[]any{members, enrollments, firsts, lasts, amounts, paid, sources, refs, verified, created}
	}
	var b strings.Builder
	args := make([]any, 0, len(batch)*10)
	b.WriteString(insert + `VALUES `)
	for i, p := range batch {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, p.MemberID, p.EnrollmentID, p.FirstMonth, p.LastMonth, p.Amount, p.PaidAt.UTC(), p.Source,
			p.Reference, p.Verified, p.CreatedAt.UTC())
	}
	return b.String(), args
}

// PaymentsByReference returns the stored payments among refs, by reference.
func PaymentsByReference(c Conn, refs []string) (map[string]Payment, error) {
	db := c.orm()
	out := make(map[string]Payment, len(refs))
	err := eachBatch(uniq(refs), batchFor(db), func(batch []string) error {
		cond, args := anyOf(db, "reference", batch)
		found, err := scanPayments(hotQuery(db, `SELECT `+paymentColumns+` FROM payments WHERE `+cond, args...))
		for _, p := range found {
			out[p.Reference] = p
		}
		return err
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
func SetPaidUntil(c Conn, enrollmentIDs []int64, loc *time.Location) error {
	tx := c.orm()
	return eachBatch(uniq(enrollmentIDs), batchFor(tx), func(batch []int64) error {
		ids, until, err := lastPaidMonths(tx, batch, loc)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		const set = `UPDATE enrollments SET paid_until = v.p,
			status = CASE WHEN status = '` + EnrollmentPendingPayment + `' THEN '` + EnrollmentActive + `' ELSE status END
			FROM (%s) AS v WHERE enrollments.id = v.id`
		if isPostgres(tx) {
			return hotExec(tx, fmt.Sprintf(set, `SELECT unnest(?::bigint[]) AS id, unnest(?::timestamptz[]) AS p`), ids, until)
		}
		// SQLite caps a compound SELECT at 500 parts.
		for len(ids) > 0 {
			k := min(400, len(ids))
			var b strings.Builder
			args := make([]any, 0, 2*k)
			for i := range k {
				if i == 0 {
					b.WriteString(`SELECT ? AS id, ? AS p`)
				} else {
					b.WriteString(` UNION ALL SELECT ?, ?`)
				}
				args = append(args, ids[i], until[i])
			}
			if err := hotExec(tx, fmt.Sprintf(set, b.String()), args...); err != nil {
				return err
			}
			ids, until = ids[k:], until[k:]
		}
		return nil
	})
}

// lastPaidMonths returns, of the enrollments among ids with a verified payment, each one's id
// and the last day of its last month paid, at midnight in loc.
func lastPaidMonths(tx *gorm.DB, ids []int64, loc *time.Location) ([]int64, []time.Time, error) {
	cond, args := anyOf(tx, "enrollment_id", ids)
	rows, err := hotQuery(tx, `SELECT enrollment_id, MAX(last_month) FROM payments WHERE verified AND `+cond+` GROUP BY enrollment_id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var found []int64
	var until []time.Time
	for rows.Next() {
		var id int64
		var last int
		if err := rows.Scan(&id, &last); err != nil {
			return nil, nil, err
		}
		y, m := SplitMonthNumber(last)
		found, until = append(found, id), append(until, time.Date(y, m+1, 0, 0, 0, 0, 0, loc).UTC())
	}
	return found, until, rows.Err()
}

// ErrNoEnrollment: the member has no enrollment to record a payment for.
var ErrNoEnrollment = errors.New("member has no enrollment")

// RecordSelfReport stores a worker's own report that month (YYYYMM) is paid, as an unverified
// self_report payment of amount (what the month costs) on their latest enrollment. Reporting
// the same month again only moves its time forward, so the pause it gives reminders counts
// from the latest report. It returns the payment as stored.
func RecordSelfReport(c Conn, memberID int64, month int, amount int64, now time.Time) (*Payment, error) {
	tx := c.orm()
	e, err := LatestEnrollment(c, memberID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNoEnrollment
	} else if err != nil {
		return nil, err
	}
	p := Payment{MemberID: memberID, EnrollmentID: e.ID, FirstMonth: month, LastMonth: month, Amount: amount,
		PaidAt: now.UTC(), Source: PaymentSelfReport, Reference: SelfReportReference(e.ID, month), CreatedAt: now.UTC()}
	err = tx.Raw(`INSERT INTO payments (member_id, enrollment_id, first_month, last_month, amount, paid_at, source, reference,
			verified, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)
		ON CONFLICT (reference) DO UPDATE SET paid_at = excluded.paid_at WHERE payments.source = ?
		RETURNING id, paid_at, created_at`,
		p.MemberID, p.EnrollmentID, p.FirstMonth, p.LastMonth, p.Amount, p.PaidAt, p.Source, p.Reference, p.CreatedAt, PaymentSelfReport).
		Row().Scan(&p.ID, &p.PaidAt, &p.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		// The reference belongs to a payment from elsewhere, which a report must not touch.
		return nil, fmt.Errorf("record self-report: reference %s is taken by another payment", p.Reference)
	}
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

// PaymentWebhookRequest is a signed request of the payment provider already handled, kept for
// a little longer than the replay window.
type PaymentWebhookRequest struct {
	Signature  string `gorm:"primaryKey"`
	Reference  string
	ReceivedAt time.Time
}

// WebhookRequestSeen reports whether a request with this signature was handled already (a
// replay, or the provider sending it again).
func WebhookRequestSeen(c Conn, signature string) (bool, error) {
	var n int64
	err := c.orm().Model(&PaymentWebhookRequest{}).Where("signature = ?", signature).Count(&n).Error
	return n > 0, err
}

// RememberWebhookRequest records a handled request's signature and forgets those older than
// keep: past the replay window their timestamps are refused anyway.
func RememberWebhookRequest(c Conn, signature, reference string, now time.Time, keep time.Duration) error {
	db := c.orm()
	if err := db.Exec(`INSERT INTO payment_webhook_requests (signature, reference, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		signature, reference, now.UTC()).Error; err != nil {
		return err
	}
	return db.Exec(`DELETE FROM payment_webhook_requests WHERE received_at < ?`, now.Add(-keep).UTC()).Error
}
