package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// pairDisplayName is how a pairing-code request names the device; WhatsApp accepts only
// "Browser (OS)" names of common browsers here.
const pairDisplayName = "Chrome (Linux)"

// afterPairWait is how long Pair stays connected after a successful pairing for the phone and
// the new device to finish setting up; serve completes it otherwise.
const afterPairWait = 30 * time.Second

// PairOptions says how to link a number.
type PairOptions struct {
	// Phone, in international form (+62…), asks for an 8-character pairing code to type on
	// the phone instead of a QR code to scan.
	Phone string
	// OnQR shows a QR code; it is called again with a new code each time the last expires.
	OnQR func(code string, valid time.Duration)
	// OnPairingCode shows the pairing code.
	OnPairingCode func(code string)
	// OnRescanNeeded is called when the code was scanned by a phone that has to turn on
	// multi-device first; the same code can then be scanned again.
	OnRescanNeeded func()
}

// Linked describes the linked number.
type Linked struct {
	Phone    string // E.164
	PushName string
	Platform string
}

// Pair links a phone number to the session store: it shows QR codes (or one pairing code)
// until the phone links, WhatsApp gives up (ErrPairTimeout, after about two and a half
// minutes), ctx ends, or it fails (ErrPairFailed, ErrClientOutdated). A number already linked
// gives ErrAlreadyPaired.
func (s *Store) Pair(ctx context.Context, opts PairOptions) (Linked, error) {
	dev, err := s.Device(ctx)
	if err == nil {
		return linkedOf(dev.GetJID(), dev.PushName, dev.Platform), ErrAlreadyPaired
	}
	if !errors.Is(err, ErrNotPaired) {
		return Linked{}, err
	}
	cli := whatsmeow.NewClient(dev, newWALogger(s.log, "pair"))
	cli.EnableAutoReconnect = false
	if err := pair(ctx, cli, opts); err != nil {
		return Linked{}, err
	}
	return linkedOf(dev.GetJID(), dev.PushName, dev.Platform), nil
}

// pairClient is the part of *whatsmeow.Client pairing uses.
type pairClient interface {
	GetQRChannel(ctx context.Context) (<-chan whatsmeow.QRChannelItem, error)
	Connect() error
	PairPhone(ctx context.Context, phone string, showPushNotification bool, clientType whatsmeow.PairClientType, clientDisplayName string) (string, error)
	AddEventHandler(handler whatsmeow.EventHandler) uint32
	Disconnect()
}

func pair(ctx context.Context, cli pairClient, opts PairOptions) error {
	qr, err := cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPairFailed, err)
	}
	connected := make(chan struct{}, 1)
	cli.AddEventHandler(func(evt any) {
		if _, ok := evt.(*events.Connected); ok {
			select {
			case connected <- struct{}{}:
			default:
			}
		}
	})
	if err := cli.Connect(); err != nil {
		return fmt.Errorf("%w: %v", ErrPairFailed, err)
	}
	defer cli.Disconnect()
	codeShown := false
	for {
		var item whatsmeow.QRChannelItem
		var open bool
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return ErrPairTimeout
			}
			return ctx.Err()
		case item, open = <-qr:
		}
		if !open {
			return ErrPairTimeout
		}
		switch {
		case item.Event == whatsmeow.QRChannelEventCode:
			if opts.Phone == "" {
				if opts.OnQR != nil {
					opts.OnQR(item.Code, item.Timeout)
				}
				continue
			}
			// A pairing code is asked for once the connection is up, which the first QR
			// code shows.
			if !codeShown {
				code, err := cli.PairPhone(ctx, opts.Phone, true, whatsmeow.PairClientChrome, pairDisplayName)
				if err != nil {
					return fmt.Errorf("%w: %v", ErrPairFailed, err)
				}
				codeShown = true
				if opts.OnPairingCode != nil {
					opts.OnPairingCode(code)
				}
			}
		case item == whatsmeow.QRChannelSuccess:
			select {
			case <-connected:
			case <-time.After(afterPairWait):
			case <-ctx.Done():
			}
			return nil
		case item == whatsmeow.QRChannelTimeout:
			return ErrPairTimeout
		case item == whatsmeow.QRChannelClientOutdated:
			return ErrClientOutdated
		case item == whatsmeow.QRChannelScannedWithoutMultidevice:
			if opts.OnRescanNeeded != nil {
				opts.OnRescanNeeded()
			}
		case item.Event == whatsmeow.QRChannelEventError:
			return fmt.Errorf("%w: %v", ErrPairFailed, item.Error)
		default:
			return fmt.Errorf("%w: %s", ErrPairFailed, item.Event)
		}
	}
}

