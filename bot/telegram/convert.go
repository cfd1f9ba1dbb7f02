package telegram

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"bpubot/bot"
	"bpubot/locales"

	"github.com/go-telegram/bot/models"
)

// Bot API limits this file keeps to.
const (
	maxTextLen     = 4096 // characters of one message
	maxCallbackLen = 64   // bytes of a button's callback data
)

// inbound is an update turned into what the engine reads, plus the pressed button's callback
// query, which is answered and settled after the engine has handled it.
type inbound struct {
	in       bot.Inbound
	callback *models.CallbackQuery
}

// fromUpdate reads an update of the bot with id botID. ok is false for updates bpubot does not
// handle: anything but private chats with people, edits, and service messages (a pinned
// message, say).
//
// The external id the engine deduplicates on is "<bot id>:<update id>": update ids count per
// bot, so a database that served a test bot before the real one (or both) would otherwise take
// the new bot's updates for ones it has already handled.
func fromUpdate(upd *models.Update, botID int64) (inbound, bool) {
	ext := formatID(botID) + ":" + formatID(upd.ID)
	switch {
	case upd.Message != nil:
		m := upd.Message
		if m.Chat.Type != models.ChatTypePrivate || m.From == nil || m.From.IsBot || m.From.ID != m.Chat.ID {
			return inbound{}, false
		}
		in := bot.Inbound{
			Channel: Name, ExternalID: ext,
			ChatID: strconv.FormatInt(m.Chat.ID, 10), UserID: strconv.FormatInt(m.From.ID, 10),
		}
		switch {
		case m.Text != "":
			if payload, ok := startCommand(m.Text); ok {
				in.Kind, in.Payload = bot.KindStart, payload
			} else {
				in.Kind, in.Text = bot.KindText, m.Text
			}
		case m.Contact != nil:
			// A contact shared with the phone button always carries the sender's own user id;
			// one with none (an address-book entry) cannot be shown to be theirs, and "0"
			// never equals a sender.
			in.Kind = bot.KindContact
			in.Contact = &bot.Contact{Phone: m.Contact.PhoneNumber, UserID: strconv.FormatInt(m.Contact.UserID, 10)}
		case hasMedia(m):
			in.Kind = bot.KindUnsupported
		default:
			return inbound{}, false
		}
		return inbound{in: in}, true
	case upd.CallbackQuery != nil:
		cq := upd.CallbackQuery
		msg := cq.Message.Message
		var chat models.Chat
		switch {
		case msg != nil:
			chat = msg.Chat
		case cq.Message.InaccessibleMessage != nil:
			chat = cq.Message.InaccessibleMessage.Chat
		}
		if chat.Type != models.ChatTypePrivate || cq.From.IsBot || cq.From.ID != chat.ID {
			// Still answered, so the button stops spinning; there is nothing to handle. In a
			// private chat the person pressing is the chat: a press that says otherwise is forged.
			return inbound{callback: cq}, false
		}
		return inbound{
			in: bot.Inbound{
				Channel: Name, ExternalID: ext, Kind: bot.KindButton, Value: cq.Data,
				ChatID: strconv.FormatInt(chat.ID, 10), UserID: strconv.FormatInt(cq.From.ID, 10),
			},
			callback: cq,
		}, true
	}
	return inbound{}, false
}

