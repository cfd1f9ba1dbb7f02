package models_test

import (
	"reflect"
	"slices"
	"testing"

	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestConversationColumns holds the conversation's hand-written statements to the struct and
// the table: fields lists every field of Conversation, in order, and the migrated table has
// exactly the struct's columns.
func TestConversationColumns(t *testing.T) {
	var c models.Conversation
	v := reflect.ValueOf(&c).Elem()
	fields := models.ConversationFields(&c)
	if len(fields) != v.NumField() {
		t.Fatalf("fields lists %d fields, Conversation has %d", len(fields), v.NumField())
	}
	for i := range v.NumField() {
		if want := v.Field(i).Addr().Interface(); fields[i] != want {
			t.Errorf("fields[%d] is not &Conversation.%s", i, v.Type().Field(i).Name)
		}
	}
	cols := models.ConversationColumns()
	if len(cols) != v.NumField() || cols[0] != "id" || cols[2] != "chat_id" || cols[4] != "member_id" {
		t.Fatalf("columns %v", cols)
	}
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		types, err := models.Gorm(db).Migrator().ColumnTypes("conversations")
		if err != nil {
			t.Fatal(err)
		}
		var table []string
		for _, ct := range types {
			table = append(table, ct.Name())
		}
		slices.Sort(table)
		want := slices.Sorted(slices.Values(cols))
		if !slices.Equal(table, want) {
			t.Fatalf("table conversations has columns %v, the struct %v", table, want)
		}
	})
}
