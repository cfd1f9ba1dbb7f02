// Package bot is bpubot's core: the message types every channel speaks, the Channel interface,
// the Engine that handles one inbound message in one transaction, and the outbox Dispatcher.
package bot

import (
	"strconv"
	"strings"
	"time"

	"bpubot/locales"
)

// Inbound is one message from a worker, as a channel adapter hands it to the engine.
type Inbound struct {
	Channel    string // "telegram", "whatsapp", "console"
	ChatID     string // where replies go
	UserID     string // who wrote
	ExternalID string // the platform's message or update id; redeliveries carry the same one
	Text       string // what the worker typed
	Value      string // the value of a pressed button, or of the numbered choice the text picked
	Contact    *Contact
	Payload    string // deep-link payload (Telegram /start code, wa.me prefilled code)
	Phone      string // the sender's phone number when the channel knows it (E.164)
	Kind       Kind
	Lang       string // preferred language for a new conversation; "" for the default
	At         time.Time
}

// Kind says what sort of message arrived.
type Kind int

// Kinds of inbound messages.
const (
	KindText        Kind = iota // typed text
	KindButton                  // a pressed button; Value holds its value
	KindContact                 // a shared phone contact
	KindStart                   // a chat opened or /start, with an optional Payload
	KindUnsupported             // photo, sticker, voice note, location...
)

// Contact is a phone contact shared through the platform's own button.
type Contact struct {
	Phone  string
	UserID string // the platform user the contact belongs to, when known
}

// Input is what the flows read: a button's value if one was chosen, else the typed text.
func (in Inbound) Input() string {
	if in.Value != "" {
		return in.Value
	}
	return strings.TrimSpace(in.Text)
}

// MenuButtonPrefix marks a button value that holds whatever the last reply offered: "menu:daftar"
// is read as the command /daftar. Announcements carry such buttons ("Daftar", "Cara bayar").
const MenuButtonPrefix = "menu:"

// StaffButtonPrefix marks a button meant for staff (under a handoff notice in the staff group):
// channels hand presses of it to the StaffDesk, never to the engine.
const StaffButtonPrefix = "staff:"

// Choice is one option offered to the worker.
type Choice struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Reply is one message to a worker: text, optional choices, or a request to share their phone
// contact. Lang is the conversation's language, for the parts a channel adds itself.
type Reply struct {
	Text           string   `json:"text"`
	Choices        []Choice `json:"choices,omitempty"`
	RequestContact bool     `json:"request_contact,omitempty"`
	Lang           string   `json:"lang,omitempty"`
}

// NumberedText renders a reply for channels without buttons (console, WhatsApp): the text, the
// choices as numbered lines, and a hint to answer with a number.
func NumberedText(r Reply) string {
	if len(r.Choices) == 0 && !r.RequestContact {
		return r.Text
	}
	var b strings.Builder
	b.WriteString(r.Text)
	if len(r.Choices) > 0 {
		b.WriteString("\n")
		for i, c := range r.Choices {
			b.WriteString("\n")
			b.WriteString(strconv.Itoa(i + 1))
			b.WriteString(". ")
			b.WriteString(c.Label)
		}
		b.WriteString("\n\n")
		b.WriteString(locales.Text(r.Lang, "common.reply_with_number"))
	}
	return b.String()
}

// MatchChoice maps what the worker typed to one of the offered choices: its value, its label,
// or its number ("2", "2."), case-insensitively. A value wins over a number, so "3" among
// "1 / 3 / 6 / 12 months" means three months. ok is false when nothing matches.
func MatchChoice(choices []Choice, text string) (Choice, bool) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimRight(t, ".)")
	if t == "" {
		return Choice{}, false
	}
	for _, c := range choices {
		if strings.ToLower(c.Value) == t {
			return c, true
		}
	}
	if n, err := strconv.Atoi(t); err == nil {
		if n >= 1 && n <= len(choices) {
			return choices[n-1], true
		}
		return Choice{}, false
	}
	for _, c := range choices {
		if strings.ToLower(c.Label) == t {
			return c, true
		}
	}
	return Choice{}, false
}
