package whatsapp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
)

func TestSignupOverWhatsApp(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		worker := pn("6281234567890")
		steps := []struct{ say, want string }{
			{"halo", "1. Daftar BPJS Ketenagakerjaan"}, // choices are numbered lines
			{"1", "Kamu setuju?"},                      // ... and answered by number
			{"setuju", "nama lengkapmu"},               // ... or by words
			{"Budi Santoso", "NIK"},
			{"3201011203900001", "12 Maret 1990"},
			{"ya", "pekerjaanmu"}, // no phone question: WhatsApp told us the number
			{"ojol", "provinsi"},
			{"jawa barat", "Kota atau kabupaten"},
			{"kota bandung", "kode mitra"},
			{"gak ada", "penghasilanmu"},
			{"2500000", "Pilih program"},
			{"1", "berapa bulan"},
			{"3", "HP: +6281234567890"},
			{"1", "Terima kasih, Budi Santoso"},
		}
		for _, s := range steps {
			got := h.send(worker, s.say)
			all := joined(got)
			if !strings.Contains(all, s.want) {
				t.Fatalf("after %q want %q, got:\n%s", s.say, s.want, all)
			}
			if strings.Contains(all, "Nomor HP/WhatsApp") {
				t.Fatalf("after %q the phone was asked although WhatsApp gave it:\n%s", s.say, all)
			}
			if s.say == "halo" && !strings.Contains(all, "Balas dengan angka") {
				t.Fatalf("choices without the hint to answer by number:\n%s", all)
			}
		}

		m := modeltest.One[models.Member](t, db, "")
		if m.Phone != "+6281234567890" || m.FullName != "Budi Santoso" {
			t.Fatalf("member = %q %q", m.FullName, m.Phone)
		}
		e, err := models.LatestEnrollment(db, m.ID)
		if err != nil || e.Channel != Name {
			t.Fatalf("enrollment = %+v, %v", e, err)
		}
		conv := modeltest.One[models.Conversation](t, db, "")
		if conv.Channel != Name || conv.ChatID != "6281234567890@s.whatsapp.net" {
			t.Fatalf("conversation %s %s", conv.Channel, conv.ChatID)
		}
		// "typing…" was shown for every message the engine answered.
		composing := 0
		for _, c := range h.cli.typingCalls() {
			if c.typing {
				composing++
			}
			if c.chat != worker {
				t.Fatalf("typing shown in %s", c.chat)
			}
		}
		if composing != len(steps) {
			t.Fatalf("typing shown %d times for %d messages", composing, len(steps))
		}
	})
}

func TestRepeatedMessageHandledOnce(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		worker := pn("6281234500001")
		evt := textEvent("3EB0DUPLICATE", worker, "halo")
		h.cli.emit(evt)
		h.waitReceipt("3EB0DUPLICATE")
		if got := h.flush(); len(got) == 0 {
			t.Fatal("first delivery not answered")
		}
		h.cli.emit(evt) // WhatsApp delivers the same message again
		h.waitReceipt("3EB0DUPLICATE")
		if got := h.flush(); len(got) != 0 {
			t.Fatalf("redelivery answered again: %q", got)
		}
		n := modeltest.Count[models.ProcessedInbound](t, db, "channel = ?", Name)
		if n != 1 {
			t.Fatalf("%d processed rows", n)
		}
		calls := h.cli.typingCalls()
		if last := calls[len(calls)-1]; last.typing {
			t.Fatal(`"typing…" left on after a message that needs no answer`)
		}
	})
}

