package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ConsoleSession is a staff member's session in the web console, as github.com/alexedwards/scs
// stores it.
type ConsoleSession struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

// SessionStore keeps console sessions in the database, the same code on SQLite and PostgreSQL,
// so sessions outlive a restart and are shared by every serve process. It implements scs's
// Store and CtxStore.
type SessionStore struct {
	DB *DB
	// Now is the clock expiry is judged by; time.Now when nil.
	Now func() time.Time
}

func (s *SessionStore) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// FindCtx returns the data of a session that exists and has not expired.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row ConsoleSession
	err := s.DB.g.WithContext(ctx).Where("token = ? AND expiry > ?", token, s.now().UTC()).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return row.Data, true, nil
}

// CommitCtx stores a session's data and expiry, replacing what the token held.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.DB.g.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&ConsoleSession{Token: token, Data: b, Expiry: expiry.UTC()}).Error
}

// DeleteCtx removes a session; a token that is not there is no error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.DB.g.WithContext(ctx).Where("token = ?", token).Delete(&ConsoleSession{}).Error
}

// Find is FindCtx without a context.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// ConsoleLoginFailure is a refused console log-in: the account name typed (lower case) and the
// address it came from.
type ConsoleLoginFailure struct {
	ID        int64 `gorm:"primaryKey"`
	Account   string
	Address   string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

// RecordLoginFailure notes a refused log-in.
func RecordLoginFailure(c Conn, account, address string, now time.Time) error {
	return c.orm().Create(&ConsoleLoginFailure{Account: account, Address: address, CreatedAt: now.UTC()}).Error
}

// LoginFailures counts the refused log-ins since since for the account and from the address.
func LoginFailures(c Conn, account, address string, since time.Time) (byAccount, byAddress int64, err error) {
	db := c.orm()
	if err = db.Model(&ConsoleLoginFailure{}).Where("account = ? AND created_at > ?", account, since.UTC()).Count(&byAccount).Error; err != nil {
		return
	}
	err = db.Model(&ConsoleLoginFailure{}).Where("address = ? AND created_at > ?", address, since.UTC()).Count(&byAddress).Error
	return
}

// ClearLoginFailures forgets an account's refused log-ins once it logs in.
func ClearLoginFailures(c Conn, account string) error {
	return c.orm().Where("account = ?", account).Delete(&ConsoleLoginFailure{}).Error
}
