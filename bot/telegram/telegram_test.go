package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/locales"
	"bpubot/models"
	"bpubot/models/modeltest"
)

const (
	budiNIK = "3201011203900001" // male, 12 March 1990
	sitiNIK = "3201015708900001" // female, 17 August 1990
)

// TestSignupByButtons runs the whole sign-up pressing every button offered, sharing the
// phone number with Telegram's contact button, over long polling.
func TestSignupByButtons(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(1001, "Budi")

		u.Text("/start")
		menu := u.expect(say("menu.greeting"))
		u.press(menu, "daftar")
		consent := u.expect(say("signup.ask_consent"))
		// The pressed message says what was picked and has no keyboard left.
		if got := u.edited(menu); len(got.Buttons) != 0 || !strings.HasSuffix(got.Text, locales.Text("id", "telegram.picked", "choice", locales.Text("id", "menu.signup"))) {
			t.Fatalf("pressed menu after the edit: %+v", got)
		}
		u.press(consent, "setuju")
		u.expect(say("signup.ask_name"))
		u.Text("Budi Santoso")
		u.expect(say("signup.ask_nik"))
		u.Text(budiNIK)
		confirm := u.expect(say("signup.ask_nik_confirm"))
		u.press(confirm, "ya")
		phone := u.expect(say("signup.ask_phone"))
		if !phone.ContactButton || len(phone.Buttons) != 0 {
			t.Fatalf("the phone question offers no contact button: %+v", phone)
		}
		u.Contact("6281234567890", u.ID)
		occupation := u.expect(say("signup.ask_occupation"))
		u.press(occupation, "ojol")
		province := u.expect(say("signup.ask_province"))
		u.press(province, "32") // Jawa Barat, suggested from the NIK
		city := u.expect(say("signup.ask_city"))
		if len(city.Buttons) != 1 || city.ContactButton {
			t.Fatalf("the city question offers the NIK's regency and no contact button: %+v", city)
		}
		u.Text("Kota Bandung")
		partner := u.expect(say("signup.ask_partner"))
		u.press(partner, "-")
		income := u.expect(say("signup.ask_income"))
		u.press(income, "2000000")
		pkg := u.expect(say("signup.ask_package"))
		u.press(pkg, "jkk_jkm")
		period := u.expect(say("signup.ask_period"))
		u.press(period, "3")
		summary := u.expect(say("signup.summary"))
		for _, want := range []string{"Budi Santoso", "+6281234567890", "Bandung"} {
			if !strings.Contains(summary.Text, want) {
				t.Errorf("summary lacks %q:\n%s", want, summary.Text)
			}
		}
		u.press(summary, "konfirmasi")
		u.expect(say("signup.done"))

		e := modeltest.One[models.Enrollment](t, db, "")
		m := modeltest.One[models.Member](t, db, "id = ?", e.MemberID)
		if e.Channel != telegram.Name || e.PaymentMonths != 3 || e.DeclaredIncome != 2000000 || m.Phone != "+6281234567890" || m.FullName != "Budi Santoso" {
			t.Fatalf("stored enrollment %+v of member %+v", e, m)
		}
		// Every press is answered (the last one perhaps just after its reply went out).
		h.wait("10 presses answered", func() bool { return h.api.Calls("answerCallbackQuery") == 10 })
	})
}

// TestSignupByTyping runs the whole sign-up typing every answer, the phone number included,
// over the webhook.
func TestSignupByTyping(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{webhook: true})
		u := h.user(1002, "Siti")
		steps := []struct{ send, want string }{
			{"/start", say("menu.greeting")},
			{"daftar", say("signup.ask_consent")},
			{"Setuju", say("signup.ask_name")},
			{"Siti Rahmawati", say("signup.ask_nik")},
			{sitiNIK, say("signup.ask_nik_confirm")},
			{"ya", say("signup.ask_phone")},
			{"0812 3456 7890", say("signup.ask_occupation")},
			{"pedagang", say("signup.ask_province")},
			{"jawa barat", say("signup.ask_city")},
			{"kota bandung", say("signup.ask_partner")},
			{"ga ada kode", say("signup.ask_income")},
			{"2,5 juta", say("signup.ask_package")},
			{"2", say("signup.ask_period")},
			{"12", say("signup.summary")},
			{"1", say("signup.done")},
		}
		for _, s := range steps {
			u.Text(s.send)
			u.expect(s.want)
		}
		e := modeltest.One[models.Enrollment](t, db, "")
		if e.Package != "jkk_jkm_jht" || e.PaymentMonths != 12 || e.DeclaredIncome != 2500000 {
			t.Fatalf("stored enrollment %+v", e)
		}
		if h.api.Calls("answerCallbackQuery") != 0 {
			t.Error("callbacks answered though nothing was pressed")
		}
	})
}