func TestSenderByLID(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		h.cli.lidToPN[lid("20000000000001")] = pn("6281311110001")
		withAlt := textEvent("3EB0ALT", lid("20000000000002"), "halo")
		withAlt.Info.SenderAlt = pn("6281311110002")

		cases := []struct {
			name      string
			evt       *events.Message
			chat, tel string
		}{
			{"mapped in the store", textEvent("3EB0MAP", lid("20000000000001"), "halo"), "6281311110001@s.whatsapp.net", "+6281311110001"},
			{"alternative address", withAlt, "6281311110002@s.whatsapp.net", "+6281311110002"},
			{"unknown", textEvent("3EB0UNK", lid("20000000000003"), "halo"), "20000000000003@lid", ""},
		}
		for _, c := range cases {
			h.cli.emit(c.evt)
			h.waitReceipt(c.evt.Info.ID)
			in := h.inbounds.last(t)
			if in.ChatID != c.chat || in.UserID != c.chat || in.Phone != c.tel {
				t.Fatalf("%s: chat %q user %q phone %q, want %q %q", c.name, in.ChatID, in.UserID, in.Phone, c.chat, c.tel)
			}
			sent := h.flushMessages()
			if len(sent) == 0 {
				t.Fatalf("%s: no reply", c.name)
			}
			for _, m := range sent {
				if m.to.String() != c.chat {
					t.Fatalf("%s: reply sent to %s", c.name, m.to)
				}
			}
		}
	})
}

func TestMessagesNotForTheBotAreIgnored(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		worker := pn("6281234500002")
		group := textEvent("3EB0GROUP", worker, "halo semua")
		group.Info.Chat, group.Info.IsGroup = types.NewJID("120363000000000001", types.GroupServer), true
		status := textEvent("3EB0STATUS", worker, "status baru")
		status.Info.Chat = types.StatusBroadcastJID
		fromMe := textEvent("3EB0FROMME", worker, "pesan dari ponsel")
		fromMe.Info.IsFromMe = true
		ownLID := textEvent("3EB0OWNLID", h.cli.ownLID, "catatan")
		reaction := textEvent("3EB0REACT", worker, "")
		reaction.Message = &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}}
		for _, e := range []*events.Message{group, status, fromMe, ownLID, reaction} {
			h.cli.emit(e)
		}
		got := h.send(worker, "halo")
		h.ch.queues.Wait()
		if n := h.inbounds.count(); n != 1 {
			t.Fatalf("%d messages reached the engine, want only the direct one", n)
		}
		if len(got) == 0 {
			t.Fatal("the direct message was not answered")
		}
		convs := modeltest.Count[models.Conversation](t, db, "")
		if convs != 1 {
			t.Fatalf("%d conversations", convs)
		}
		for reason, want := range map[ignoreReason]float64{ignoreGroup: 1, ignoreBroadcast: 1, ignoreSelf: 2, ignoreProtocol: 1} {
			if got := metricValue(t, h.ch.metrics.ignored.WithLabelValues(string(reason))); got != want {
				t.Errorf("ignored{%s} = %v, want %v", reason, got, want)
			}
		}
	})
}

func TestMediaIsExplained(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		worker := pn("6281234500003")
		voice := textEvent("3EB0VOICE", worker, "")
		voice.Message = &waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true)}}
		h.cli.emit(voice)
		h.waitReceipt("3EB0VOICE")
		if got := joined(h.flush()); !strings.Contains(got, "hanya bisa membaca pesan teks") {
			t.Fatalf("voice note answered with:\n%s", got)
		}
		if in := h.inbounds.last(t); in.Kind != bot.KindUnsupported {
			t.Fatalf("kind %v", in.Kind)
		}
		// Text in an extended message (a quoted reply, a link preview) is read as text.
		h.cli.emit(extendedTextEvent("3EB0EXT", worker, "menu"))
		h.waitReceipt("3EB0EXT")
		if in := h.inbounds.last(t); in.Kind != bot.KindText || in.Text != "menu" {
			t.Fatalf("extended text read as %v %q", in.Kind, in.Text)
		}
	})
}

