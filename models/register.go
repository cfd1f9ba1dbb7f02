package models

import (
	"database/sql"
	"errors"
	"fmt"
)

// Register records a finished sign-up: the member, their consent and their enrollment, setting
// the three IDs (the consent's and enrollment's MemberID too). created is false, and nothing is
// written, when a member with the same NIK hash already exists, registered elsewhere while this
// sign-up was open; the unique NIK hash decides, so two sign-ups racing cannot both win.
//
// On PostgreSQL it is one statement (a sign-up's last step is its heaviest, and every statement
// is a round trip); SQLite, which has no INSERT inside WITH, takes three.
func Register(conn Conn, m *Member, c *Consent, e *Enrollment) (created bool, err error) {
	tx := conn.orm()
	memberArgs := []any{m.NIKHash, m.NIKEnc, m.FullName, m.BirthDate, m.Sex, m.Phone, m.Occupation, m.OccupationOther,
		m.ProvinceCode, m.RegencyCode, m.City, m.Lang, m.OptedOut, m.CreatedAt, m.UpdatedAt}
	const insertMember = `INSERT INTO members (nik_hash, nik_enc, full_name, birth_date, sex, phone, occupation,
		occupation_other, province_code, regency_code, city, lang, opted_out, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (nik_hash) DO NOTHING RETURNING id`
	consentArgs := []any{c.Version, c.GivenAt, c.Channel}
	enrollmentArgs := []any{e.Package, e.DeclaredIncome, e.PaymentMonths, e.PartnerID, e.Status, e.MonthlyPremium,
		e.PeriodPremium, e.Channel, e.PaidUntil, e.CreatedAt, e.UpdatedAt}
	const enrollmentColumns = `(member_id, package, declared_income, payment_months, partner_id, status, monthly_premium,
		period_premium, channel, paid_until, created_at, updated_at)`

	if isPostgres(tx) {
		args := append(append(append([]any{}, memberArgs...), consentArgs...), enrollmentArgs...)
		row := tx.Raw(`WITH m AS (`+insertMember+`),
			c AS (INSERT INTO consents (member_id, version, given_at, channel) SELECT m.id, ?, ?, ? FROM m RETURNING id),
			e AS (INSERT INTO enrollments `+enrollmentColumns+`
				SELECT m.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM m RETURNING id)
			SELECT m.id, c.id, e.id FROM m, c, e`, args...).Row()
		switch err := row.Scan(&m.ID, &c.ID, &e.ID); {
		case errors.Is(err, sql.ErrNoRows):
			return false, nil
		case err != nil:
			return false, err
		}
		c.MemberID, e.MemberID = m.ID, m.ID
		return true, nil
	}

	switch err := tx.Raw(insertMember, memberArgs...).Row().Scan(&m.ID); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("member: %w", err)
	}
	c.MemberID, e.MemberID = m.ID, m.ID
	if err := tx.Raw(`INSERT INTO consents (member_id, version, given_at, channel) VALUES (?, ?, ?, ?) RETURNING id`,
		append([]any{m.ID}, consentArgs...)...).Row().Scan(&c.ID); err != nil {
		return false, fmt.Errorf("consent: %w", err)
	}
	if err := tx.Raw(`INSERT INTO enrollments `+enrollmentColumns+` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		append([]any{m.ID}, enrollmentArgs...)...).Row().Scan(&e.ID); err != nil {
		return false, fmt.Errorf("enrollment: %w", err)
	}
	return true, nil
}
