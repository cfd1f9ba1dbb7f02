package whatsapp

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
)

// fakeClient stands in for whatsmeow, which cannot reach WhatsApp here. Tests drive it from one
// goroutine with emit, as whatsmeow delivers events one at a time, and read what the channel
// did from its channels and records.
type fakeClient struct {
	own, ownLID types.JID

	connects chan int             // the number of each Connect call
	sent     chan sentMessage     // every text sent
	receipts chan types.MessageID // every read receipt
	waChecks chan string          // every IsOnWhatsApp query

	mu          sync.Mutex
	handler     func(any) bool
	unacked     []any   // messages the handler did not acknowledge: WhatsApp delivers them again
	connectErrs []error // returned by the next Connect calls, in turn
	nConnects   int
	sendErr     error // returned by SendText while set
	typing      []typingCall
	lidToPN     map[types.JID]types.JID
	notOnWA     map[string]bool
	disconnects int
}

type sentMessage struct {
	to   types.JID
	text string
}

type typingCall struct {
	chat   types.JID
	typing bool
}

var _ Client = (*fakeClient)(nil)

func newFakeClient() *fakeClient {
	return &fakeClient{
		own:      types.NewJID("6281100000000", types.DefaultUserServer),
		ownLID:   types.NewJID("99000000000001", types.HiddenUserServer),
		connects: make(chan int, 64),
		sent:     make(chan sentMessage, 1024),
		receipts: make(chan types.MessageID, 1024),
		waChecks: make(chan string, 64),
		lidToPN:  map[types.JID]types.JID{},
		notOnWA:  map[string]bool{},
	}
}

func (f *fakeClient) Connect(context.Context) error {
	f.mu.Lock()
	f.nConnects++
	n := f.nConnects
	var err error
	if len(f.connectErrs) > 0 {
		err, f.connectErrs = f.connectErrs[0], f.connectErrs[1:]
	}
	f.mu.Unlock()
	f.connects <- n
	return err
}

func (f *fakeClient) Disconnect() {
	f.mu.Lock()
	f.disconnects++
	f.mu.Unlock()
}

func (f *fakeClient) AddEventHandler(h func(any) bool) {
	f.mu.Lock()
	f.handler = h
	f.mu.Unlock()
}

func (f *fakeClient) OwnID() types.JID  { return f.own }
func (f *fakeClient) OwnLID() types.JID { return f.ownLID }

func (f *fakeClient) SendText(_ context.Context, to types.JID, text string) error {
	f.mu.Lock()
	err := f.sendErr
	f.mu.Unlock()
	if err != nil {
		return err
	}
	f.sent <- sentMessage{to: to, text: text}
	return nil
}

func (f *fakeClient) SendTyping(_ context.Context, chat types.JID, typing bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.typing = append(f.typing, typingCall{chat: chat, typing: typing})
	return nil
}

func (f *fakeClient) MarkRead(_ context.Context, id types.MessageID, _, _ types.JID, _ time.Time) error {
	f.receipts <- id
	return nil
}

func (f *fakeClient) IsOnWhatsApp(_ context.Context, phone string) (bool, error) {
	f.waChecks <- phone
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.notOnWA[phone], nil
}

func (f *fakeClient) PNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lidToPN[lid], nil
}

// emit delivers one event to the channel's handler and returns when the handler has, with its
// answer. As WhatsApp does, a message not acknowledged (the handler said false) is kept and
// delivered again right after the next login (*events.Connected).
func (f *fakeClient) emit(evt any) bool {
	f.mu.Lock()
	h := f.handler
	f.mu.Unlock()
	ok := h(evt)
	switch evt.(type) {
	case *events.Message:
		if !ok {
			f.mu.Lock()
			f.unacked = append(f.unacked, evt)
			f.mu.Unlock()
		}
	case *events.Connected:
		f.mu.Lock()
		again := f.unacked
		f.unacked = nil
		f.mu.Unlock()
		for _, m := range again {
			f.emit(m)
		}
	}
	return ok
}

// unackedCount is how many messages wait to be delivered again.
func (f *fakeClient) unackedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.unacked)
}

func (f *fakeClient) setSendErr(err error) {
	f.mu.Lock()
	f.sendErr = err
	f.mu.Unlock()
}

func (f *fakeClient) typingCalls() []typingCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]typingCall(nil), f.typing...)
}

func (f *fakeClient) disconnectCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.disconnects
}

// fakeConnector hands out the one fake client while a device is "linked".
type fakeConnector struct {
	cli    *fakeClient
	opened chan struct{} // one per Open call, if set

	mu       sync.Mutex
	unpaired bool
}

func (c *fakeConnector) Open(context.Context) (Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.opened != nil {
		select {
		case c.opened <- struct{}{}:
		default:
		}
	}
	if c.unpaired {
		return nil, ErrNotPaired
	}
	return c.cli, nil
}

func (c *fakeConnector) setPaired(paired bool) {
	c.mu.Lock()
	c.unpaired = !paired
	c.mu.Unlock()
}

// Message builders.

func pn(number string) types.JID { return types.NewJID(number, types.DefaultUserServer) }

func lid(id string) types.JID { return types.NewJID(id, types.HiddenUserServer) }

// textEvent is a direct text message from sender, as whatsmeow reports it.
func textEvent(id string, sender types.JID, text string) *events.Message {
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: sender, Sender: sender},
			ID:            types.MessageID(id), Timestamp: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC),
		},
		Message: &waE2E.Message{Conversation: proto.String(text)},
	}
}

func extendedTextEvent(id string, sender types.JID, text string) *events.Message {
	e := textEvent(id, sender, "")
	e.Message = &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text)}}
	return e
}

var errConnect = errors.New("dial tcp: connection refused")