func TestPartnerLinkFromAnyState(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		flowtest.AddPartner(t, db, "ANSOR01", "GP Ansor Blitar", false, false)
		h.start()
		h.connect()

		// A new chat whose first message is the wa.me link's text.
		first := pn("6281234500010")
		if got := joined(h.send(first, "DAFTAR ANSOR01")); !strings.Contains(got, "GP Ansor Blitar") || !strings.Contains(got, "Kamu setuju?") {
			t.Fatalf("link in a new chat:\n%s", got)
		}

		// A worker halfway through sign-up who then follows a partner's link.
		worker := pn("6281234500011")
		for _, say := range []string{"daftar", "setuju", "Siti Rahmawati"} {
			h.send(worker, say)
		}
		if got := joined(h.send(worker, "DAFTAR ANSOR01")); !strings.Contains(got, "GP Ansor Blitar") {
			t.Fatalf("link in the middle of sign-up:\n%s", got)
		}
		for _, say := range []string{"setuju", "Siti Rahmawati", "3201015203900001", "ya", "pedagang", "jawa timur", "kab. blitar", "1500000", "1", "1"} {
			h.send(worker, say)
		}
		if got := joined(h.send(worker, "1")); !strings.Contains(got, "Terima kasih, Siti Rahmawati") {
			t.Fatalf("sign-up did not finish:\n%s", got)
		}
		e := modeltest.One[models.Enrollment](t, db, "member_id = ?", modeltest.One[models.Member](t, db, "phone = ?", "+6281234500011").ID)
		partnerID := e.PartnerID
		p, err := models.FindPartner(db, "ANSOR01")
		if err != nil || partnerID == nil || *partnerID != p.ID {
			t.Fatalf("enrollment partner %v, want %v (%v)", partnerID, p, err)
		}
	})
}

func TestReconnectsWithBackoff(t *testing.T) {
	h := newHarness(t, modeltest.MustOpen(t, models.SQLite))
	h.cli.connectErrs = []error{errConnect, errConnect}
	h.start()
	for want := 1; want <= 3; want++ {
		if n := h.waitConnect(); n != want {
			t.Fatalf("connect #%d, want #%d", n, want)
		}
	}
	h.cli.emit(&events.Connected{})
	h.waitState(StateConnected)
	h.cli.emit(&events.Disconnected{}) // the connection drops
	h.waitConnect()
	h.waitState(StateConnecting)
	if h.ch.Ready(context.Background()) == nil {
		t.Fatal("ready while reconnecting")
	}
	h.cli.emit(&events.Connected{})
	h.waitState(StateConnected)
	if got := metricValue(t, h.ch.metrics.reconnects); got != 3 {
		t.Fatalf("reconnects = %v", got)
	}
}

func TestLoggedOutStopsAndAsksToPair(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.conn.opened = make(chan struct{}, 16)
		h.start()
		h.connect()
		for len(h.conn.opened) > 0 {
			<-h.conn.opened
		}
		h.conn.setPaired(false) // whatsmeow deletes the device on a logout
		h.cli.emit(&events.LoggedOut{Reason: events.ConnectFailureLoggedOut})
		h.waitState(StateLoggedOut)

		err := h.ch.Ready(context.Background())
		if err == nil || !strings.Contains(err.Error(), "bpubot whatsapp pair") {
			t.Fatalf("readiness: %v", err)
		}
		if got := metricValue(t, h.ch.metrics.state.WithLabelValues("logged_out")); got != 1 {
			t.Fatalf("state metric = %v", got)
		}
		if !h.ch.Standby() {
			t.Fatal("the dispatcher may still send")
		}
		rec, ok, err := ReadState(context.Background(), db)
		if err != nil || !ok || rec.State != StateLoggedOut {
			t.Fatalf("recorded state %+v %v %v", rec, ok, err)
		}
		// It looks for a new pairing but connects nothing meanwhile ...
		for range 2 {
			select {
			case <-h.conn.opened:
			case <-time.After(guard):
				t.Fatal("the store is not looked at again")
			}
		}
		select {
		case n := <-h.cli.connects:
			t.Fatalf("connect #%d after a logout", n)
		default:
		}
		if st, _ := h.ch.State(); st != StateLoggedOut {
			t.Fatalf("state %s", st)
		}
		// ... and picks up a number paired again with `bpubot whatsapp pair`.
		h.conn.setPaired(true)
		h.connect()
	})
}

func TestStreamReplacedStops(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		h.cli.emit(&events.StreamReplaced{})
		h.waitState(StateStreamReplaced)
		if err := h.ch.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "opened somewhere else") {
			t.Fatalf("readiness: %v", err)
		}
		if h.cli.disconnectCount() == 0 {
			t.Fatal("still connected")
		}
		h.stop()
		select {
		case n := <-h.cli.connects:
			t.Fatalf("reconnected (#%d) instead of stopping", n)
		default:
		}
		rec, _, _ := ReadState(context.Background(), db)
		if rec.State != StateStreamReplaced {
			t.Fatalf("recorded state %s", rec.State)
		}
	})
}

