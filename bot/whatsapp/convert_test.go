package whatsapp

import (
	"net/url"
	"testing"

	"bpubot/bot"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

func TestFromWhatsApp(t *testing.T) {
	worker := pn("6281234567890")
	own := ownIDs{pn: pn("6281100000000"), lid: lid("99000000000001")}
	with := func(m *waE2E.Message) *waE2E.Message { return m }
	cases := []struct {
		name    string
		msg     *waE2E.Message
		kind    bot.Kind
		text    string
		payload string
		ignore  ignoreReason
	}{
		{"plain text", with(&waE2E.Message{Conversation: proto.String("halo")}), bot.KindText, "halo", "", ""},
		{"extended text", with(&waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("cek https://bpjs")}}), bot.KindText, "cek https://bpjs", "", ""},
		{"wa.me partner link", with(&waE2E.Message{Conversation: proto.String("DAFTAR ANSOR-01")}), bot.KindStart, "DAFTAR ANSOR-01", "ANSOR-01", ""},
		{"typed daftar is text", with(&waE2E.Message{Conversation: proto.String("daftar sekarang")}), bot.KindText, "daftar sekarang", "", ""},
		{"photo", with(&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("ktp saya")}}), bot.KindUnsupported, "", "", ""},
		{"voice note", with(&waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true)}}), bot.KindUnsupported, "", "", ""},
		{"sticker", with(&waE2E.Message{StickerMessage: &waE2E.StickerMessage{}}), bot.KindUnsupported, "", "", ""},
		{"location", with(&waE2E.Message{LocationMessage: &waE2E.LocationMessage{}}), bot.KindUnsupported, "", "", ""},
		{"contact card", with(&waE2E.Message{ContactMessage: &waE2E.ContactMessage{}}), bot.KindUnsupported, "", "", ""},
		{"reaction", with(&waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{}}), 0, "", "", ignoreProtocol},
		{"deletion", with(&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{}}), 0, "", "", ignoreProtocol},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := textEvent("3EB0X", worker, "")
			e.Message = c.msg
			in, reason := fromWhatsApp(e, own)
			if reason != c.ignore {
				t.Fatalf("ignored as %q, want %q", reason, c.ignore)
			}
			if reason != "" {
				return
			}
			if in.Kind != c.kind || in.Text != c.text || in.Payload != c.payload || in.Channel != Name || in.ExternalID != "3EB0X" {
				t.Fatalf("got %+v", in)
			}
		})
	}

	sources := []struct {
		name   string
		change func(*types.MessageSource)
		ignore ignoreReason
	}{
		{"group", func(s *types.MessageSource) { s.Chat, s.IsGroup = types.NewJID("1203630001", types.GroupServer), true }, ignoreGroup},
		{"status update", func(s *types.MessageSource) { s.Chat = types.StatusBroadcastJID }, ignoreBroadcast},
		{"broadcast list", func(s *types.MessageSource) { s.Chat = types.NewJID("1700000000", types.BroadcastServer) }, ignoreBroadcast},
		{"channel", func(s *types.MessageSource) { s.Chat = types.NewJID("1203630002", types.NewsletterServer) }, ignoreNewsletter},
		{"sent by the linked number", func(s *types.MessageSource) { s.IsFromMe = true }, ignoreSelf},
		{"the linked number's LID", func(s *types.MessageSource) { s.Chat, s.Sender = own.lid, own.lid }, ignoreSelf},
		{"a worker by LID", func(s *types.MessageSource) { s.Chat, s.Sender = lid("2000001"), lid("2000001") }, ""},
	}
	for _, c := range sources {
		t.Run(c.name, func(t *testing.T) {
			e := textEvent("3EB0Y", worker, "halo")
			c.change(&e.Info.MessageSource)
			if _, reason := fromWhatsApp(e, own); reason != c.ignore {
				t.Fatalf("ignored as %q, want %q", reason, c.ignore)
			}
		})
	}
}

func TestPartnerLink(t *testing.T) {
	link := PartnerLink("+6281234567890", "ansor_01")
	if want := "https://wa.me/6281234567890?text=DAFTAR%20ansor_01"; link != want {
		t.Fatalf("PartnerLink = %s, want %s", link, want)
	}
	// The text the link fills in is what the channel reads as a sign-up with the code.
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	m := partnerLink.FindStringSubmatch(u.Query().Get("text"))
	if m == nil || m[1] != "ansor_01" {
		t.Fatalf("the link's text %q is not read as partner ansor_01", u.Query().Get("text"))
	}
}
