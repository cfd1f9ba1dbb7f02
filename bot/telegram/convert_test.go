package telegram

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"bpubot/bot"

	"github.com/go-telegram/bot/models"
)

func TestFromUpdate(t *testing.T) {
	private := `"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Budi"},"date":1`
	tests := []struct {
		name string
		json string
		ok   bool
		want bot.Inbound
	}{
		{"text", `{"update_id":7,"message":{"message_id":1,` + private + `,"text":"halo"}}`, true,
			bot.Inbound{Kind: bot.KindText, Text: "halo"}},
		{"start", `{"update_id":7,"message":{"message_id":1,` + private + `,"text":"/start"}}`, true,
			bot.Inbound{Kind: bot.KindStart}},
		{"deep link", `{"update_id":7,"message":{"message_id":1,` + private + `,"text":"/start ansor_jateng"}}`, true,
			bot.Inbound{Kind: bot.KindStart, Payload: "ansor_jateng"}},
		{"deep link naming the bot", `{"update_id":7,"message":{"message_id":1,` + private + `,"text":"/start@bpubot ansor_jateng"}}`, true,
			bot.Inbound{Kind: bot.KindStart, Payload: "ansor_jateng"}},
		{"other command", `{"update_id":7,"message":{"message_id":1,` + private + `,"text":"/daftar"}}`, true,
			bot.Inbound{Kind: bot.KindText, Text: "/daftar"}},
		{"not start", `{"update_id":7,"message":{"message_id":1,` + private + `,"text":"/startup"}}`, true,
			bot.Inbound{Kind: bot.KindText, Text: "/startup"}},
		{"own contact", `{"update_id":7,"message":{"message_id":1,` + private + `,"contact":{"phone_number":"6281234567890","first_name":"Budi","user_id":42}}}`, true,
			bot.Inbound{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "6281234567890", UserID: "42"}}},
		{"contact without account", `{"update_id":7,"message":{"message_id":1,` + private + `,"contact":{"phone_number":"+6281234567890","first_name":"Ani"}}}`, true,
			bot.Inbound{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "+6281234567890", UserID: "0"}}},
		{"photo", `{"update_id":7,"message":{"message_id":1,` + private + `,"photo":[{"file_id":"x","file_unique_id":"y","width":1,"height":1}],"caption":"ktp saya"}}`, true,
			bot.Inbound{Kind: bot.KindUnsupported}},
		{"voice", `{"update_id":7,"message":{"message_id":1,` + private + `,"voice":{"file_id":"x","file_unique_id":"y","duration":3}}}`, true,
			bot.Inbound{Kind: bot.KindUnsupported}},
		{"location", `{"update_id":7,"message":{"message_id":1,` + private + `,"location":{"latitude":-6.2,"longitude":106.8}}}`, true,
			bot.Inbound{Kind: bot.KindUnsupported}},
		{"document", `{"update_id":7,"message":{"message_id":1,` + private + `,"document":{"file_id":"x","file_unique_id":"y"}}}`, true,
			bot.Inbound{Kind: bot.KindUnsupported}},
		{"button", `{"update_id":7,"callback_query":{"id":"c1","from":{"id":42,"is_bot":false,"first_name":"Budi"},"message":{"message_id":5,"date":1,"chat":{"id":42,"type":"private"},"text":"?"},"chat_instance":"i","data":"setuju"}}`, true,
			bot.Inbound{Kind: bot.KindButton, Value: "setuju"}},
		{"service message", `{"update_id":7,"message":{"message_id":1,` + private + `,"pinned_message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"}}}}`, false, bot.Inbound{}},
		{"group", `{"update_id":7,"message":{"message_id":1,"chat":{"id":-100,"type":"supergroup"},"from":{"id":42,"is_bot":false,"first_name":"Budi"},"date":1,"text":"halo"}}`, false, bot.Inbound{}},
		{"from a bot", `{"update_id":7,"message":{"message_id":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":true,"first_name":"X"},"date":1,"text":"halo"}}`, false, bot.Inbound{}},
		{"edit", `{"update_id":7,"edited_message":{"message_id":1,` + private + `,"text":"halo"}}`, false, bot.Inbound{}},
		{"button of another chat", `{"update_id":7,"callback_query":{"id":"c1","from":{"id":43,"is_bot":false,"first_name":"Eko"},"message":{"message_id":5,"date":1,"chat":{"id":42,"type":"private"},"text":"?"},"chat_instance":"i","data":"setuju"}}`, false, bot.Inbound{}},
		{"message from someone else", `{"update_id":7,"message":{"message_id":1,"chat":{"id":42,"type":"private"},"from":{"id":43,"is_bot":false,"first_name":"Eko"},"date":1,"text":"halo"}}`, false, bot.Inbound{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var upd models.Update
			if err := json.Unmarshal([]byte(tt.json), &upd); err != nil {
				t.Fatal(err)
			}
			ib, ok := fromUpdate(&upd, 123456)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			want := tt.want
			want.Channel, want.ChatID, want.UserID, want.ExternalID = Name, "42", "42", "123456:7"
			got := ib.in
			if (got.Contact == nil) != (want.Contact == nil) || (got.Contact != nil && *got.Contact != *want.Contact) {
				t.Fatalf("contact %+v, want %+v", got.Contact, want.Contact)
			}
			got.Contact, want.Contact = nil, nil
			if got != want {
				t.Fatalf("got  %+v\nwant %+v", got, want)
			}
			if (ib.callback != nil) != (want.Kind == bot.KindButton) {
				t.Fatalf("callback %+v", ib.callback)
			}
		})
	}
}