func TestTemporaryBanPausesOutbound(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		worker := pn("6281234500020")
		h.send(worker, "halo")

		h.cli.emit(&events.TemporaryBan{Code: events.TempBanSentToTooManyPeople, Expire: time.Hour})
		h.waitState(StateBanned)
		until := h.clock.Now().Add(time.Hour)

		p, ok, err := ActivePause(context.Background(), db, h.clock.Now())
		if err != nil || !ok || p.Reason != PauseTemporaryBan || !p.Until.Equal(until) || !strings.Contains(p.Detail, "101") {
			t.Fatalf("recorded pause %+v %v %v", p, ok, err)
		}
		if got := metricValue(t, h.ch.metrics.pausedUntil); got != float64(until.Unix()) {
			t.Fatalf("paused_until = %v", got)
		}
		if err := h.ch.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "banned") {
			t.Fatalf("readiness: %v", err)
		}
		err = h.ch.Send(context.Background(), bot.Outgoing{Recipient: worker.String(), Reply: bot.Reply{Text: "x"}})
		var retry *bot.RetryAfterError
		if !errors.As(err, &retry) || !retry.Global || retry.After != time.Hour {
			t.Fatalf("Send while banned: %v", err)
		}
		// What is queued meanwhile waits in the outbox, untouched.
		id := h.enqueueBulk(worker.String(), "pengingat")
		if sent := h.flush(); len(sent) != 0 {
			t.Fatalf("sent while banned: %q", sent)
		}
		if row := h.outbox(id); row.Status != models.OutboxPending || row.Attempts != 0 {
			t.Fatalf("row while banned: %s, %d attempts", row.Status, row.Attempts)
		}

		// When the ban is over, it connects again and the queue goes out.
		h.clock.Advance(time.Hour + time.Second)
		h.connect()
		if sent := h.flush(); len(sent) != 1 || sent[0] != "pengingat" {
			t.Fatalf("after the ban: %q", sent)
		}
	})
}

// Error 463 starts a reach-out timelock: the chat it came on waits until it ends (24h by
// default), recorded, while a worker who wrote recently is answered as usual, "typing…" and all.
func TestReachoutTimelockHoldsOnlyTheRefusedChat(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		refused := pn("6281234500030")
		h.cli.setSendErr(&ServerError{Code: ReachoutTimelockCode})
		if sent := h.send(refused, "halo"); len(sent) != 0 {
			t.Fatalf("sent %q", sent)
		}
		until := h.clock.Now().Add(24 * time.Hour)
		rows := modeltest.Rows[models.Outbox](t, db, "channel = ? AND recipient = ?", Name, refused.String())
		if len(rows) == 0 {
			t.Fatal("the reply is gone")
		}
		for _, r := range rows {
			if r.Status != models.OutboxPending || r.Attempts != 0 || r.NextAttemptAt.Before(until) {
				t.Fatalf("row %d: %s, %d attempts, next %s (want from %s)", r.ID, r.Status, r.Attempts, r.NextAttemptAt, until)
			}
		}
		p, ok, err := ActivePause(context.Background(), db, h.clock.Now())
		if err != nil || !ok || p.Reason != PauseReachoutTimelock || !p.Until.Equal(until) {
			t.Fatalf("recorded pause %+v %v %v", p, ok, err)
		}
		h.cli.setSendErr(nil)
		typingBefore := len(h.cli.typingCalls())
		if sent := h.send(pn("6281234500031"), "halo"); len(sent) == 0 {
			t.Fatal("a worker who just wrote was not answered during the timelock")
		}
		if len(h.cli.typingCalls()) == typingBefore {
			t.Error("no typing shown to a worker who just wrote")
		}
	})
}

