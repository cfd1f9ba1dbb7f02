package models

import (
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Staff roles.
const (
	RoleAdmin   = "admin"   // everything, personal data shown on request (audited)
	RoleStaff   = "staff"   // broadcasts and handoffs for every worker
	RolePartner = "partner" // only the workers of their own partner
)

// Staff is a staff member of a branch office or a partner. The console password is kept only as
// an argon2id hash, the API token only as its SHA-256.
type Staff struct {
	ID             int64 `gorm:"primaryKey"`
	Name           string
	Role           string
	PartnerID      *int64
	TelegramUserID *int64
	PasswordHash   string
	TokenHash      *string
	Disabled       bool
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

// TableName keeps the table named as staff are called.
func (Staff) TableName() string { return "staff" }

// ErrStaffExists is returned when a staff name or Telegram user is taken.
var ErrStaffExists = errors.New("a staff member with this name or Telegram user already exists")

// CreateStaff stores a new staff member and sets its ID.
func CreateStaff(c Conn, s *Staff) error {
	db := c.orm()
	var n int64
	q := db.Model(&Staff{}).Where("LOWER(name) = LOWER(?)", s.Name)
	if s.TelegramUserID != nil {
		q = q.Or("telegram_user_id = ?", *s.TelegramUserID)
	}
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrStaffExists
	}
	return db.Create(s).Error
}

// StaffList lists every staff member, by name.
func StaffList(c Conn) ([]Staff, error) {
	db := c.orm()
	var out []Staff
	err := db.Order("name").Find(&out).Error
	return out, err
}

// FindStaff finds a staff member by id, or by name (case-insensitively) when ref is not a number.
func FindStaff(c Conn, id int64, name string) (*Staff, error) {
	db := c.orm()
	var s Staff
	q := db
	if id != 0 {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("LOWER(name) = LOWER(?)", strings.TrimSpace(name))
	}
	return firstOrNotFound(&s, q.Take(&s).Error)
}

// StaffByTelegram finds the staff member with a Telegram user id.
func StaffByTelegram(c Conn, userID int64) (*Staff, error) {
	db := c.orm()
	var s Staff
	return firstOrNotFound(&s, db.Where("telegram_user_id = ?", userID).Take(&s).Error)
}

// StaffByTokenHash finds the staff member whose API token has this hash.
func StaffByTokenHash(c Conn, hash string) (*Staff, error) {
	db := c.orm()
	var s Staff
	return firstOrNotFound(&s, db.Where("token_hash = ?", hash).Take(&s).Error)
}

// StaffTelegramIDs lists the Telegram user ids of staff members who are not disabled.
func StaffTelegramIDs(c Conn) ([]int64, error) {
	db := c.orm()
	var ids []int64
	err := db.Model(&Staff{}).Where("telegram_user_id IS NOT NULL AND disabled = ?", false).Pluck("telegram_user_id", &ids).Error
	return ids, err
}

// UpdateStaff sets columns of a staff member.
func UpdateStaff(c Conn, id int64, cols map[string]any, now time.Time) error {
	db := c.orm()
	cols["updated_at"] = now
	res := db.Model(&Staff{}).Where("id = ?", id).Updates(cols)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

func firstOrNotFound[T any](v *T, err error) (*T, error) {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// AuditLog lists the newest entries first.
func AuditLog(c Conn, limit int) ([]AuditEntry, error) {
	db := c.orm()
	var out []AuditEntry
	err := db.Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// StaffDialog is where a staff member is in a guided command on Telegram (/siaran).
type StaffDialog struct {
	TelegramUserID int64 `gorm:"primaryKey;autoIncrement:false"`
	ChatID         string
	State          string
	Data           string    // JSON
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

// GetStaffDialog loads a staff member's dialog, ErrNotFound when none.
func GetStaffDialog(c Conn, userID int64) (*StaffDialog, error) {
	db := c.orm()
	var d StaffDialog
	return firstOrNotFound(&d, db.Where("telegram_user_id = ?", userID).Take(&d).Error)
}

// SaveStaffDialog stores a dialog, replacing the member's earlier one.
func SaveStaffDialog(c Conn, d StaffDialog) error {
	db := c.orm()
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("telegram_user_id = ?", d.TelegramUserID).Delete(&StaffDialog{}).Error; err != nil {
			return err
		}
		return tx.Create(&d).Error
	})
}

// DeleteStaffDialog ends a staff member's dialog.
func DeleteStaffDialog(c Conn, userID int64) error {
	db := c.orm()
	return db.Where("telegram_user_id = ?", userID).Delete(&StaffDialog{}).Error
}
