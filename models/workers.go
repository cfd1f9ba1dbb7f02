package models

import (
	"strings"
	"time"
)

// MemberFilter chooses members for staff: a search and the member filters of a segment.
type MemberFilter struct {
	// Name matches part of the full name, case-insensitively; NIKHash a NIK exactly (its keyed
	// hash); Phone the stored number exactly (E.164).
	Name, NIKHash, Phone string
	// PhonePrefix and PhoneSuffix match the start and end of the stored number (either may be
	// empty): a number as staff see it masked.
	PhonePrefix, PhoneSuffix string
	Segment                  Segment
	Location                 *time.Location
	AfterID                  int64 // members after this id (paging)
	Limit                    int
}

// MemberRow is a member as staff lists them, with their latest enrollment and its partner.
type MemberRow struct {
	MemberID     int64
	FullName     string
	NIKEnc       []byte
	Phone        string
	Occupation   string
	ProvinceCode string
	RegencyCode  string
	City         string
	Lang         string
	OptedOut     bool
	Status       *string // latest enrollment's status; nil without one
	PartnerID    *int64
	PartnerCode  *string
	CreatedAt    time.Time
}

// FindMembers lists members that are not erased, by id, matching f.
func FindMembers(c Conn, f MemberFilter) ([]MemberRow, error) {
	db := c.orm()
	var b strings.Builder
	b.WriteString(`SELECT m.id AS member_id, m.full_name, m.nik_enc, m.phone, m.occupation, m.province_code, m.regency_code,
			m.city, m.lang, m.opted_out, e.status, e.partner_id, p.code AS partner_code, m.created_at
		FROM members m
		LEFT JOIN enrollments e ON e.id = (SELECT MAX(e2.id) FROM enrollments e2 WHERE e2.member_id = m.id)
		LEFT JOIN partners p ON p.id = e.partner_id
		WHERE m.erased_at IS NULL AND m.id > ?`)
	args := []any{f.AfterID}
	if f.Name != "" {
		b.WriteString(" AND LOWER(m.full_name) LIKE ?")
		args = append(args, "%"+strings.ToLower(f.Name)+"%")
	}
	if f.NIKHash != "" {
		b.WriteString(" AND m.nik_hash = ?")
		args = append(args, f.NIKHash)
	}
	if f.PhonePrefix != "" || f.PhoneSuffix != "" {
		b.WriteString(" AND m.phone LIKE ?")
		args = append(args, phoneChars(f.PhonePrefix)+"%"+phoneChars(f.PhoneSuffix))
	}
	if f.Phone != "" {
		b.WriteString(" AND m.phone = ?")
		args = append(args, f.Phone)
	}
	if !f.Segment.empty() {
		// Member filters through the segment's own query: members with a chat in it.
		var w strings.Builder
		segArgs := f.Segment.where(&w, f.Location)
		b.WriteString(" AND m.id IN (SELECT cc.member_id" + segmentFrom + " WHERE cc.member_id IS NOT NULL" + w.String() + ")")
		args = append(args, segArgs...)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	b.WriteString(" ORDER BY m.id LIMIT ?")
	args = append(args, limit)
	var out []MemberRow
	err := db.Raw(b.String(), args...).Scan(&out).Error
	return out, err
}

// empty reports whether the segment has no filter at all.
func (s Segment) empty() bool {
	return len(s.Channels) == 0 && len(s.Partners) == 0 && len(s.Occupations) == 0 && len(s.Provinces) == 0 &&
		len(s.Regencies) == 0 && len(s.Langs) == 0 && len(s.Coverage) == 0 && s.SignedUpFrom == nil && s.SignedUpTo == nil && !s.Unfinished &&
		s.PartnerID == nil && s.MemberIDs == nil
}

// MemberPartner is the partner of a member's latest enrollment, nil when none.
func MemberPartner(c Conn, memberID int64) (*int64, error) {
	db := c.orm()
	var p *int64
	err := db.Raw(`SELECT partner_id FROM enrollments WHERE member_id = ? ORDER BY id DESC LIMIT 1`, memberID).Scan(&p).Error
	return p, err
}

// ChatPartner is the partner of the member behind a chat, nil when none.
func ChatPartner(c Conn, channel, chatID string) (*int64, error) {
	db := c.orm()
	var p *int64
	err := db.Raw(`SELECT e.partner_id FROM channel_contacts cc JOIN enrollments e ON e.member_id = cc.member_id
		WHERE cc.channel = ? AND cc.chat_id = ? ORDER BY e.id DESC LIMIT 1`, channel, chatID).Scan(&p).Error
	return p, err
}

// phoneChars keeps what a stored phone number is made of ('+' and digits): no LIKE wildcard
// gets into the pattern.
func phoneChars(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '+' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
