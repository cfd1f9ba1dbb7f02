package whatsapp

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types/events"
)

// fakePairer plays WhatsApp's side of pairing: the QR items, then an outcome.
type fakePairer struct {
	items     []whatsmeow.QRChannelItem
	connected bool // a Connected event follows a success, as after a real pairing
	handler   whatsmeow.EventHandler
	phones    []string
	keepOpen  bool // the channel stays open, as while a code is still valid
}

func (f *fakePairer) GetQRChannel(context.Context) (<-chan whatsmeow.QRChannelItem, error) {
	ch := make(chan whatsmeow.QRChannelItem, len(f.items))
	for _, it := range f.items {
		ch <- it
	}
	if !f.keepOpen {
		close(ch)
	}
	return ch, nil
}

func (f *fakePairer) Connect() error {
	if f.connected {
		go f.handler(&events.Connected{})
	}
	return nil
}

func (f *fakePairer) PairPhone(_ context.Context, phone string, _ bool, _ whatsmeow.PairClientType, name string) (string, error) {
	if name != pairDisplayName {
		return "", errors.New("bad display name")
	}
	f.phones = append(f.phones, phone)
	return "ABCD-EFGH", nil
}

func (f *fakePairer) AddEventHandler(h whatsmeow.EventHandler) uint32 { f.handler = h; return 1 }
func (f *fakePairer) Disconnect()                                     {}

func code(c string) whatsmeow.QRChannelItem {
	return whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: c, Timeout: 20 * time.Second}
}

func TestPair(t *testing.T) {
	cases := []struct {
		name    string
		phone   string
		items   []whatsmeow.QRChannelItem
		wantQRs []string
		wantErr error
	}{
		{"QR codes refreshed until scanned", "", []whatsmeow.QRChannelItem{code("q1"), code("q2"), code("q3"), whatsmeow.QRChannelSuccess}, []string{"q1", "q2", "q3"}, nil},
		{"codes run out", "", []whatsmeow.QRChannelItem{code("q1"), code("q2"), whatsmeow.QRChannelTimeout}, []string{"q1", "q2"}, ErrPairTimeout},
		{"refused", "", []whatsmeow.QRChannelItem{code("q1"), {Event: whatsmeow.QRChannelEventError, Error: errors.New("bad signature")}}, []string{"q1"}, ErrPairFailed},
		{"outdated", "", []whatsmeow.QRChannelItem{whatsmeow.QRChannelClientOutdated}, nil, ErrClientOutdated},
		{"pairing code", "+6281234567890", []whatsmeow.QRChannelItem{code("q1"), code("q2"), whatsmeow.QRChannelSuccess}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakePairer{items: c.items, connected: c.wantErr == nil}
			var qrs, codes []string
			err := pair(context.Background(), f, PairOptions{
				Phone:         c.phone,
				OnQR:          func(code string, _ time.Duration) { qrs = append(qrs, code) },
				OnPairingCode: func(code string) { codes = append(codes, code) },
			})
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if len(qrs) != len(c.wantQRs) {
				t.Fatalf("QR codes shown: %q, want %q", qrs, c.wantQRs)
			}
			for i := range qrs {
				if qrs[i] != c.wantQRs[i] {
					t.Fatalf("QR codes shown: %q, want %q", qrs, c.wantQRs)
				}
			}
			if c.phone != "" && (len(codes) != 1 || codes[0] != "ABCD-EFGH" || len(f.phones) != 1 || f.phones[0] != c.phone) {
				t.Fatalf("pairing codes %q for %q", codes, f.phones)
			}
		})
	}
}

func TestPairGivesUpWithTheContext(t *testing.T) {
	f := &fakePairer{items: []whatsmeow.QRChannelItem{code("q1")}, keepOpen: true}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if err := pair(ctx, f, PairOptions{}); !errors.Is(err, ErrPairTimeout) {
		t.Fatalf("err = %v", err)
	}
}
