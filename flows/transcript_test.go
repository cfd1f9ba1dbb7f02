package flows_test

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/console"
	"bpubot/bot/staff"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/ from what the bot says now")

// TestTranscripts replays every testdata/*.txt conversation: lines starting with "> " are what
// the worker sends, "< " lines what the bot answered. The worker's lines drive the test; the
// bot's lines are compared (or rewritten with -update). Special worker lines:
//
//	> /start              a chat opened (deep link payload after a space)
//	> [button VALUE]      a pressed button
//	> [contact PHONE ID]  a shared contact of user ID (own user if ID is "self")
//	> [photo]             a message the bot cannot read
//	> [restart]           a new engine over the same database (a process restart)
//	> [wait DURATION]     time passes
//	> [lang en]           the channel asks for English
//	> [phone PHONE]       the channel knows the sender's phone (as on WhatsApp)
//	> [partner CODE NAME gov|sponsored|plain]  a partner exists
//	> [paid-until YYYY-MM-DD]  staff recorded payments up to that day
//	> [chat NAME]         what follows comes from another chat (another worker); [chat worker-1] is the first
//	> [handoff-closed]    staff closed every open request to talk to a person
//	> [staff take]        staff member Rina takes the chat's open request (bot/staff)
//	> [staff reply TEXT]  Rina replies TEXT to it
//	> [staff close]       Rina closes it
//	> [staff timeout]     a day passes without a staff answer, and the time-out sweep runs
//	> [staff broadcast TEXT | TEXT_EN]  Rina sends an announcement with the Daftar button to everyone
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var inputs []string
			for _, line := range strings.Split(string(raw), "\n") {
				if in, ok := strings.CutPrefix(line, "> "); ok {
					inputs = append(inputs, in)
				} else if line == ">" {
					inputs = append(inputs, "")
				}
			}
			var got string
			for i, dialect := range modeltest.Dialects() {
				out := replay(t, dialect, inputs)
				if i == 0 {
					got = out
				} else if out != got {
					t.Errorf("%s transcript differs from %s:\n%s", dialect, modeltest.Dialects()[0], diff(got, out))
				}
			}
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(raw) {
				t.Errorf("transcript %s changed (run go test ./flows -run TestTranscripts -update and review the diff):\n%s", file, diff(string(raw), got))
			}
		})
	}
}

// replay runs one conversation and returns its transcript.
func replay(t *testing.T, dialect string, inputs []string) string {
	t.Helper()
	ctx := context.Background()
	cfg := modeltest.Config(t, dialect)
	clock := flowtest.NewClock(flowtest.Start)
	var (
		out     recorder
		seq     int
		chat    = "worker-1"
		lang    string
		phone   string
		closeDB func()
		engine  *bot.Engine
		disp    *bot.Dispatcher
	)
	start := func() {
		db, err := models.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		engine, disp = flowtest.Engine(t, db, clock)
		disp.Register(&out)
		closeDB = func() { _ = models.Close(db) }
	}
	start()
	defer func() { closeDB() }()

	for _, line := range inputs {
		out.input(line)
		in := bot.Inbound{Channel: console.Name, ChatID: chat, UserID: chat, Kind: bot.KindText, Text: line}
		switch {
		case strings.HasPrefix(line, "[chat "):
			chat = strings.TrimSuffix(strings.TrimPrefix(line, "[chat "), "]")
			continue
		case line == "[handoff-closed]":
			reqs, err := models.OpenHandoffs(engine.DB, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reqs {
				if err := models.CloseHandoff(engine.DB, r.ID, clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
			continue
		case strings.HasPrefix(line, "[staff "):
			staffAct(t, engine.DB, clock, chat, strings.TrimSuffix(strings.TrimPrefix(line, "[staff "), "]"))
			drain(t, disp)
			continue
		case line == "[restart]":
			closeDB()
			start()
			continue
		case strings.HasPrefix(line, "[wait "):
			d, err := time.ParseDuration(strings.TrimSuffix(strings.TrimPrefix(line, "[wait "), "]"))
			if err != nil {
				t.Fatalf("bad wait: %q", line)
			}
			clock.Advance(d)
			continue
		case strings.HasPrefix(line, "[lang "):
			lang = strings.TrimSuffix(strings.TrimPrefix(line, "[lang "), "]")
			continue
		case strings.HasPrefix(line, "[phone "):
			phone = strings.TrimSuffix(strings.TrimPrefix(line, "[phone "), "]")
			continue
		case strings.HasPrefix(line, "[partner "):
			f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(line, "[partner "), "]"))
			kind := f[len(f)-1]
			flowtest.AddPartner(t, engine.DB, f[0], strings.Join(f[1:len(f)-1], " "), kind != "plain", kind == "gov")
			continue
		case strings.HasPrefix(line, "[paid-until "):
			day, err := time.Parse(time.DateOnly, strings.TrimSuffix(strings.TrimPrefix(line, "[paid-until "), "]"))
			if err != nil {
				t.Fatalf("bad date: %q", line)
			}
			modeltest.Exec(t, engine.DB, `UPDATE enrollments SET paid_until = ?`, day)
			continue
		case strings.HasPrefix(line, "/start"):
			in.Kind = bot.KindStart
			in.Payload = strings.TrimSpace(strings.TrimPrefix(line, "/start"))
			in.Text = ""
		case strings.HasPrefix(line, "[button "):
			in.Kind = bot.KindButton
			in.Value = strings.TrimSuffix(strings.TrimPrefix(line, "[button "), "]")
			in.Text = ""
		case strings.HasPrefix(line, "[contact "):
			f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(line, "[contact "), "]"))
			owner := f[1]
			if owner == "self" {
				owner = in.UserID
			}
			in.Kind = bot.KindContact
			in.Contact = &bot.Contact{Phone: f[0], UserID: owner}
			in.Text = ""
		case line == "[photo]":
			in.Kind = bot.KindUnsupported
			in.Text = ""
		}
		seq++
		in.ExternalID = "m" + strconv.Itoa(seq)
		in.Lang = lang
		in.Phone = phone
		clock.Advance(30 * time.Second)
		if _, err := engine.Handle(ctx, in); err != nil {
			t.Fatalf("handle %q: %v", line, err)
		}
		drain(t, disp)
	}
	return out.String()
}

