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