func TestDuplicateUpdateHandledOnce(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(1003, "Budi")
		u.Text("/start")
		u.expect(say("menu.greeting"))
		// Telegram delivers "daftar" twice (it was not confirmed in time). Handled twice, the
		// second would be a wrong answer to the consent question.
		id, body := u.TextUpdate("daftar")
		h.api.Deliver(id, body)
		h.api.Deliver(id, body)
		u.Text("setuju")
		u.expect(say("signup.ask_consent"))
		u.expect(say("signup.ask_name"))
		if n := len(u.Messages()); n != 3 {
			t.Fatalf("%d messages, want 3: %+v", n, u.Messages())
		}
		n := modeltest.Count[models.ProcessedInbound](t, db, "channel = ?", telegram.Name)
		if n != 3 {
			t.Fatalf("%d updates recorded, want 3", n)
		}
	})
}

// TestRetryAfterHonoured: a 429 for one chat makes the dispatcher wait Telegram's
// retry_after before writing to that chat again, without using up an attempt, and the
// message arrives once.
func TestRetryAfterHonoured(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{clock: bot.SystemClock{}}) // retry_after is waited in real time
		u := h.user(1004, "Budi")
		refused := false
		h.api.Fail(func(c fakeapi.Call) *fakeapi.Error {
			if c.Method == "sendMessage" && c.ChatID == u.ID && !refused {
				refused = true
				return &fakeapi.Error{Code: 429, Description: "Too Many Requests: retry after 1", RetryAfter: 1}
			}
			return nil
		})
		u.Text("/start")
		u.expect(say("menu.greeting"))
		// The fake answers 429 again to any send before the retry_after ran out.
		if over, early := h.api.Violations(); early != 0 || over != 0 {
			t.Fatalf("%d sends before retry_after ran out", early)
		}
		// Nothing more comes: the next answer is the next message.
		u.Text("daftar")
		u.expect(say("signup.ask_consent"))
		if n := len(u.Messages()); n != 2 {
			t.Fatalf("%d messages, want 2: %+v", n, u.Messages())
		}
		rows := modeltest.Rows[models.Outbox](t, db, "")
		if rows[0].Attempts != 1 {
			t.Fatalf("rate-limited row %+v, want it delivered on its first counted attempt", rows[0])
		}
	})
}

// TestForbiddenMarksUnreachable: a worker who blocked the bot answers 403; they are marked
// unreachable on Telegram and what is queued for them is skipped. Writing again lifts it.
func TestForbiddenMarksUnreachable(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		h := start(t, db, setup{manual: true, clock: clock})
		u := h.user(1005, "Budi")
		blocked := true
		h.api.Fail(func(c fakeapi.Call) *fakeapi.Error {
			if c.Method == "sendMessage" && blocked {
				return &fakeapi.Error{Code: 403, Description: "Forbidden: bot was blocked by the user"}
			}
			return nil
		})
		u.Text("/start")
		<-h.committed
		// A reminder queued for them meanwhile.
		now := time.Now()
		if err := models.Enqueue(db, []models.Outbox{{Channel: telegram.Name, Recipient: "1005", Payload: models.EncodeJSON(bot.Reply{Text: "pengingat"}),
			Status: models.OutboxPending, NextAttemptAt: flowtest.Start, Priority: models.PriorityBulk, CreatedAt: now}}); err != nil {
			t.Fatal(err)
		}
		h.committed <- telegram.Name
		h.drain()

		if contact := modeltest.One[models.ChannelContact](t, db, "channel = ? AND chat_id = ?", telegram.Name, "1005"); !contact.Unreachable {
			t.Fatalf("contact %+v, want unreachable", contact)
		}
		rows := modeltest.Rows[models.Outbox](t, db, "")
		for _, r := range rows {
			if r.Status != models.OutboxSkipped {
				t.Errorf("row %d (%s) is %s, want skipped", r.ID, r.Payload, r.Status)
			}
		}
		if h.api.Calls("sendMessage") != 1 {
			t.Errorf("%d sends, want 1: the second row must not be tried", h.api.Calls("sendMessage"))
		}

		// They unblock the bot and write again, a while later (the engine refreshes a
		// contact at most once a minute).
		blocked = false
		clock.Advance(2 * time.Minute)
		u.Text("menu")
		h.drain()
		u.expect(say("menu.prompt"))
		contact := modeltest.One[models.ChannelContact](t, db, "channel = ? AND chat_id = ?", telegram.Name, "1005")
		if contact.Unreachable {
			t.Fatal("still unreachable after writing again")
		}
	})
}

