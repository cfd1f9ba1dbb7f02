package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"bpubot/bot"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	waLog "go.mau.fi/whatsmeow/util/log"
	"google.golang.org/protobuf/proto"
)

func init() {
	// The name the linked phone shows for this device under Settings › Linked devices.
	store.DeviceProps.Os = proto.String("bpubot")
}

// meowClient is the real Client, over whatsmeow.
type meowClient struct{ cli *whatsmeow.Client }

var _ Client = (*meowClient)(nil)

func (m *meowClient) Connect(ctx context.Context) error { return m.cli.ConnectContext(ctx) }
func (m *meowClient) Disconnect()                       { m.cli.Disconnect() }
func (m *meowClient) OwnID() types.JID                  { return m.cli.Store.GetJID().ToNonAD() }
func (m *meowClient) OwnLID() types.JID                 { return m.cli.Store.GetLID().ToNonAD() }

func (m *meowClient) AddEventHandler(handler func(evt any) bool) {
	m.cli.AddEventHandlerWithSuccessStatus(handler)
}

func (m *meowClient) SendText(ctx context.Context, to types.JID, text string) error {
	_, err := m.cli.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(text)})
	if errors.Is(err, whatsmeow.ErrNotConnected) {
		return fmt.Errorf("%w: %w", ErrNotConnected, err) // certainly not sent
	}
	if errors.Is(err, whatsmeow.ErrServerReturnedError) {
		// whatsmeow reports the code only in the text: "server returned error 463".
		raw := strings.TrimSpace(strings.TrimPrefix(err.Error(), whatsmeow.ErrServerReturnedError.Error()))
		if code, cerr := strconv.Atoi(raw); cerr == nil {
			return &ServerError{Code: code, Err: err}
		}
	}
	return err
}

func (m *meowClient) SendTyping(ctx context.Context, chat types.JID, typing bool) error {
	state := types.ChatPresencePaused
	if typing {
		state = types.ChatPresenceComposing
	}
	return m.cli.SendChatPresence(ctx, chat, state, types.ChatPresenceMediaText)
}

func (m *meowClient) MarkRead(ctx context.Context, id types.MessageID, chat, sender types.JID, at time.Time) error {
	return m.cli.MarkRead(ctx, []types.MessageID{id}, at, chat, sender)
}

func (m *meowClient) IsOnWhatsApp(ctx context.Context, phone string) (bool, error) {
	resp, err := m.cli.IsOnWhatsApp(ctx, []string{phone})
	if err != nil {
		return false, err
	}
	for _, r := range resp {
		if r.IsIn {
			return true, nil
		}
	}
	return false, nil
}

func (m *meowClient) PNForLID(ctx context.Context, lid types.JID) (types.JID, error) {
	return m.cli.Store.LIDs.GetPNForLID(ctx, lid)
}

// storeConnector opens whatsmeow clients on the session store.
type storeConnector struct {
	store *Store
	log   *slog.Logger
}

// Connector returns the Connector that opens the linked device of this store.
func (s *Store) Connector() Connector { return storeConnector{store: s, log: s.log} }

func (c storeConnector) Open(ctx context.Context) (Client, error) {
	dev, err := c.store.Device(ctx)
	if err != nil {
		return nil, err
	}
	cli := whatsmeow.NewClient(dev, newWALogger(c.log, "client"))
	// The channel reconnects by itself, with capped exponential backoff, and knows when not to
	// (logged out, stream replaced, banned).
	cli.EnableAutoReconnect = false
	// A message is acknowledged to WhatsApp only after the handler has committed it (the
	// handler waits for the engine and reports whether it did); one not committed is delivered
	// again, and the buffer keeps its decrypted text so it can be read a second time (the
	// Signal session has moved on). Messages are handled one at a time per connection.
	cli.EnableDecryptedEventBuffer = true
	return &meowClient{cli: cli}, nil
}

// waLogger passes whatsmeow's logs to slog with every long digit run (phone numbers in
// addresses) masked. whatsmeow's info lines are chatty connection details: they go to debug.
type waLogger struct {
	log    *slog.Logger
	module string
}

func newWALogger(log *slog.Logger, module string) waLog.Logger {
	return waLogger{log: log, module: "whatsmeow/" + module}
}

func (l waLogger) logf(level slog.Level, msg string, args []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, bot.MaskID(fmt.Sprintf(msg, args...)), "module", l.module)
}

func (l waLogger) Errorf(msg string, args ...any) { l.logf(slog.LevelError, msg, args) }
func (l waLogger) Warnf(msg string, args ...any)  { l.logf(slog.LevelWarn, msg, args) }
func (l waLogger) Infof(msg string, args ...any)  { l.logf(slog.LevelDebug, msg, args) }
func (l waLogger) Debugf(msg string, args ...any) { l.logf(slog.LevelDebug-4, msg, args) }
func (l waLogger) Sub(module string) waLog.Logger {
	return waLogger{log: l.log, module: l.module + "/" + module}
}
