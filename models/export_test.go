package models

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
)

// NewMigrator is newMigrator for the tests: a goose provider over other migration files.
func NewMigrator(ctx context.Context, db *DB, files fs.FS) (*goose.Provider, error) {
	return newMigrator(ctx, db, files)
}

// ConversationColumns and ConversationFields expose the hot path's columns of a conversation.
func ConversationColumns() []string            { return conversationColumns }
func ConversationFields(c *Conversation) []any { return c.fields() }

// Gorm is the GORM handle of c, for models' own tests.
func Gorm(c Conn) *gorm.DB { return c.orm() }
