package models

import (
	"strings"
	"time"
)

// EnrollmentRow is one enrollment with its member and partner, for staff exports.
type EnrollmentRow struct {
	EnrollmentID   int64
	MemberID       int64
	FullName       string
	NIKEnc         []byte
	Phone          string
	Sex            string
	BirthDate      *time.Time
	Occupation     string
	ProvinceCode   string
	RegencyCode    string
	City           string
	Package        string
	DeclaredIncome int64
	PaymentMonths  int
	MonthlyPremium int64
	PeriodPremium  int64
	Status         string
	PartnerCode    *string
	PartnerName    *string
	Sponsored      *bool // the partner pays the premium
	GovSponsored   *bool // ... from APBN/APBD
	Channel        string
	CreatedAt      time.Time
	ErasedAt       *time.Time // the member's personal data was erased
}

// EachEnrollment calls fn for every enrollment, oldest first, reading in batches so a large
// export does not hold everything in memory. An erased member's rows come with ErasedAt set
// and nothing personal.
func EachEnrollment(c Conn, fn func(EnrollmentRow) error) error {
	return EachEnrollmentIn(c, Segment{}, nil, fn)
}

// EachEnrollmentIn is EachEnrollment for the members a segment chooses (its member filters:
// members with a chat in it); loc is the time zone of its sign-up dates. An empty segment is
// every enrollment.
func EachEnrollmentIn(c Conn, seg Segment, loc *time.Location, fn func(EnrollmentRow) error) error {
	db := c.orm()
	const batch = 1000
	var filter string
	var filterArgs []any
	if !seg.empty() {
		var w strings.Builder
		filterArgs = seg.where(&w, loc)
		filter = ` AND m.id IN (SELECT cc.member_id` + segmentFrom + ` WHERE cc.member_id IS NOT NULL` + w.String() + `)`
	}
	var after int64
	for {
		var rows []EnrollmentRow
		args := append(append([]any{after}, filterArgs...), batch)
		err := db.Raw(`SELECT e.id AS enrollment_id, m.id AS member_id, m.full_name, m.nik_enc, m.phone, m.sex, m.birth_date,
				m.occupation, m.province_code, m.regency_code, m.city, e.package, e.declared_income, e.payment_months,
				e.monthly_premium, e.period_premium, e.status, p.code AS partner_code, p.name AS partner_name,
				p.sponsored, p.gov_sponsored, e.channel, e.created_at, m.erased_at
			FROM enrollments e JOIN members m ON m.id = e.member_id LEFT JOIN partners p ON p.id = e.partner_id
			WHERE e.id > ?`+filter+` ORDER BY e.id LIMIT ?`, args...).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
			after = r.EnrollmentID
		}
		if len(rows) < batch {
			return nil
		}
	}
}

// CountEnrollmentsIn counts what EachEnrollmentIn goes through, for a progress bar.
func CountEnrollmentsIn(c Conn, seg Segment, loc *time.Location) (int64, error) {
	db := c.orm()
	q := `SELECT COUNT(*) FROM enrollments e JOIN members m ON m.id = e.member_id`
	var args []any
	if !seg.empty() {
		var w strings.Builder
		args = seg.where(&w, loc)
		q += ` WHERE m.id IN (SELECT cc.member_id` + segmentFrom + ` WHERE cc.member_id IS NOT NULL` + w.String() + `)`
	}
	var n int64
	err := db.Raw(q, args...).Scan(&n).Error
	return n, err
}