func TestReplyMarkup(t *testing.T) {
	encode := func(r bot.Reply) string {
		t.Helper()
		m, err := replyMarkup(r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	choices := bot.Reply{Text: "?", Choices: []bot.Choice{{Label: "Ya, benar", Value: "ya"}, {Label: "Bukan", Value: "bukan"}}}
	if got, want := encode(choices), `{"inline_keyboard":[[{"text":"Ya, benar","callback_data":"ya"}],[{"text":"Bukan","callback_data":"bukan"}]]}`; got != want {
		t.Errorf("choices: %s\nwant %s", got, want)
	}
	contact := encode(bot.Reply{Text: "HP?", RequestContact: true, Lang: "id"})
	for _, want := range []string{`"request_contact":true`, `"one_time_keyboard":true`, `"resize_keyboard":true`, `Kirim nomor HP saya`} {
		if !strings.Contains(contact, want) {
			t.Errorf("contact keyboard %s lacks %s", contact, want)
		}
	}
	if strings.Contains(encode(bot.Reply{Text: "HP?", RequestContact: true, Lang: "en"}), "Kirim") {
		t.Error("the contact button is not in the conversation's language")
	}
	if got := encode(bot.Reply{Text: "ok"}); got != `{"remove_keyboard":true}` {
		t.Errorf("plain: %s", got)
	}
	_, err := replyMarkup(bot.Reply{Text: "?", Choices: []bot.Choice{{Label: "x", Value: strings.Repeat("v", 65)}}})
	var perm *bot.PermanentError
	if !errors.As(err, &perm) {
		t.Errorf("a 65-byte value: %v, want a permanent error", err)
	}
}

func TestSplitText(t *testing.T) {
	if got := splitText("pendek"); len(got) != 1 || got[0] != "pendek" {
		t.Fatalf("short text split: %q", got)
	}
	line := strings.Repeat("é", 99) + "\n"                     // 100 characters, 199 bytes
	long := strings.TrimSuffix(strings.Repeat(line, 50), "\n") // 4,999 characters
	parts := splitText(long)
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	total := 0
	for _, p := range parts {
		n := len([]rune(p))
		if n > maxTextLen {
			t.Fatalf("part of %d characters", n)
		}
		if strings.HasSuffix(p, "\n") || strings.HasPrefix(p, "\n") {
			t.Errorf("part not cut at a line break: %q...", p[:10])
		}
		total += n
	}
	if total != len([]rune(long))-1 { // one line break became the cut
		t.Errorf("characters lost: %d of %d", total, len([]rune(long)))
	}
	noBreaks := strings.Repeat("a", 9000)
	if parts := splitText(noBreaks); len(parts) != 3 || len(parts[0]) != maxTextLen {
		t.Errorf("text without line breaks: %d parts", len(parts))
	}
}

func TestStartCommand(t *testing.T) {
	for in, want := range map[string]string{"/start": "", "/start abc": "abc", "/START abc": "abc", "/start@bpubot abc ": "abc", " /start  x": "x"} {
		if got, ok := startCommand(in); !ok || got != want {
			t.Errorf("startCommand(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"start", "/started", "/menu", "/start_x"} {
		if _, ok := startCommand(in); ok {
			t.Errorf("startCommand(%q) took it for /start", in)
		}
	}
}

func TestStartLink(t *testing.T) {
	link := StartLink("@bpu_test_bot", "ansor_01")
	if want := "https://t.me/bpu_test_bot?start=ansor_01"; link != want {
		t.Fatalf("StartLink = %s, want %s", link, want)
	}
	// Telegram sends the start parameter as "/start <code>".
	_, param, _ := strings.Cut(link, "?start=")
	if code, ok := startCommand("/start " + param); !ok || code != "ansor_01" {
		t.Fatalf("startCommand read %q, %v", code, ok)
	}
}