// WhatsApp's reach-out timelock notice holds messages to chats that have not written within
// recent_chat until the time it names (bulk or not, nothing is lost), lets the others go, and
// ends when WhatsApp says it is no longer active.
func TestReachoutTimelockNotice(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		quiet, recent := pn("6281234500032"), pn("6281234500033")
		h.send(quiet, "halo")
		h.clock.Advance(25 * time.Hour) // quiet's chat is no longer recent
		h.send(recent, "halo")
		ends := h.clock.Now().Add(3 * time.Hour)
		notice := &events.NotifyAccountReachoutTimelock{IsActive: true, EnforcementType: "REACHOUT_TIMELOCK"}
		notice.TimeEnforcementEnds.Time = ends
		h.cli.emit(notice)

		send := func(to types.JID, bulk bool) error {
			return h.ch.Send(context.Background(), bot.Outgoing{Recipient: to.String(), Reply: bot.Reply{Text: "pengingat"}, Bulk: bulk})
		}
		var retry *bot.RetryAfterError
		err := send(quiet, true)
		if !errors.As(err, &retry) || retry.Global || retry.After != 3*time.Hour {
			t.Fatalf("to a chat without recent messages: %v, want this chat to wait 3h", err)
		}
		if err := send(recent, true); err != nil {
			t.Fatalf("to a chat that wrote recently: %v", err)
		}
		if err := send(recent, false); err != nil {
			t.Fatalf("a reply: %v", err)
		}
		h.cli.emit(&events.NotifyAccountReachoutTimelock{IsActive: false})
		if err := send(quiet, true); err != nil {
			t.Fatalf("after the timelock ended: %v", err)
		}
	})
}

func TestBulkOnlyToWorkersWhoWroteFirst(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		wrote, never, optedOut, memberOut, gone := pn("6281200000001"), pn("6281200000002"), pn("6281200000003"), pn("6281200000004"), pn("6281200000005")
		for _, w := range []types.JID{wrote, optedOut, memberOut, gone} {
			h.send(w, "halo")
		}
		if err := models.SetOptOut(db, Name, optedOut.String(), nil, true, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
		member := models.Member{FullName: "Tidak Mau", Lang: "id", OptedOut: true, CreatedAt: h.clock.Now(), UpdatedAt: h.clock.Now()}
		modeltest.Insert(t, db, &member)
		if err := models.TouchContact(db, Name, memberOut.String(), &member.ID, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
		h.cli.notOnWA["+6281200000005"] = true

		cases := []struct {
			to   types.JID
			want error
		}{{wrote, nil}, {never, ErrNotOptedIn}, {optedOut, ErrOptedOut}, {memberOut, ErrOptedOut}, {gone, ErrNotOnWhatsApp}}
		for _, c := range cases {
			err := h.ch.Send(context.Background(), bot.Outgoing{Recipient: c.to.String(), Reply: bot.Reply{Text: "Pengingat iuran"}, Bulk: true})
			var perm *bot.PermanentError
			switch {
			case c.want == nil && err != nil:
				t.Errorf("%s: %v", c.to, err)
			case c.want != nil && (!errors.As(err, &perm) || !errors.Is(err, c.want)):
				t.Errorf("%s: got %v, want a permanent %v", c.to, err, c.want)
			}
		}
		if sent := h.flushMessages(); len(sent) != 1 || sent[0].to != wrote {
			t.Fatalf("sent: %+v", sent)
		}
		// WhatsApp is asked about a number once, not at every message.
		checks := len(h.cli.waChecks)
		_ = h.ch.Send(context.Background(), bot.Outgoing{Recipient: gone.String(), Reply: bot.Reply{Text: "x"}, Bulk: true})
		if len(h.cli.waChecks) != checks {
			t.Fatal("IsOnWhatsApp asked again")
		}
		// A reply to a worker's own question is not held to the rule.
		if err := h.ch.Send(context.Background(), bot.Outgoing{Recipient: optedOut.String(), Reply: bot.Reply{Text: "jawaban"}}); err != nil {
			t.Fatalf("reply to an opted-out worker: %v", err)
		}
		// Through the dispatcher, a refused row is marked failed with the reason.
		id := h.enqueueBulk(never.String(), "Pengingat iuran")
		h.flush()
		if row := h.outbox(id); row.Status != models.OutboxFailed || !strings.Contains(row.LastError, "never wrote") {
			t.Fatalf("row: %s %q", row.Status, row.LastError)
		}
	})
}

