package models

import (
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
	db := c.orm()
	const batch = 500
	var after int64
	for {
		var rows []EnrollmentRow
		err := db.Raw(`SELECT e.id AS enrollment_id, m.id AS member_id, m.full_name, m.nik_enc, m.phone, m.sex, m.birth_date,
				m.occupation, m.province_code, m.regency_code, m.city, e.package, e.declared_income, e.payment_months,
				e.monthly_premium, e.period_premium, e.status, p.code AS partner_code, p.name AS partner_name,
				p.sponsored, p.gov_sponsored, e.channel, e.created_at, m.erased_at
			FROM enrollments e JOIN members m ON m.id = e.member_id LEFT JOIN partners p ON p.id = e.partner_id
			WHERE e.id > ? ORDER BY e.id LIMIT ?`, after, batch).Scan(&rows).Error
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