// startCommand reads "/start", "/start CODE" and "/start@bot CODE" (what a t.me/<bot>?start=CODE
// link sends) and returns the payload.
func startCommand(text string) (string, bool) {
	cmd, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	name, _, _ := strings.Cut(cmd, "@")
	if !strings.EqualFold(name, "/start") {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// hasMedia reports whether a message carries something other than text the bot cannot read.
func hasMedia(m *models.Message) bool {
	return len(m.Photo) > 0 || m.Sticker != nil || m.Voice != nil || m.Audio != nil || m.Video != nil ||
		m.VideoNote != nil || m.Document != nil || m.Animation != nil || m.Location != nil ||
		m.Venue != nil || m.Poll != nil || m.Dice != nil
}

// Reply markup, as the Bot API reads it. The library's own types write fields Telegram does
// not expect (an empty copy_text on every inline button); these write only what we mean.
type (
	inlineKeyboard struct {
		InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
	}
	inlineButton struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	}
	replyKeyboard struct {
		Keyboard              [][]keyboardButton `json:"keyboard"`
		ResizeKeyboard        bool               `json:"resize_keyboard,omitempty"`
		OneTimeKeyboard       bool               `json:"one_time_keyboard,omitempty"`
		InputFieldPlaceholder string             `json:"input_field_placeholder,omitempty"`
	}
	keyboardButton struct {
		Text           string `json:"text"`
		RequestContact bool   `json:"request_contact,omitempty"`
	}
	removeKeyboard struct {
		RemoveKeyboard bool `json:"remove_keyboard"`
	}
)

// replyMarkup renders a reply's choices or contact request:
//   - choices become an inline keyboard, one button a row (labels are long), the callback data
//     being the choice's value;
//   - a contact request becomes a one-time reply keyboard with the "share my number" button
//     (and any choices as plain buttons, whose text the engine maps back to the choice);
//   - anything else removes a reply keyboard still showing. The phone question's keyboard
//     cannot be taken away by editing (Telegram refuses to edit messages with reply keyboards),
//     so every plain message carries the removal: it costs nothing when no keyboard shows, and
//     needs no memory of what each chat was last sent, which several processes could not share.
//     When the next messages all carry choices, the keyboard stays until a plain one.
func replyMarkup(r bot.Reply) (any, error) {
	switch {
	case r.RequestContact:
		kb := replyKeyboard{
			Keyboard:              [][]keyboardButton{{{Text: locales.Text(r.Lang, "telegram.share_contact"), RequestContact: true}}},
			ResizeKeyboard:        true,
			OneTimeKeyboard:       true,
			InputFieldPlaceholder: truncate(locales.Text(r.Lang, "telegram.phone_placeholder"), 64),
		}
		for _, c := range r.Choices {
			kb.Keyboard = append(kb.Keyboard, []keyboardButton{{Text: c.Label}})
		}
		return kb, nil
	case len(r.Choices) > 0:
		kb := inlineKeyboard{}
		for _, c := range r.Choices {
			if c.Value == "" || len(c.Value) > maxCallbackLen {
				return nil, errBadChoice(c.Value)
			}
			kb.InlineKeyboard = append(kb.InlineKeyboard, []inlineButton{{Text: c.Label, CallbackData: c.Value}})
		}
		return kb, nil
	default:
		return removeKeyboard{RemoveKeyboard: true}, nil
	}
}

// splitText cuts a text into messages Telegram accepts, at line breaks where it can.
func splitText(s string) []string {
	var parts []string
	for utf8.RuneCountInString(s) > maxTextLen {
		cut := byteIndexOfRune(s, maxTextLen)
		if nl := strings.LastIndexByte(s[:cut], '\n'); nl > cut/2 {
			cut = nl + 1
		}
		parts = append(parts, strings.TrimRight(s[:cut], "\n"))
		s = s[cut:]
	}
	return append(parts, s)
}

// byteIndexOfRune returns the byte offset of the n-th rune of s.
func byteIndexOfRune(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return s[:byteIndexOfRune(s, n)]
}

// pickedLabel finds the label of the button with callback data data in a message's inline
// keyboard.
func pickedLabel(m *models.Message, data string) (string, bool) {
	if m == nil || m.ReplyMarkup == nil {
		return "", false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return b.Text, true
			}
		}
	}
	return "", false
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

// StartLink is the t.me link that opens the bot (its username, with or without '@') and starts
// sign-up for the partner code, as startCommand reads it.
func StartLink(username, code string) string {
	return "https://t.me/" + strings.TrimPrefix(username, "@") + "?start=" + url.QueryEscape(code)
}