func TestBulkIsSlowAndRepliesAreNot(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		workers := []types.JID{pn("6281200000011"), pn("6281200000012"), pn("6281200000013")}
		for _, w := range workers {
			h.send(w, "halo")
		}
		var ids []int64
		for _, w := range workers {
			ids = append(ids, h.enqueueBulk(w.String(), "Pengumuman"))
		}
		if sent := h.flush(); len(sent) != 1 {
			t.Fatalf("%d bulk messages went at once", len(sent))
		}
		now := h.clock.Now()
		waiting := 0
		for _, id := range ids {
			row := h.outbox(id)
			if row.Status == models.OutboxSent {
				continue
			}
			waiting++
			// Back in the outbox for the next bulk slot, 20s + jitter away (3 a minute),
			// without using up an attempt.
			if row.Status != models.OutboxPending || row.Attempts != 0 || row.NextAttemptAt.Before(now.Add(15*time.Second)) {
				t.Fatalf("row %d: %s, %d attempts, next in %s", id, row.Status, row.Attempts, row.NextAttemptAt.Sub(now))
			}
		}
		if waiting != 2 {
			t.Fatalf("%d rows waiting", waiting)
		}
		// A worker who writes meanwhile is answered at once.
		if got := h.send(pn("6281200000014"), "halo"); len(got) == 0 {
			t.Fatalf("reply held back behind bulk: %q", got)
		}
	})
}

// TestShutdownFinishesInFlight stops the channel right after a message arrives: the message is
// handled and its reply sent before Run returns and the connection closes.
func TestShutdownFinishesInFlight(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.ch.grace = guard
		dctx, stopDispatch := context.WithCancel(context.Background())
		dispatched := make(chan struct{})
		go func() { h.disp.Run(dctx); close(dispatched) }()
		defer func() { stopDispatch(); <-dispatched }()
		h.start()
		h.connect()

		h.cli.emit(textEvent("3EB0LAST", pn("6281234500040"), "halo"))
		h.stop()
		if h.inbounds.count() != 1 {
			t.Fatal("the message taken in was not handled")
		}
		if len(h.cli.sent) == 0 {
			t.Fatal("its reply was not sent before disconnecting")
		}
		pending := modeltest.Count[models.Outbox](t, db, "status <> ?", models.OutboxSent)
		if pending != 0 {
			t.Fatalf("%d rows left unsent", pending)
		}
	})
}

func TestDroppedConnectionKeepsTheMessage(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		h.start()
		h.connect()
		h.cli.setSendErr(ErrNotConnected) // the socket closed between claim and send
		h.send(pn("6281234500050"), "halo")
		rows := modeltest.Rows[models.Outbox](t, db, "channel = ?", Name)
		for _, r := range rows {
			if r.Status != models.OutboxPending || r.Attempts != 0 {
				t.Fatalf("row %d: %s after %d attempts", r.ID, r.Status, r.Attempts)
			}
		}
	})
}

// A message is acknowledged to WhatsApp only once the engine has committed it. Here the
// database is down when it arrives and the process stops (as a kill would) before it could be
// committed: WhatsApp was not told it arrived, delivers it again to the next process, and the
// worker is answered.
func TestMessageAcknowledgedOnlyAfterCommit(t *testing.T) {
	db, outage := modeltest.OpenBehindOutage(t)
	first := newHarness(t, db)
	first.start()
	first.connect()
	outage.Down()
	acked := make(chan bool, 1)
	go func() { acked <- first.cli.emit(textEvent("3EB0DOWN", pn("6281234500060"), "halo")) }()
	modeltest.Eventually(t, "the message to reach the engine", func() bool { return first.inbounds.count() > 0 })
	first.stop()
	if <-acked {
		t.Fatal("a message never committed was acknowledged to WhatsApp")
	}
	if n := first.cli.unackedCount(); n != 1 {
		t.Fatalf("%d messages for WhatsApp to deliver again, want 1", n)
	}

	outage.Up()
	next := newHarness(t, db, withClient(first.cli))
	next.start()
	next.connect() // WhatsApp delivers what was not acknowledged
	next.waitReceipt("3EB0DOWN")
	if sent := next.flush(); len(sent) == 0 {
		t.Fatal("the worker was not answered after the restart")
	}
}
