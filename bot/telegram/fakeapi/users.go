package fakeapi

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// User is a simulated Telegram user in a private chat with the bot; as in Telegram, the chat id
// is the user id. Its methods make updates and deliver them, returning the update id.
type User struct {
	s         *Server
	ID        int64
	FirstName string
	msgID     atomic.Int64
	group     int64 // the group this user writes in (GroupMember); 0 for their private chat
}

// User makes a simulated user.
func (s *Server) User(id int64, firstName string) *User {
	return &User{s: s, ID: id, FirstName: firstName}
}

// GroupMember is a simulated user writing in group chat group (a staff group, id -100…): their
// messages go to the group, and what the bot sends there is the group's (Messages(group)).
func (s *Server) GroupMember(group, id int64, firstName string) *User {
	return &User{s: s, ID: id, FirstName: firstName, group: group}
}

// ReplyTo types a message in reply to the bot's message m.
func (u *User) ReplyTo(m Message, text string) int64 {
	return u.s.Push(u.message(func(msg *userMessage) {
		textFields(text)(msg)
		reply := m.apiMessage()
		msg.ReplyTo = &reply
	}))
}

// The updates users make, field by field.

type apiUpdate struct {
	UpdateID      int64             `json:"update_id"`
	Message       *userMessage      `json:"message,omitempty"`
	CallbackQuery *apiCallbackQuery `json:"callback_query,omitempty"`
}

// userMessage is a message from a user; one of Text, Contact, Photo and Sticker is set.
type userMessage struct {
	MessageID int64        `json:"message_id"`
	From      apiUser      `json:"from"`
	Chat      userChat     `json:"chat"`
	Date      int64        `json:"date"`
	Text      *string      `json:"text,omitempty"`
	Entities  []entity     `json:"entities,omitempty"`
	Contact   *contact     `json:"contact,omitempty"`
	Photo     []photoSize  `json:"photo,omitempty"`
	Sticker   *stickerFile `json:"sticker,omitempty"`
	ReplyTo   *apiMessage  `json:"reply_to_message,omitempty"`
}

type userChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	FirstName string `json:"first_name,omitempty"`
}

type entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type contact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	UserID      int64  `json:"user_id,omitempty"`
}

type photoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

type stickerFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	IsAnimated   bool   `json:"is_animated"`
	IsVideo      bool   `json:"is_video"`
}

type apiCallbackQuery struct {
	ID           string     `json:"id"`
	From         apiUser    `json:"from"`
	Message      apiMessage `json:"message"`
	ChatInstance string     `json:"chat_instance"`
	Data         string     `json:"data"`
}

func (u *User) from() apiUser {
	return apiUser{ID: u.ID, IsBot: false, FirstName: u.FirstName, LanguageCode: "id"}
}

// message makes the update of a message whose content fill sets.
func (u *User) message(fill func(*userMessage)) func(id int64) any {
	return func(id int64) any {
		msg := &userMessage{
			MessageID: u.msgID.Add(1),
			From:      u.from(),
			Chat:      u.chat(),
			Date:      time.Now().Unix(),
		}
		fill(msg)
		return apiUpdate{UpdateID: id, Message: msg}
	}
}

func (u *User) chat() userChat {
	if u.group != 0 {
		return userChat{ID: u.group, Type: "supergroup"}
	}
	return userChat{ID: u.ID, Type: "private", FirstName: u.FirstName}
}

// TextUpdate makes (without delivering) the update of a typed message.
func (u *User) TextUpdate(text string) (int64, []byte) {
	return u.s.NewUpdate(u.message(textFields(text)))
}

func textFields(text string) func(*userMessage) {
	return func(m *userMessage) {
		m.Text = &text
		if strings.HasPrefix(text, "/") {
			cmd, _, _ := strings.Cut(text, " ")
			m.Entities = []entity{{Type: "bot_command", Offset: 0, Length: utf8.RuneCountInString(cmd)}}
		}
	}
}

// Text types a message.
func (u *User) Text(text string) int64 {
	return u.s.Push(u.message(textFields(text)))
}

// Contact shares a phone contact that belongs to owner (0: a contact with no Telegram account).
func (u *User) Contact(phone string, owner int64) int64 {
	return u.s.Push(u.message(func(m *userMessage) {
		m.Contact = &contact{PhoneNumber: phone, FirstName: u.FirstName, UserID: owner}
	}))
}

// Photo sends a photo.
func (u *User) Photo() int64 {
	return u.s.Push(u.message(func(m *userMessage) {
		m.Photo = []photoSize{{FileID: "AgAD" + strconv.FormatInt(u.ID, 36), FileUniqueID: "u1", Width: 90, Height: 90}}
	}))
}

// Sticker sends a sticker.
func (u *User) Sticker() int64 {
	return u.s.Push(u.message(func(m *userMessage) {
		m.Sticker = &stickerFile{FileID: "CAAD", FileUniqueID: "s1", Type: "regular", Width: 512, Height: 512}
	}))
}

var callbackSeq atomic.Int64

// Press presses the button with callback data data under the bot's message m, which need not
// be the newest: old keyboards can be pressed.
func (u *User) Press(m Message, data string) int64 {
	id, _ := u.PressQuery(m, data)
	return id
}

// PressQuery is Press that also returns the press's callback query id, for Answer.
func (u *User) PressQuery(m Message, data string) (update int64, query string) {
	query = strconv.FormatInt(callbackSeq.Add(1), 10)
	update = u.s.Push(func(id int64) any {
		return apiUpdate{UpdateID: id, CallbackQuery: &apiCallbackQuery{
			ID:           query,
			From:         u.from(),
			Message:      m.apiMessage(),
			ChatInstance: "ci" + strconv.FormatInt(u.ID, 10),
			Data:         data,
		}}
	})
	return update, query
}

// Messages returns what the bot sent this user.
func (u *User) Messages() []Message { return u.s.Messages(u.ID) }