// Status is what `bpubot whatsapp status` shows.
type Status struct {
	Linked    *Linked      // nil when no number is linked
	LastState *StateRecord // as the process holding the connection last recorded it
	Pause     *Pause       // in force now
}

// Status reads the linked number, the last recorded state and any pause, without connecting:
// connecting here would replace a running serve's connection.
func (s *Store) Status(ctx context.Context, now time.Time) (Status, error) {
	var st Status
	dev, err := s.Device(ctx)
	switch {
	case err == nil:
		l := linkedOf(dev.GetJID(), dev.PushName, dev.Platform)
		st.Linked = &l
	case !errors.Is(err, ErrNotPaired):
		return st, err
	}
	rec, ok, err := ReadState(ctx, s.db)
	if err != nil {
		return st, err
	}
	if ok {
		st.LastState = &rec
	}
	p, ok, err := ActivePause(ctx, s.db, now)
	if err != nil {
		return st, err
	}
	if ok {
		st.Pause = &p
	}
	return st, nil
}

// Logout unlinks the number: it tells WhatsApp to remove this device and deletes the session.
// It needs the connection, so it refuses (ErrConnectionHeld) while a serve holds it on
// PostgreSQL; on SQLite stop serve first. With force, a session WhatsApp cannot be reached to
// unlink is deleted here anyway (remove the device on the phone too).
func (s *Store) Logout(ctx context.Context, lock Lock, force bool) (Linked, error) {
	release, ok, err := lock.TryAcquire(ctx)
	if err != nil {
		return Linked{}, err
	}
	if !ok {
		return Linked{}, ErrConnectionHeld
	}
	defer release()
	dev, err := s.Device(ctx)
	if err != nil {
		return Linked{}, err
	}
	linked := linkedOf(dev.GetJID(), dev.PushName, dev.Platform)
	cli := whatsmeow.NewClient(dev, newWALogger(s.log, "logout"))
	cli.EnableAutoReconnect = false
	result := make(chan any, 4)
	cli.AddEventHandler(func(evt any) {
		switch evt.(type) {
		case *events.Connected, *events.LoggedOut, *events.Disconnected, *events.ConnectFailure,
			*events.TemporaryBan, *events.StreamReplaced, *events.ClientOutdated:
			select {
			case result <- evt:
			default:
			}
		}
	})
	err = cli.ConnectContext(ctx)
	if err == nil {
		select {
		case evt := <-result:
			switch evt.(type) {
			case *events.Connected:
				err = cli.Logout(ctx)
			case *events.LoggedOut:
				// Unlinked on the phone already; whatsmeow has deleted the session.
				cli.Disconnect()
				return linked, nil
			default:
				err = fmt.Errorf("WhatsApp answered %T", evt)
			}
		case <-time.After(30 * time.Second):
			err = errors.New("no answer from WhatsApp within 30s")
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	cli.Disconnect()
	if err != nil && force {
		if derr := dev.Delete(ctx); derr != nil {
			return linked, derr
		}
		return linked, nil
	}
	return linked, err
}

func linkedOf(jid types.JID, pushName, platform string) Linked {
	l := Linked{PushName: pushName, Platform: platform}
	if jid.User != "" {
		l.Phone = "+" + strings.TrimPrefix(jid.User, "+")
	}
	return l
}
