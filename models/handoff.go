package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// Handoff request statuses.
const (
	HandoffOpen   = "open"
	HandoffClosed = "closed"
)

// CreateHandoff records a worker's request to talk to a person and sets its ID.
func CreateHandoff(c Conn, req *HandoffRequest) error {
	tx := c.orm()
	if req.Status == "" {
		req.Status = HandoffOpen
	}
	return tx.Create(req).Error
}

// OpenHandoffOf returns the chat's open request, or ErrNotFound.
func OpenHandoffOf(c Conn, channel, chatID string) (*HandoffRequest, error) {
	tx := c.orm()
	var r HandoffRequest
	err := tx.Where("channel = ? AND chat_id = ? AND status = ?", channel, chatID, HandoffOpen).Order("id DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &r, err
}

// HandoffIsOpen reports whether request id is still open.
func HandoffIsOpen(c Conn, id int64) (bool, error) {
	tx := c.orm()
	var n int64
	err := tx.Model(&HandoffRequest{}).Where("id = ? AND status = ?", id, HandoffOpen).Count(&n).Error
	return n > 0, err
}

// AddHandoffMessage adds what the worker wrote to their open request.
func AddHandoffMessage(c Conn, handoffID int64, text string, now time.Time) error {
	tx := c.orm()
	return tx.Create(&HandoffMessage{HandoffID: handoffID, Text: text, CreatedAt: now}).Error
}

// HandoffMessages lists what the workers wrote to the given requests after asking, oldest
// first, by request.
func HandoffMessages(c Conn, ids []int64) (map[int64][]HandoffMessage, error) {
	db := c.orm()
	out := map[int64][]HandoffMessage{}
	if len(ids) == 0 {
		return out, nil
	}
	var msgs []HandoffMessage
	if err := db.Where("handoff_id IN ?", ids).Order("handoff_id, id").Find(&msgs).Error; err != nil {
		return nil, err
	}
	for _, m := range msgs {
		out[m.HandoffID] = append(out[m.HandoffID], m)
	}
	return out, nil
}

// OpenHandoffs lists requests to talk to a person that are still open, oldest first.
func OpenHandoffs(c Conn, limit int) ([]HandoffRequest, error) {
	db := c.orm()
	var out []HandoffRequest
	err := db.Where("status = ?", HandoffOpen).Order("created_at, id").Limit(limit).Find(&out).Error
	return out, err
}

// CloseHandoff marks a request as dealt with.
func CloseHandoff(c Conn, id int64, now time.Time) error {
	db := c.orm()
	res := db.Model(&HandoffRequest{}).Where("id = ? AND status = ?", id, HandoffOpen).
		Updates(map[string]any{"status": HandoffClosed, "closed_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// IsNotFound reports whether err is ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// HandoffFilter chooses requests for staff.
type HandoffFilter struct {
	Status    string // "" for open (taken or not), or closed
	PartnerID *int64 // only requests of that partner's members
	Limit     int
}

// partnerOfMember is the partner of a member's latest enrollment.
const partnerOfMember = `(SELECT e.partner_id FROM enrollments e WHERE e.member_id = handoff_requests.member_id ORDER BY e.id DESC LIMIT 1)`

// FindHandoffs lists requests, oldest first for open ones, newest first for closed ones.
func FindHandoffs(c Conn, f HandoffFilter) ([]HandoffRequest, error) {
	db := c.orm()
	status := f.Status
	if status == "" {
		status = HandoffOpen
	}
	q := db.Where("status = ?", status)
	if f.PartnerID != nil {
		q = q.Where(partnerOfMember+" = ?", *f.PartnerID)
	}
	if status == HandoffOpen {
		q = q.Order("created_at, id")
	} else {
		q = q.Order("id DESC")
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []HandoffRequest
	err := q.Limit(f.Limit).Find(&out).Error
	return out, err
}

// FindHandoff loads request id.
func FindHandoff(c Conn, id int64) (*HandoffRequest, error) {
	db := c.orm()
	var r HandoffRequest
	return firstOrNotFound(&r, db.Take(&r, id).Error)
}

// HandoffPartner is the partner of the request's member, nil when it has none.
func HandoffPartner(c Conn, id int64) (*int64, error) {
	db := c.orm()
	var p *int64
	err := db.Raw(`SELECT `+partnerOfMember+` FROM handoff_requests WHERE id = ?`, id).Scan(&p).Error
	return p, err
}

// TakeHandoff records that staff member staffID answers an open request. A request taken by
// someone else stays theirs unless force.
func TakeHandoff(c Conn, id, staffID int64, force bool, now time.Time) error {
	db := c.orm()
	q := db.Model(&HandoffRequest{}).Where("id = ? AND status = ?", id, HandoffOpen)
	if !force {
		q = q.Where("taken_by IS NULL OR taken_by = ?", staffID)
	}
	res := q.Updates(map[string]any{"taken_by": staffID, "taken_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkStaffReplied records a staff answer on an open request (it resets the timeout).
func MarkStaffReplied(c Conn, id int64, now time.Time) error {
	db := c.orm()
	return db.Model(&HandoffRequest{}).Where("id = ? AND status = ?", id, HandoffOpen).
		Update("staff_replied_at", now).Error
}

// CloseHandoffBy closes an open request, saying by whom (nil: no staff member) and why.
func CloseHandoffBy(c Conn, id int64, staffID *int64, reason string, now time.Time) error {
	db := c.orm()
	res := db.Model(&HandoffRequest{}).Where("id = ? AND status = ?", id, HandoffOpen).
		Updates(map[string]any{"status": HandoffClosed, "closed_at": now, "closed_by": staffID, "close_reason": reason})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// StaleHandoffs lists open requests with no staff answer since before: none since they were
// taken, or since they were opened if nobody took them.
func StaleHandoffs(c Conn, before time.Time, limit int) ([]HandoffRequest, error) {
	db := c.orm()
	var out []HandoffRequest
	err := db.Where("status = ? AND COALESCE(staff_replied_at, taken_at, created_at) < ?", HandoffOpen, before).
		Order("id").Limit(limit).Find(&out).Error
	return out, err
}

// ConversationLang is the language of a chat's conversation, "" when it has none.
func ConversationLang(c Conn, channel, chatID string) (string, error) {
	db := c.orm()
	var lang string
	err := db.Raw(`SELECT lang FROM conversations WHERE channel = ? AND chat_id = ?`, channel, chatID).Scan(&lang).Error
	return lang, err
}
