package models

import (
	"errors"

	"gorm.io/gorm"
)

// MemberStatus is a member with their newest enrollment and who pays for it.
type MemberStatus struct {
	Member     Member
	Enrollment *Enrollment // nil when the member has none
	Partner    *Partner    // the enrollment's partner, nil when none
}

// MemberStatusOf loads a member, their newest enrollment and its partner. A member whose data
// was erased is ErrNotFound: nothing of them is shown any more.
func MemberStatusOf(c Conn, memberID int64) (*MemberStatus, error) {
	db := c.orm()
	var st MemberStatus
	err := db.Where("id = ? AND erased_at IS NULL", memberID).Take(&st.Member).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	switch e, err := LatestEnrollment(c, memberID); {
	case errors.Is(err, ErrNotFound):
		return &st, nil
	case err != nil:
		return nil, err
	default:
		st.Enrollment = e
	}
	if id := st.Enrollment.PartnerID; id != nil {
		var p Partner
		if err := db.Take(&p, *id).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		} else if err == nil {
			st.Partner = &p
		}
	}
	return &st, nil
}

// MembersByIDs loads the members with these ids, by id; an id with no member is left out.
func MembersByIDs(c Conn, ids []int64) (map[int64]Member, error) {
	out := make(map[int64]Member, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var members []Member
	if err := c.orm().Where("id IN ?", ids).Find(&members).Error; err != nil {
		return nil, err
	}
	for _, m := range members {
		out[m.ID] = m
	}
	return out, nil
}
