package models

import (
	"fmt"
	"time"
)

// What the staff console's dashboard and worker page read. Figures are over each member's
// latest enrollment, erased members included (their rows keep the counts right, with nothing
// personal); partnerID, when set, keeps them to that partner's enrollments.

// KeyCount is how many of something have one value of a dimension.
type KeyCount struct {
	Key string
	N   int64
}

// latestEnrollments are the members' latest enrollments with their member and partner.
const latestEnrollments = ` FROM enrollments e JOIN members m ON m.id = e.member_id LEFT JOIN partners p ON p.id = e.partner_id
	WHERE e.id = (SELECT MAX(l.id) FROM enrollments l WHERE l.member_id = e.member_id)`

// EnrollmentsPerDay counts enrollments made from from on, by day in loc ("2006-01-02").
func EnrollmentsPerDay(c Conn, partnerID *int64, from time.Time, loc *time.Location) ([]KeyCount, error) {
	db := c.orm()
	var day string
	var args []any
	if IsPostgres(c) {
		day = `to_char(e.created_at AT TIME ZONE ?, 'YYYY-MM-DD')`
		args = append(args, loc.String())
	} else {
		// SQLite knows no zones; Indonesia's have no daylight saving, so an offset is exact.
		_, offset := from.In(loc).Zone()
		day = `date(e.created_at, ?)`
		args = append(args, fmt.Sprintf("%+d seconds", offset))
	}
	q := `SELECT ` + day + ` AS key, COUNT(*) AS n FROM enrollments e WHERE e.created_at >= ?`
	args = append(args, from.UTC())
	if partnerID != nil {
		q += ` AND e.partner_id = ?`
		args = append(args, *partnerID)
	}
	var out []KeyCount
	err := db.Raw(q+` GROUP BY 1 ORDER BY 1`, args...).Scan(&out).Error
	return out, err
}

// Dimensions members are counted by.
const (
	ByPartner    = "partner"
	ByOccupation = "occupation"
	ByProvince   = "province"
	ByChannel    = "channel"
)

var dimensionColumn = map[string]string{
	ByPartner:    "COALESCE(p.code, '')",
	ByOccupation: "m.occupation",
	ByProvince:   "m.province_code",
	ByChannel:    "e.channel",
}

// MembersBy counts members with an enrollment by a dimension (By...), largest first.
func MembersBy(c Conn, dimension string, partnerID *int64) ([]KeyCount, error) {
	db := c.orm()
	col, ok := dimensionColumn[dimension]
	if !ok {
		return nil, fmt.Errorf("models: no dimension %q", dimension)
	}
	q := `SELECT ` + col + ` AS key, COUNT(*) AS n` + latestEnrollments
	var args []any
	if partnerID != nil {
		q += ` AND e.partner_id = ?`
		args = append(args, *partnerID)
	}
	var out []KeyCount
	err := db.Raw(q+` GROUP BY 1 ORDER BY 2 DESC, 1`, args...).Scan(&out).Error
	return out, err
}

// EachSignupConversation calls fn with every conversation that may be in the middle of a
// sign-up (in it, interrupted by a question, or left for the menu with its answers kept) and
// whose member, if any, has no enrollment yet, in batches by id.
func EachSignupConversation(c Conn, fn func(Conversation) error) error {
	db := c.orm()
	const batch = 1000
	var after int64
	for {
		var rows []Conversation
		err := db.Raw(`SELECT c.* FROM conversations c WHERE c.id > ?
			AND (c.flow = 'signup' OR c.stack LIKE ? OR c.slots LIKE ?)
			AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.member_id = c.member_id)
			ORDER BY c.id LIMIT ?`, after, `%"signup"%`, `%"_saved_signup"%`, batch).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, c := range rows {
			if err := fn(c); err != nil {
				return err
			}
			after = c.ID
		}
		if len(rows) < batch {
			return nil
		}
	}
}

// MemberEnrollment is one of a member's enrollments with its partner.
type MemberEnrollment struct {
	Enrollment
	PartnerCode  *string
	PartnerName  *string
	Sponsored    *bool
	GovSponsored *bool
}

// EnrollmentsOf lists a member's enrollments, newest first.
func EnrollmentsOf(c Conn, memberID int64) ([]MemberEnrollment, error) {
	db := c.orm()
	var out []MemberEnrollment
	err := db.Raw(`SELECT e.*, p.code AS partner_code, p.name AS partner_name, p.sponsored, p.gov_sponsored
		FROM enrollments e LEFT JOIN partners p ON p.id = e.partner_id WHERE e.member_id = ? ORDER BY e.id DESC`, memberID).
		Scan(&out).Error
	return out, err
}

// PaymentsOf lists a member's payments, the latest months first.
func PaymentsOf(c Conn, memberID int64, limit int) ([]Payment, error) {
	db := c.orm()
	var out []Payment
	err := db.Where("member_id = ?", memberID).Order("last_month DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// ContactsOf lists the chats a member wrote from.
func ContactsOf(c Conn, memberID int64) ([]ChannelContact, error) {
	db := c.orm()
	var out []ChannelContact
	err := db.Where("member_id = ?", memberID).Order("first_seen_at").Find(&out).Error
	return out, err
}

// SentMessage is a message the bot sent a worker on its own initiative: a reminder or an
// announcement.
type SentMessage struct {
	ID          int64
	Channel     string
	Payload     string
	Status      string
	DedupeKey   *string
	BroadcastID *int64
	LastError   string
	CreatedAt   time.Time
	SentAt      *time.Time
}

// BulkMessagesTo lists the reminders and announcements queued for a member's chats, newest
// first, as long as the outbox keeps them (dispatcher.retention).
func BulkMessagesTo(c Conn, memberID int64, limit int) ([]SentMessage, error) {
	db := c.orm()
	var out []SentMessage
	err := db.Raw(`SELECT o.id, o.channel, o.payload, o.status, o.dedupe_key, o.broadcast_id, o.last_error, o.created_at, o.sent_at
		FROM outbox o JOIN channel_contacts cc ON cc.channel = o.channel AND cc.chat_id = o.recipient
		WHERE cc.member_id = ? AND o.priority = ? ORDER BY o.id DESC LIMIT ?`, memberID, PriorityBulk, limit).Scan(&out).Error
	return out, err
}

// HandoffsOf lists a member's requests to talk to a person, newest first.
func HandoffsOf(c Conn, memberID int64, limit int) ([]HandoffRequest, error) {
	db := c.orm()
	var out []HandoffRequest
	err := db.Where("member_id = ?", memberID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// CountOpenHandoffs counts the requests to talk to a person still open, of one partner's
// members when partnerID is set.
func CountOpenHandoffs(c Conn, partnerID *int64) (int64, error) {
	db := c.orm()
	q := db.Model(&HandoffRequest{}).Where("status = ?", HandoffOpen)
	if partnerID != nil {
		q = q.Where(partnerOfMember+" = ?", *partnerID)
	}
	var n int64
	err := q.Count(&n).Error
	return n, err
}
