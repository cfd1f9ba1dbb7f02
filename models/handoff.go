package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// OpenHandoffs lists requests to talk to a person that are still open, oldest first.
func OpenHandoffs(db *gorm.DB, limit int) ([]HandoffRequest, error) {
	var out []HandoffRequest
	err := db.Where("status = ?", "open").Order("created_at, id").Limit(limit).Find(&out).Error
	return out, err
}

// CloseHandoff marks a request as dealt with.
func CloseHandoff(db *gorm.DB, id int64, now time.Time) error {
	res := db.Model(&HandoffRequest{}).Where("id = ? AND status = ?", id, "open").
		Updates(map[string]any{"status": "closed", "closed_at": now})
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
