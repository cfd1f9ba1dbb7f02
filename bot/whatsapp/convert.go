package whatsapp

import (
	"net/url"
	"regexp"
	"strings"

	"bpubot/bot"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// ignoreReason says why an incoming message is not for the bot; "" when it is.
type ignoreReason string

// Reasons to ignore a message, as in the bpubot_whatsapp_ignored_messages_total metric.
const (
	ignoreSelf       ignoreReason = "self"       // sent by the linked number itself
	ignoreGroup      ignoreReason = "group"      // the bot serves one worker at a time
	ignoreBroadcast  ignoreReason = "broadcast"  // status updates and broadcast lists
	ignoreNewsletter ignoreReason = "newsletter" // channels
	ignoreOtherChat  ignoreReason = "other_chat" // any other kind of address
	ignoreProtocol   ignoreReason = "protocol"   // reactions, edits, deletions, key exchanges
)

// ownIDs are the linked number's addresses, by phone number and by LID.
type ownIDs struct{ pn, lid types.JID }

func (o ownIDs) is(jid types.JID) bool {
	jid = jid.ToNonAD()
	return (!o.pn.IsEmpty() && jid.User == o.pn.User && jid.Server == o.pn.Server) ||
		(!o.lid.IsEmpty() && jid.User == o.lid.User && jid.Server == o.lid.Server)
}

// partnerLink is the text a wa.me link fills in: https://wa.me/62…?text=DAFTAR%20ANSOR01.
// Only the capitalised keyword counts, as the link writes it, so a worker typing "daftar …" in
// the middle of a question is not taken for a link (the menu understands that itself).
var partnerLink = regexp.MustCompile(`^DAFTAR\s+([A-Za-z0-9][A-Za-z0-9_-]{0,39})\s*$`)

// fromWhatsApp reads a message event as the Inbound it means for the bot, without the sender's
// chat, user and phone (resolveSender fills them), or says why the bot ignores it.
//
// Text comes from a plain message or an extended one (a link preview, a quoted reply). Media,
// voice notes, stickers, locations and contacts become KindUnsupported, which the router
// answers with the same explanation as on Telegram. "DAFTAR <code>" from a wa.me link becomes a
// start with the partner code as payload, like a Telegram deep link, so it works whatever
// state the conversation is in.
func fromWhatsApp(e *events.Message, own ownIDs) (bot.Inbound, ignoreReason) {
	info := e.Info
	switch chat := info.Chat; {
	case info.IsFromMe:
		return bot.Inbound{}, ignoreSelf
	case chat.Server == types.BroadcastServer:
		return bot.Inbound{}, ignoreBroadcast
	case info.IsGroup || chat.Server == types.GroupServer:
		return bot.Inbound{}, ignoreGroup
	case chat.Server == types.NewsletterServer:
		return bot.Inbound{}, ignoreNewsletter
	case chat.Server != types.DefaultUserServer && chat.Server != types.HiddenUserServer:
		return bot.Inbound{}, ignoreOtherChat
	case own.is(info.Sender) || own.is(chat):
		return bot.Inbound{}, ignoreSelf
	case e.IsEdit:
		return bot.Inbound{}, ignoreProtocol
	}
	in := bot.Inbound{Channel: Name, ExternalID: string(info.ID), At: info.Timestamp}
	if text := messageText(e.Message); text != "" {
		in.Kind, in.Text = bot.KindText, text
		if m := partnerLink.FindStringSubmatch(text); m != nil {
			in.Kind, in.Payload = bot.KindStart, m[1]
		}
		return in, ""
	}
	if isMedia(e.Message) {
		in.Kind = bot.KindUnsupported
		return in, ""
	}
	return bot.Inbound{}, ignoreProtocol
}

func messageText(m *waE2E.Message) string {
	if t := m.GetConversation(); t != "" {
		return t
	}
	return m.GetExtendedTextMessage().GetText()
}

// isMedia reports a message a worker sent on purpose that the bot cannot read.
func isMedia(m *waE2E.Message) bool {
	return m.GetImageMessage() != nil || m.GetVideoMessage() != nil || m.GetPtvMessage() != nil ||
		m.GetAudioMessage() != nil || m.GetStickerMessage() != nil || m.GetLottieStickerMessage() != nil ||
		m.GetDocumentMessage() != nil || m.GetLocationMessage() != nil || m.GetLiveLocationMessage() != nil ||
		m.GetContactMessage() != nil || m.GetContactsArrayMessage() != nil ||
		m.GetPollCreationMessage() != nil || m.GetPollCreationMessageV2() != nil || m.GetPollCreationMessageV3() != nil ||
		m.GetEventMessage() != nil
}

// PartnerLink is the wa.me link that opens a chat with number (digits, with or without '+')
// with "DAFTAR <code>" filled in: the text partnerLink reads as a sign-up for the partner.
func PartnerLink(number, code string) string {
	return "https://wa.me/" + strings.TrimPrefix(number, "+") + "?text=" + url.PathEscape("DAFTAR "+code)
}