func TestWebhookRefusesWrongSecret(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{webhook: true})
		url, secret := h.api.Webhook()
		if url != h.hook || secret != webhookSecret {
			t.Fatalf("setWebhook(%q, %q), want (%q, the configured secret)", url, secret, h.hook)
		}
		if got := h.api.AllowedUpdates(); strings.Join(got, ",") != "message,callback_query" {
			t.Errorf("allowed updates %v", got)
		}
		u := h.user(1006, "Budi")
		ctx := context.Background()
		for _, tt := range []struct {
			name, secret string
			want         int
		}{
			{"missing", "", http.StatusUnauthorized},
			{"wrong", "not-the-secret", http.StatusUnauthorized},
			{"prefix", webhookSecret[:10], http.StatusUnauthorized},
		} {
			id, body := u.TextUpdate("/start")
			got, err := h.api.PostWebhook(ctx, h.hook, tt.secret, body)
			if err != nil || got != tt.want {
				t.Errorf("%s secret (update %d): status %d (%v), want %d", tt.name, id, got, err, tt.want)
			}
		}
		if got, _ := h.api.PostWebhook(ctx, h.hook, webhookSecret, []byte("{not json")); got != http.StatusBadRequest {
			t.Errorf("bad body: status %d, want 400", got)
		}
		if n := len(u.Messages()); n != 0 {
			t.Fatalf("refused updates were handled: %+v", u.Messages())
		}
		n := modeltest.Count[models.ProcessedInbound](t, db, "")
		if n != 0 {
			t.Fatalf("%d refused updates recorded", n)
		}
		// The right secret: handled before the 200.
		_, body := u.TextUpdate("/start")
		if got, err := h.api.PostWebhook(ctx, h.hook, webhookSecret, body); err != nil || got != http.StatusOK {
			t.Fatalf("right secret: status %d (%v)", got, err)
		}
		n = modeltest.Count[models.ProcessedInbound](t, db, "")
		if n != 1 {
			t.Fatalf("%d updates recorded after the 200, want 1", n)
		}
		u.expect(say("menu.greeting"))
	})
}

// TestOldKeyboard: a button under an earlier message (or pressed twice) gets only a short alert
// in the press's own answer: no message, no edit, and the conversation stays where it was.
func TestOldKeyboard(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(1007, "Budi")
		u.Text("/start")
		menu := u.expect(say("menu.greeting"))
		u.Text("daftar") // typed: the menu's keyboard stays
		consent := u.expect(say("signup.ask_consent"))
		u.press(consent, "setuju")
		u.expect(say("signup.ask_name"))

		for _, press := range []struct {
			m    fakeapi.Message
			data string
		}{{menu, "iuran"}, {consent, "setuju"}} { // an old keyboard; a double tap
			_, q := u.PressQuery(press.m, press.data)
			var a fakeapi.CallbackAnswer
			h.wait("the press to be answered", func() bool {
				var ok bool
				a, ok = h.api.Answer(q)
				return ok
			})
			if !a.ShowAlert || a.Text != locales.Text("id", "telegram.stale_alert") {
				t.Errorf("answer to a stale press: %+v, want the stale alert", a)
			}
		}
		u.Text("Budi Santoso")
		u.expect(say("signup.ask_nik"))
		if n := len(u.Messages()); n != 4 {
			t.Errorf("%d messages, want 4: stale presses send none", n)
		}
		for _, m := range u.Messages() {
			if m.ID == menu.ID && m.Edited {
				t.Error("a stale press edited the old message")
			}
		}
	})
}

