package fakeapi

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// User is a simulated Telegram user in a private chat with the bot; as in Telegram, the chat id
// is the user id. Its methods make updates and deliver them, returning the update id.
type User struct {
	s         *Server
	ID        int64
	FirstName string
	msgID     atomic.Int64
}

// User makes a simulated user.
func (s *Server) User(id int64, firstName string) *User {
	return &User{s: s, ID: id, FirstName: firstName}
}

func (u *User) from() map[string]any {
	return map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName, "language_code": "id"}
}

func (u *User) message(fields map[string]any) func(id int64) any {
	return func(id int64) any {
		msg := map[string]any{
			"message_id": u.msgID.Add(1),
			"from":       u.from(),
			"chat":       map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName},
			"date":       time.Now().Unix(),
		}
		for k, v := range fields {
			msg[k] = v
		}
		return map[string]any{"update_id": id, "message": msg}
	}
}

// TextUpdate makes (without delivering) the update of a typed message.
func (u *User) TextUpdate(text string) (int64, []byte) {
	return u.s.NewUpdate(u.message(textFields(text)))
}

func textFields(text string) map[string]any {
	fields := map[string]any{"text": text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		fields["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": len([]rune(cmd))}}
	}
	return fields
}

// Text types a message.
func (u *User) Text(text string) int64 {
	return u.s.Push(u.message(textFields(text)))
}

// Contact shares a phone contact that belongs to owner (0: a contact with no Telegram account).
func (u *User) Contact(phone string, owner int64) int64 {
	c := map[string]any{"phone_number": phone, "first_name": u.FirstName}
	if owner != 0 {
		c["user_id"] = owner
	}
	return u.s.Push(u.message(map[string]any{"contact": c}))
}

// Photo sends a photo.
func (u *User) Photo() int64 {
	photo := []map[string]any{{"file_id": "AgAD" + strconv.FormatInt(u.ID, 36), "file_unique_id": "u1", "width": 90, "height": 90}}
	return u.s.Push(u.message(map[string]any{"photo": photo}))
}

// Sticker sends a sticker.
func (u *User) Sticker() int64 {
	st := map[string]any{"file_id": "CAAD", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false}
	return u.s.Push(u.message(map[string]any{"sticker": st}))
}

var callbackSeq atomic.Int64

// Press presses the button with callback data data under the bot's message m, which need not
// be the newest: old keyboards can be pressed.
func (u *User) Press(m Message, data string) int64 {
	return u.s.Push(func(id int64) any {
		return map[string]any{"update_id": id, "callback_query": map[string]any{
			"id":            strconv.FormatInt(callbackSeq.Add(1), 10),
			"from":          u.from(),
			"message":       m.apiMessage(),
			"chat_instance": "ci" + strconv.FormatInt(u.ID, 10),
			"data":          data,
		}}
	})
}

// Messages returns what the bot sent this user.
func (u *User) Messages() []Message { return u.s.Messages(u.ID) }
