package models

import (
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Statements over many rows at once (imports of a hundred thousand payments) pass their keys
// as one array on PostgreSQL, where a parameter may be an array, and as one parameter each on
// SQLite, in smaller batches: well under SQLite's 32766 parameters.
const (
	pgBatch     = 20_000
	sqliteBatch = 1_000
)

// batchFor is how many keys one statement takes on db.
func batchFor(db *gorm.DB) int {
	if isPostgres(db) {
		return pgBatch
	}
	return sqliteBatch
}

// eachBatch calls fn with consecutive parts of items, at most n long.
func eachBatch[T any](items []T, n int, fn func([]T) error) error {
	for len(items) > 0 {
		k := min(n, len(items))
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}

// anyOf is the condition that col is one of vals, for hotQuery: "col = ANY(?::bigint[])" with
// vals as one array on PostgreSQL, "col IN (?, ?, ...)" on SQLite.
func anyOf[T int64 | string](db *gorm.DB, col string, vals []T) (string, []any) {
	if isPostgres(db) {
		var zero T
		typ := "text[]"
		if _, ok := any(zero).(int64); ok {
			typ = "bigint[]"
		}
		return col + " = ANY(?::" + typ + ")", []any{vals}
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return col + " IN (?" + strings.Repeat(", ?", len(vals)-1) + ")", args
}

// uniq returns xs sorted without repeats.
func uniq[T int64 | string](xs []T) []T {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}
