package models

import (
	"database/sql"
	"errors"

	"gorm.io/gorm"
)

// CoverageRecord is everything a worker's coverage is computed from: one enrollment, what of
// its member and partner the premium depends on, and its payments in month order.
type CoverageRecord struct {
	Enrollment   Enrollment
	Occupation   string // the member's occupation code
	ProvinceCode string // the member's province, for their time zone
	PartnerCode  string // "" without a partner
	Sponsored    bool   // the partner pays the premium
	GovSponsored bool   // from APBN/APBD: no PP 50/2025 discount
	Payments     []Payment
}

const coverageSelect = `SELECT e.id, e.member_id, e.package, e.declared_income, e.payment_months, e.partner_id, e.status,
		e.monthly_premium, e.period_premium, e.channel, e.paid_until, e.created_at, e.updated_at,
		m.occupation, m.province_code, p.code, p.sponsored, p.gov_sponsored
	FROM enrollments e JOIN members m ON m.id = e.member_id LEFT JOIN partners p ON p.id = e.partner_id`

// LoadCoverage loads the coverage record of a member's latest enrollment, or ErrNotFound.
func LoadCoverage(c Conn, memberID int64) (*CoverageRecord, error) {
	db := c.orm()
	recs, err := loadCoverages(db, coverageSelect+` WHERE e.id = (SELECT MAX(id) FROM enrollments WHERE member_id = ?)`, memberID)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, ErrNotFound
	}
	return &recs[0], nil
}

// LoadCoverages loads the coverage records of enrollments, in the order of ids; ids not found
// are left out.
func LoadCoverages(c Conn, enrollmentIDs []int64) ([]CoverageRecord, error) {
	db := c.orm()
	out := make([]CoverageRecord, 0, len(enrollmentIDs))
	err := eachBatch(enrollmentIDs, batchFor(db), func(batch []int64) error {
		cond, args := anyOf(db, "e.id", batch)
		recs, err := loadCoverages(db, coverageSelect+` WHERE `+cond, args...)
		if err != nil {
			return err
		}
		byID := make(map[int64]int, len(recs))
		for i := range recs {
			byID[recs[i].Enrollment.ID] = i
		}
		for _, id := range batch {
			if i, ok := byID[id]; ok {
				out = append(out, recs[i])
			}
		}
		return nil
	})
	return out, err
}

// CoverageFilter narrows EachCoverage.
type CoverageFilter struct {
	PartnerID *int64 // only enrollments through this partner
}

// EachCoverage calls fn with the coverage records of every member's latest enrollment, in
// batches of up to 500 in enrollment order, so a report over a million members holds one
// batch at a time.
func EachCoverage(c Conn, f CoverageFilter, fn func([]CoverageRecord) error) error {
	db := c.orm()
	const batch = 500
	var after int64
	for {
		q := coverageSelect + ` WHERE e.id > ? AND e.id = (SELECT MAX(id) FROM enrollments l WHERE l.member_id = e.member_id)`
		args := []any{after}
		if f.PartnerID != nil {
			q += ` AND e.partner_id = ?`
			args = append(args, *f.PartnerID)
		}
		recs, err := loadCoverages(db, q+` ORDER BY e.id LIMIT ?`, append(args, batch)...)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			if err := fn(recs); err != nil {
				return err
			}
			after = recs[len(recs)-1].Enrollment.ID
		}
		if len(recs) < batch {
			return nil
		}
	}
}

// loadCoverages runs a query selecting coverageSelect's columns, then loads the payments of
// the enrollments found in one more query. Both are scanned by hand: an import loads a
// hundred thousand of them.
func loadCoverages(db *gorm.DB, q string, args ...any) ([]CoverageRecord, error) {
	rows, err := hotQuery(db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CoverageRecord
	for rows.Next() {
		var r CoverageRecord
		e := &r.Enrollment
		var code sql.NullString
		var sponsored, gov sql.NullBool
		if err := rows.Scan(&e.ID, &e.MemberID, &e.Package, &e.DeclaredIncome, &e.PaymentMonths, &e.PartnerID, &e.Status,
			&e.MonthlyPremium, &e.PeriodPremium, &e.Channel, &e.PaidUntil, &e.CreatedAt, &e.UpdatedAt,
			&r.Occupation, &r.ProvinceCode, &code, &sponsored, &gov); err != nil {
			return nil, err
		}
		r.PartnerCode, r.Sponsored, r.GovSponsored = code.String, sponsored.Bool, gov.Bool
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	at := make(map[int64]int, len(out))
	for i, r := range out {
		ids[i] = r.Enrollment.ID
		at[r.Enrollment.ID] = i
	}
	cond, pargs := anyOf(db, "enrollment_id", ids)
	ps, err := scanPayments(hotQuery(db, `SELECT `+paymentColumns+` FROM payments WHERE `+cond+` ORDER BY enrollment_id, first_month, id`, pargs...))
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		i := at[p.EnrollmentID]
		out[i].Payments = append(out[i].Payments, p)
	}
	return out, nil
}

// MemberRef is a member found for a payment, with their latest enrollment (0 when none).
type MemberRef struct {
	MemberID     int64
	EnrollmentID int64
}

// MembersByNIKHash finds members by the keyed hashes of their NIKs. Erased members have no
// hash and are not found.
func MembersByNIKHash(c Conn, hashes []string) (map[string]MemberRef, error) {
	db := c.orm()
	return memberRefs(db, "m.nik_hash", hashes)
}

// MembersByID finds members by id.
func MembersByID(c Conn, ids []int64) (map[int64]MemberRef, error) {
	db := c.orm()
	return memberRefs(db, "m.id", ids)
}

// memberRefs finds the members whose column col is one of keys.
func memberRefs[K int64 | string](db *gorm.DB, col string, keys []K) (map[K]MemberRef, error) {
	out := make(map[K]MemberRef, len(keys))
	err := eachBatch(uniq(keys), batchFor(db), func(batch []K) error {
		cond, args := anyOf(db, col, batch)
		rows, err := hotQuery(db, `SELECT `+col+`, m.id, COALESCE((SELECT MAX(e.id) FROM enrollments e WHERE e.member_id = m.id), 0)
			FROM members m WHERE `+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k K
			var r MemberRef
			if err := rows.Scan(&k, &r.MemberID, &r.EnrollmentID); err != nil {
				return err
			}
			out[k] = r
		}
		return rows.Err()
	})
	return out, err
}

// PartnerByCode finds a partner by code, active or not, case-insensitively: staff reports
// cover partners whose code no longer takes sign-ups.
func PartnerByCode(c Conn, code string) (*Partner, error) {
	db := c.orm()
	var p Partner
	err := db.Where("LOWER(code) = LOWER(?)", code).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &p, err
}