// drain sends everything queued for the console.
func drain(t *testing.T, disp *bot.Dispatcher) {
	t.Helper()
	for {
		n, err := disp.DrainOnce(context.Background(), console.Name)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// staffAct does what a [staff ...] line says, as staff member Rina, on the chat's open request.
func staffAct(t *testing.T, db *models.DB, clock *flowtest.Clock, chat, what string) {
	t.Helper()
	ctx := context.Background()
	svc := &staff.Service{DB: db, Clock: clock, Log: slog.New(slog.DiscardHandler), Config: staff.Config{HandoffTimeout: 24 * time.Hour, PlainChannels: []string{"whatsapp", console.Name}}}
	st, err := models.FindStaff(db, 0, "Rina")
	if models.IsNotFound(err) {
		st, err = svc.AddStaff(ctx, staff.Operator(), staff.NewStaff{Name: "Rina", Role: models.RoleStaff})
	}
	if err != nil {
		t.Fatal(err)
	}
	actor := staff.ActorOf(*st, staff.ViaTelegram)
	if text, ok := strings.CutPrefix(what, "broadcast "); ok {
		id, en, _ := strings.Cut(text, " | ")
		b, err := svc.CreateBroadcast(ctx, actor, staff.Draft{TextID: strings.TrimSpace(id), TextEN: strings.TrimSpace(en), Buttons: []string{"daftar"}})
		if err == nil {
			_, err = svc.PreviewBroadcast(ctx, actor, b.ID)
		}
		if err == nil {
			_, err = svc.ConfirmBroadcast(ctx, actor, b.ID, nil)
		}
		if err == nil {
			_, err = svc.FanOut(ctx, b.ID)
		}
		if err != nil {
			t.Fatalf("[staff %s]: %v", what, err)
		}
		return
	}
	req, err := models.OpenHandoffOf(db, console.Name, chat)
	if err != nil && what != "timeout" {
		t.Fatalf("[staff %s]: no open request: %v", what, err)
	}
	verb, text, _ := strings.Cut(what, " ")
	switch verb {
	case "take":
		err = svc.TakeHandoff(ctx, actor, req.ID)
	case "reply":
		err = svc.ReplyHandoff(ctx, actor, req.ID, text)
	case "close":
		err = svc.CloseHandoff(ctx, actor, req.ID)
	case "timeout":
		clock.Advance(25 * time.Hour)
		_, err = svc.TimeOutHandoffs(ctx)
	default:
		t.Fatalf("unknown staff line %q", what)
	}
	if err != nil {
		t.Fatalf("[staff %s]: %v", what, err)
	}
}

// recorder is a channel that writes the transcript: the worker's lines, then each bot message
// with its lines marked "< " and a blank line after it.
type recorder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (r *recorder) Name() string { return console.Name }

func (r *recorder) Send(_ context.Context, msg bot.Outgoing) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, line := range strings.Split(bot.NumberedText(msg.Reply), "\n") {
		r.b.WriteString(strings.TrimRight("< "+line, " ") + "\n")
	}
	r.b.WriteString("\n")
	return nil
}

func (r *recorder) input(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.b.WriteString(strings.TrimRight("> "+line, " ") + "\n")
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.b.String()
}

// diff shows the first lines where two transcripts differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			if shown++; shown == 8 {
				break
			}
		}
	}
	return b.String()
}
