package whatsapp

import (
	"errors"
	"fmt"
)

// Errors of the WhatsApp channel, its pairing and its session store.
var (
	// ErrNotPaired means no phone number is linked: run `bpubot whatsapp pair`.
	ErrNotPaired = errors.New("whatsapp: no linked number")
	// ErrAlreadyPaired is returned by Pair when a number is linked already.
	ErrAlreadyPaired = errors.New("whatsapp: a number is linked already")
	// ErrPairTimeout means the QR code or pairing code was not used in time.
	ErrPairTimeout = errors.New("whatsapp: pairing timed out")
	// ErrPairFailed means WhatsApp refused or broke off the pairing.
	ErrPairFailed = errors.New("whatsapp: pairing failed")
	// ErrClientOutdated means WhatsApp no longer accepts this client version.
	ErrClientOutdated = errors.New("whatsapp: client version rejected")
	// ErrConnectionHeld means another process holds the WhatsApp connection.
	ErrConnectionHeld = errors.New("whatsapp: another process holds the connection")
	// ErrNotConnected is a send attempted while the connection is down.
	ErrNotConnected = errors.New("whatsapp: not connected")

	// ErrNotOptedIn refuses a bulk message to a chat that never wrote to the bot.
	ErrNotOptedIn = errors.New("whatsapp: the recipient never wrote to us first")
	// ErrOptedOut refuses a bulk message to a worker who asked for no more.
	ErrOptedOut = errors.New("whatsapp: the recipient opted out")
	// ErrRecipientUnreachable refuses a bulk message to a chat already marked unreachable.
	ErrRecipientUnreachable = errors.New("whatsapp: the recipient is marked unreachable")
	// ErrNotOnWhatsApp refuses a bulk message to a number that has no WhatsApp account.
	ErrNotOnWhatsApp = errors.New("whatsapp: the number is not on WhatsApp")
	// ErrBadRecipient is an outbox recipient that is not a WhatsApp address.
	ErrBadRecipient = errors.New("whatsapp: not a WhatsApp address")
)

// ReachoutTimelockCode is the error WhatsApp answers a send with when the number may not start
// new chats for a while (the "reach-out timelock").
const ReachoutTimelockCode = 463

// ServerError is an error code WhatsApp answered a send with.
type ServerError struct {
	Code int
	Err  error
}

func (e *ServerError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("whatsapp server error %d: %v", e.Code, e.Err)
	}
	return fmt.Sprintf("whatsapp server error %d", e.Code)
}

func (e *ServerError) Unwrap() error { return e.Err }