// Many presses of an old button queue nothing, so the worker's next message is answered next.
func TestManyStalePressesQueueNothing(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(1008, "Ani")
		u.Text("/start")
		menu := u.expect(say("menu.greeting"))
		u.Text("daftar")
		u.expect(say("signup.ask_consent"))
		var last string
		for range 50 {
			_, last = u.PressQuery(menu, "iuran")
		}
		h.wait("the presses to be answered", func() bool { _, ok := h.api.Answer(last); return ok })
		queued := modeltest.Count[models.Outbox](t, db, "")
		if queued != 2 {
			t.Errorf("%d outbox rows after 50 stale presses, want the 2 replies only", queued)
		}
		u.Text("setuju")
		u.expect(say("signup.ask_name"))
	})
}

// TestTwoUsersInterleaved: two workers answering in turn each get their own questions and
// their own data back.
func TestTwoUsersInterleaved(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		budi, siti := h.user(2001, "Budi"), h.user(2002, "Siti")
		script := func(name, nik, phone, city string) []string {
			return []string{"/start", "daftar", "setuju", name, nik, "ya", phone, "ojol", "jawa barat", city, "lewati", "2500000", "1", "1"}
		}
		a := script("Budi Santoso", budiNIK, "081234567890", "Kota Bandung")
		b := script("Siti Rahmawati", sitiNIK, "085712345678", "Kab. Bogor")
		for i := range a {
			// Both messages are in flight at once.
			budi.Text(a[i])
			siti.Text(b[i])
			budi.next()
			siti.next()
		}
		check := func(u *user, want, notWant []string) {
			t.Helper()
			summary := u.Messages()[len(u.Messages())-1].Text
			for _, w := range want {
				if !strings.Contains(summary, w) {
					t.Errorf("%s's summary lacks %q:\n%s", u.FirstName, w, summary)
				}
			}
			for _, w := range notWant {
				if strings.Contains(summary, w) {
					t.Errorf("%s's summary has %q:\n%s", u.FirstName, w, summary)
				}
			}
		}
		check(budi, []string{"Budi Santoso", "3201********0001", "Laki-laki", "+6281234567890", "Bandung"}, []string{"Siti", "Bogor"})
		check(siti, []string{"Siti Rahmawati", "3201********0001", "Perempuan", "+6285712345678", "Bogor"}, []string{"Budi", "Bandung"})
	})
}

func TestDeepLink(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		flowtest.AddPartner(t, db, "ansor_jateng", "GP Ansor Jawa Tengah", false, false)
		h := start(t, db, setup{})

		known := h.user(3001, "Budi")
		known.Text("/start ansor_jateng")
		// The welcome and the first question are replies to one message: they go as one.
		welcome := known.expect(say("signup.partner_welcome"), say("signup.ask_consent"))
		if !strings.Contains(welcome.Text, "GP Ansor Jawa Tengah") {
			t.Fatalf("welcome does not name the partner: %q", welcome.Text)
		}

		unknown := h.user(3002, "Siti")
		unknown.Text("/start kode_ngawur")
		unknown.expect(say("signup.partner_unknown_link"), say("signup.ask_consent"))

		c := modeltest.One[models.Conversation](t, db, "channel = ? AND chat_id = ?", telegram.Name, "3001")
		if !strings.Contains(c.Slots, "ansor_jateng") {
			t.Fatalf("partner not remembered for the sign-up: %s", c.Slots)
		}
	})
}

// TestContactSharing: only the worker's own contact is taken as their number.
func TestContactSharing(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(4001, "Budi")
		for _, s := range []struct{ send, want string }{
			{"/start", say("menu.greeting")},
			{"daftar", say("signup.ask_consent")},
			{"setuju", say("signup.ask_name")},
			{"Budi Santoso", say("signup.ask_nik")},
			{budiNIK, say("signup.ask_nik_confirm")},
			{"ya", say("signup.ask_phone")},
		} {
			u.Text(s.send)
			u.expect(s.want)
		}
		u.Contact("6285712345678", 4999) // someone else's
		again := u.expect(say("signup.contact_not_own"))
		if !again.ContactButton || !strings.Contains(again.Text, say("signup.ask_phone")) {
			t.Fatalf("after someone else's contact: %+v", again)
		}
		u.Contact("6285712345678", 0) // an address-book entry: cannot be shown to be theirs
		u.expect(say("signup.contact_not_own"))
		u.Contact("6281234567890", u.ID)
		u.expect(say("signup.ask_occupation"))

		c := modeltest.One[models.Conversation](t, db, "channel = ? AND chat_id = ?", telegram.Name, "4001")
		if !strings.Contains(c.Slots, "+6281234567890") || strings.Contains(c.Slots, "+6285712345678") {
			t.Fatalf("slots %s", c.Slots)
		}
	})
}

