package models

import (
	"strconv"
	"strings"
	"time"
)

// Segment chooses workers' chats: every filter that is set must hold, and within one filter any
// of its values may. A chat is one recipient: a worker on Telegram and WhatsApp is two.
// Filters on member data (partner, occupation, place, sign-up dates, coverage) only match chats
// of members; Unfinished matches chats that started sign-up and have no enrollment.
type Segment struct {
	Channels    []string `json:"channels,omitempty"`
	Partners    []string `json:"partners,omitempty"`    // partner codes
	Occupations []string `json:"occupations,omitempty"` // occupation codes (flows/tariff)
	Provinces   []string `json:"provinces,omitempty"`   // Kemendagri province codes ("32")
	Regencies   []string `json:"regencies,omitempty"`   // Kemendagri regency codes ("3201")
	Langs       []string `json:"langs,omitempty"`       // the chat's language: id, en
	// SignedUpFrom and SignedUpTo bound the day the member's latest enrollment was made, both
	// days included, in the time zone of their location.
	SignedUpFrom *time.Time `json:"signed_up_from,omitempty"`
	SignedUpTo   *time.Time `json:"signed_up_to,omitempty"`
	// Unfinished: workers who started sign-up and did not finish it.
	Unfinished bool `json:"unfinished,omitempty"`
	// Coverage: the coverage states of the member's latest enrollment (pending, active,
	// arrears, lapsed, sponsored), computed from stored payments (flows/coverage); the staff
	// service turns them into MemberIDs.
	Coverage []string `json:"coverage,omitempty"`
	// PartnerID, when set, keeps the segment to that partner's workers whatever else it says:
	// the scope of a partner's staff.
	PartnerID *int64 `json:"partner_id,omitempty"`
	// MemberIDs, when set, keeps the segment to these members (coverage states are computed
	// outside SQL and arrive as the members they select).
	MemberIDs []int64 `json:"-"`
}

// segmentFrom is the chats a segment is chosen from, with what its filters read: the chat's
// member, that member's latest enrollment and its partner, and the chat's conversation.
const segmentFrom = ` FROM channel_contacts cc
	LEFT JOIN members m ON m.id = cc.member_id
	LEFT JOIN enrollments e ON e.id = (SELECT MAX(e2.id) FROM enrollments e2 WHERE e2.member_id = cc.member_id)
	LEFT JOIN partners p ON p.id = e.partner_id
	LEFT JOIN conversations cv ON cv.channel = cc.channel AND cv.chat_id = cc.chat_id`

// segmentLang is a chat's language: its conversation's, else its member's, else Indonesian.
const segmentLang = `COALESCE(NULLIF(cv.lang, ''), NULLIF(m.lang, ''), 'id')`

// Why a chat of a segment does not get a message it did not ask for.
const (
	segmentOptedOut    = `(cc.opted_out OR COALESCE(m.opted_out, FALSE))`
	segmentUnreachable = `cc.unreachable`
)

// where writes the segment's conditions, each starting with " AND ", and returns their args.
func (s Segment) where(b *strings.Builder, loc *time.Location) []any {
	var args []any
	cond := func(sql string, a ...any) {
		b.WriteString(" AND ")
		b.WriteString(sql)
		args = append(args, a...)
	}
	// An erased worker is never anyone's recipient.
	cond("m.erased_at IS NULL")
	if len(s.Channels) > 0 {
		cond("cc.channel IN ?", s.Channels)
	}
	if len(s.Partners) > 0 {
		lower := make([]string, len(s.Partners))
		for i, p := range s.Partners {
			lower[i] = strings.ToLower(p)
		}
		cond("LOWER(p.code) IN ?", lower)
	}
	if s.PartnerID != nil {
		cond("e.partner_id = ?", *s.PartnerID)
	}
	if len(s.Occupations) > 0 {
		cond("m.occupation IN ?", s.Occupations)
	}
	if len(s.Provinces) > 0 {
		cond("m.province_code IN ?", s.Provinces)
	}
	if len(s.Regencies) > 0 {
		cond("m.regency_code IN ?", s.Regencies)
	}
	if len(s.Langs) > 0 {
		cond(segmentLang+" IN ?", s.Langs)
	}
	if loc == nil {
		loc = time.UTC
	}
	if s.SignedUpFrom != nil {
		d := s.SignedUpFrom.In(loc)
		cond("e.created_at >= ?", time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc))
	}
	if s.SignedUpTo != nil {
		d := s.SignedUpTo.In(loc)
		cond("e.created_at < ?", time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc))
	}
	if s.Unfinished {
		// In the sign-up now, or left it for the menu with their answers kept.
		cond("e.id IS NULL AND (cv.flow = 'signup' OR cv.slots LIKE ?)", `%"_saved_signup"%`)
	}
	if s.MemberIDs != nil {
		if len(s.MemberIDs) == 0 {
			cond("1 = 0")
		} else {
			// Numbers written into the statement: a segment of many members would pass the
			// databases' limits on bound parameters.
			var ids strings.Builder
			for i, id := range s.MemberIDs {
				if i > 0 {
					ids.WriteByte(',')
				}
				ids.WriteString(strconv.FormatInt(id, 10))
			}
			cond("cc.member_id IN (" + ids.String() + ")")
		}
	}
	return args
}

// SegmentCount is how many chats of a segment, by channel, get a message and how many do not.
type SegmentCount struct {
	Channel     string
	Recipients  int64 // will get it
	OptedOut    int64 // said "berhenti"
	Unreachable int64 // the platform refuses messages to them (blocked the bot)
}

// CountSegment counts a segment's chats by channel; loc is the time zone of sign-up dates.
func CountSegment(c Conn, s Segment, loc *time.Location) ([]SegmentCount, error) {
	db := c.orm()
	var b strings.Builder
	b.WriteString(`SELECT cc.channel AS channel,
		SUM(CASE WHEN NOT ` + segmentOptedOut + ` AND NOT ` + segmentUnreachable + ` THEN 1 ELSE 0 END) AS recipients,
		SUM(CASE WHEN ` + segmentOptedOut + ` THEN 1 ELSE 0 END) AS opted_out,
		SUM(CASE WHEN NOT ` + segmentOptedOut + ` AND ` + segmentUnreachable + ` THEN 1 ELSE 0 END) AS unreachable` + segmentFrom + ` WHERE TRUE`)
	args := s.where(&b, loc)
	b.WriteString(" GROUP BY cc.channel ORDER BY cc.channel")
	var out []SegmentCount
	err := db.Raw(b.String(), args...).Scan(&out).Error
	return out, err
}

// SegmentMember is a member a segment selects, for exports and member-level filters.
type SegmentMember struct {
	MemberID int64
}

// SegmentMemberIDs lists the members of the segment's chats (each once), in id order. Only
// member filters apply; opt-outs do not (an export lists members, it sends nothing).
func SegmentMemberIDs(c Conn, s Segment, loc *time.Location) ([]int64, error) {
	db := c.orm()
	var b strings.Builder
	b.WriteString(`SELECT DISTINCT cc.member_id` + segmentFrom + ` WHERE cc.member_id IS NOT NULL`)
	args := s.where(&b, loc)
	b.WriteString(" ORDER BY cc.member_id")
	var ids []int64
	err := db.Raw(b.String(), args...).Scan(&ids).Error
	return ids, err
}
