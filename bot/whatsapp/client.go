package whatsapp

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow/types"
)

// Client is the part of a whatsmeow client the channel uses: small enough to fake in tests,
// where WhatsApp cannot be reached. meowClient is the real one.
//
// Events arrive at the handler one at a time, in the order WhatsApp sent them, as whatsmeow's
// own event types (*events.Message, *events.Connected, *events.LoggedOut ...); the next event
// waits for the handler. A message is acknowledged to WhatsApp only once the handler returns
// true: one it returns false for (not committed) WhatsApp delivers again, and whatsmeow's
// decrypted-event buffer lets it be read again.
type Client interface {
	// Connect opens the connection; login completes later, with an *events.Connected.
	Connect(ctx context.Context) error
	// Disconnect closes the connection; no Disconnected event follows.
	Disconnect()
	// AddEventHandler registers the one handler of every event; it reports whether the event
	// was handled (false: do not acknowledge it).
	AddEventHandler(handler func(evt any) bool)
	// OwnID is the linked number's address; OwnLID its hidden-user (LID) address, if known.
	OwnID() types.JID
	OwnLID() types.JID

	// SendText sends a text message and waits for the server's acknowledgement. A refusal by
	// the server is a *ServerError; ErrNotConnected means nothing was sent.
	SendText(ctx context.Context, to types.JID, text string) error
	// SendTyping shows or clears "typing…" in a chat.
	SendTyping(ctx context.Context, chat types.JID, typing bool) error
	// MarkRead sends a read receipt (blue ticks) for one message.
	MarkRead(ctx context.Context, id types.MessageID, chat, sender types.JID, at time.Time) error
	// IsOnWhatsApp reports whether a phone number (E.164, "+62…") has a WhatsApp account.
	IsOnWhatsApp(ctx context.Context, phone string) (bool, error)
	// PNForLID looks up the phone-number address behind a hidden-user (LID) address in the
	// session store; an empty JID when the mapping is unknown.
	PNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// Connector opens the client of the linked device.
type Connector interface {
	// Open returns a new, unconnected client of the linked device, or ErrNotPaired.
	Open(ctx context.Context) (Client, error)
}