func TestUnsupportedMessages(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(5001, "Budi")
		u.Photo()
		u.expect(say("common.unsupported"))
		u.Text("daftar")
		u.expect(say("signup.ask_consent"))
		u.Sticker() // in the middle of sign-up: the question comes again, in the same message
		u.expect(say("common.unsupported"), say("signup.ask_consent"))
		u.Text("setuju")
		u.expect(say("signup.ask_name"))
	})
}

func TestCommandsRegistered(t *testing.T) {
	h := start(t, modeltest.MustOpen(t, models.SQLite), setup{})
	for lang, loc := range map[string]string{"": "id", "en": "en"} {
		var got []string
		h.wait("commands for "+loc, func() bool { return len(h.api.Commands(lang)) == 5 })
		for _, c := range h.api.Commands(lang) {
			got = append(got, c.Command)
			if c.Description != locales.Text(loc, "telegram.command."+c.Command) {
				t.Errorf("%s /%s: description %q", loc, c.Command, c.Description)
			}
		}
		if strings.Join(got, " ") != "start menu daftar batal bantuan" {
			t.Errorf("%s commands %v", loc, got)
		}
	}
	if err := h.ch.Ready(context.Background()); err != nil {
		t.Errorf("not ready while polling: %v", err)
	}
}

// A worker who asks for a person is told so, and the staff group gets a notice naming the
// request, with what the worker typed (personal numbers masked) but not their chat id, and
// the buttons to take or close it.
func TestHandoffNoticeReachesStaffGroup(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		const staffGroup = -1001234567890
		h := start(t, db, setup{staff: staffGroup})
		u := h.user(700100900, "Wati")
		u.Text("saya mau bicara dengan petugas, klaim JHT saya ditolak")
		u.expect(say("handoff.opened"))

		req := modeltest.One[models.HandoffRequest](t, db, "")
		var notice []fakeapi.Message
		h.wait("the staff notice", func() bool {
			notice = h.api.Messages(staffGroup)
			return len(notice) > 0
		})
		text := notice[0].Text
		if !strings.Contains(text, fmt.Sprintf("#%d", req.ID)) || !strings.Contains(text, "telegram") {
			t.Fatalf("staff notice %q does not name request %d on telegram", text, req.ID)
		}
		if !strings.Contains(text, "ditolak") || strings.Contains(text, "700100900") {
			t.Fatalf("staff notice lacks the worker's words or carries their chat id: %q", text)
		}
		if len(notice[0].Buttons) != 2 {
			t.Fatalf("staff notice buttons: %v", notice[0].Buttons)
		}
	})
}

// Replies to one message go as one Telegram message when they fit, with the keyboard of the
// last: "halo" is a greeting and the menu, one message, not two a second apart.
func TestRepliesToOneMessageGoAsOne(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := start(t, db, setup{})
		u := h.user(5101, "Rina")
		u.Text("/start")
		u.expect(say("menu.greeting"))
		u.Text("halo")
		m := u.expect(say("smalltalk.greeting"), say("menu.more"))
		if len(m.Buttons) == 0 {
			t.Errorf("the merged message lost the menu's keyboard: %+v", m)
		}
		u.Text("iuran")
		u.expect(say("premium.ask_occupation"))
		if n := len(u.Messages()); n != 3 {
			t.Errorf("%d messages, want 3", n)
		}
		// Rows are marked sent a few milliseconds after delivery, together.
		modeltest.Eventually(t, "every merged reply's outbox row to be marked sent", func() bool {
			return modeltest.Count[models.Outbox](t, db, "recipient = ? AND status <> ?", "5101", models.OutboxSent) == 0
		})
	})
}
