package flows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/words"
	"bpubot/locales"
	"bpubot/models"
)

// Talking to a person: the worker is told the request's number and whether staff are at work
// now; what they write while it is open is added to it, for staff to read with the request.
var flowHandoff *Flow

const nameHandoff = "petugas"

// slotHandoff is the open request's ID.
const slotHandoff = "handoff_id"

func init() {
	flowHandoff = register(&Flow{
		Name: nameHandoff, Labels: []intent.Label{intent.LabelPetugas}, Start: startHandoff, Clear: clearing(slotHandoff),
		Cancelled: "handoff.left", Resume: "common.resume_question", BackTo: "common.back_to_question",
		NoIdle: true, // a request stays open however long staff take
		Steps: []*Step{
			{Name: "confirm", Skip: known(slotHandoff),
				Ask: "handoff.confirm", Options: yesNoOptions, Parse: picked("common.yes_no_invalid"), Save: openRequest},
			{Name: "waiting", Text: waitingText, Parse: anyText, Save: addToRequest},
		},
	})
}

// handoff asks for a person: at once when the worker said so plainly (sure), after a question
// when it was read from other words; a request already open is shown, not opened twice.
func (r *Router) handoff(x *run, sure bool) error {
	req, err := models.OpenHandoffOf(x.Tx, x.In.Channel, x.In.ChatID)
	switch {
	case err == nil:
		x.slots[slotHandoff], x.req = strconv.FormatInt(req.ID, 10), req
		x.Conv.Flow, x.Conv.State = nameHandoff, "waiting"
		mc := flowHandoff.machine(x)
		defer mc.release()
		return mc.ask("handoff.still_open", "id", req.ID)
	case !models.IsNotFound(err):
		return err
	}
	x.sure = sure
	return r.startFlow(x, flowHandoff)
}

// startHandoff opens the request at once when the worker asked plainly.
func startHandoff(x *run) error {
	if x.sure {
		return createRequest(x)
	}
	return nil
}

func openRequest(x *run, v string) (string, error) {
	if v != "ya" {
		x.say(x.t("handoff.not_opened"))
		return Quit, nil
	}
	if err := createRequest(x); err != nil {
		return "", err
	}
	return "", nil
}

// createRequest opens a request with the question that led to it, tells the worker its number
// and when staff answer, and the staff chat that it is waiting.
func createRequest(x *run) error {
	question := x.slots[slotLastQuestion]
	if t := strings.TrimSpace(x.In.Text); t != "" && x.In.Value == "" && x.command() == words.None {
		question = truncate(bot.MaskText(t), 500)
	}
	req := models.HandoffRequest{Channel: x.In.Channel, ChatID: x.In.ChatID, MemberID: x.Conv.MemberID,
		Question: question, CreatedAt: x.Now}
	if err := models.CreateHandoff(x.Tx, &req); err != nil {
		return err
	}
	x.slots[slotHandoff] = strconv.FormatInt(req.ID, 10)
	x.noticeStaff(req)
	hours := x.r.Config.OfficeHours
	when := x.t("handoff.open_now", "hours", hours.Text(x.lang()))
	if next, open := hours.Next(x.Now.In(x.r.Config.Location)); !open {
		when = x.t("handoff.closed_now", "hours", hours.Text(x.lang()),
			"next", locales.Weekday(x.lang(), next.Weekday())+" "+locales.Clock(next))
	}
	x.opened = x.t("handoff.opened", "id", req.ID, "when", when)
	return nil
}

// waitingText is what the worker reads while their request is open: its number and when staff
// answer, just after it was opened; later, that it is still waiting.
func waitingText(x *run) string {
	if x.opened != "" {
		return x.opened
	}
	if req, err := x.request(); err == nil && req.TakenBy != nil && req.Status == models.HandoffOpen {
		return x.t("handoff.waiting_taken", "id", req.ID)
	}
	return x.t("handoff.waiting", "id", x.slots[slotHandoff])
}

// request is the worker's request the conversation holds (slotHandoff), read once per message:
// the answer that adds to it and the question asked again after it read the same row.
func (x *run) request() (*models.HandoffRequest, error) {
	id, _ := strconv.ParseInt(x.slots[slotHandoff], 10, 64)
	if x.req != nil && x.req.ID == id {
		return x.req, nil
	}
	req, err := models.FindHandoff(x.Tx, id)
	if err != nil {
		return nil, err
	}
	x.req = req
	return req, nil
}

func anyText(_ *run, a Answer) (string, error) {
	if a.Text == "" {
		return "", invalid("common.unsupported")
	}
	return a.Text, nil
}

// addToRequest adds what the worker wrote to their request while it is open, and forwards it
// to the staff chat (NIK and phone numbers masked). While a staff member has taken the request
// the bot stays quiet: only "menu", "batal" (the runner and the router take those first),
// "berhenti" and "hapus data" are answered. Once staff have closed it, the message is read as
// any other.
func addToRequest(x *run, text string) (string, error) {
	req, err := x.request()
	if err != nil && !models.IsNotFound(err) {
		return "", err
	}
	if err != nil || req.Status != models.HandoffOpen {
		clearing(slotHandoff)(x)
		x.Conv.Flow, x.Conv.State = flowMenu, ""
		x.setStack(nil)
		return Stay, x.r.menu(x)
	}
	id := req.ID
	if err := models.AddHandoffMessage(x.Tx, id, truncate(text, 1000), x.Now); err != nil {
		return "", err
	}
	x.forwardToStaff(id, text)
	label, asked := x.r.interruption(x, true)
	if req.TakenBy != nil {
		if asked && (label == intent.LabelBerhenti || label == intent.LabelHapusData) {
			return Stay, x.r.interrupt(x, label)
		}
		return Stay, nil // a person is answering: the bot says nothing
	}
	if asked && label != intent.LabelPetugas {
		// A question the bot can answer meanwhile ("iurannya berapa?", "hapus data saya"): it
		// is passed on, and answered now too.
		x.say(x.t("handoff.added", "id", id))
		return Stay, x.r.interrupt(x, label)
	}
	x.say(x.t("handoff.added", "id", id), x.choice("common.to_menu", "menu"))
	return Stay, nil
}

// staffLang is the language of what the staff chat reads.
func (x *run) staffLang() string {
	if lang := x.r.Config.StaffLang; locales.Supported(lang) {
		return lang
	}
	return locales.Default
}

// forwardToStaff passes what the worker wrote on request id to the staff chat, when there is
// one, with NIKs and phone numbers masked; staff answer by replying to it.
func (x *run) forwardToStaff(id int64, text string) {
	cfg := x.r.Config
	if cfg.StaffChannel == "" || cfg.StaffChat == "" {
		return
	}
	lang := x.staffLang()
	x.Notice(cfg.StaffChannel, cfg.StaffChat, bot.Reply{Lang: lang,
		Text: locales.Text(lang, "staff.handoff_forward", "id", id, "text", truncate(bot.MaskText(text), 1000))})
}

// noticeStaff tells the staff chat, when there is one, that a request is waiting: its number,
// the channel, the masked chat and the question with NIKs and phone numbers masked, and the
// buttons to take or close it. Staff answer by replying to it or with /balas.
func (x *run) noticeStaff(req models.HandoffRequest) {
	cfg := x.r.Config
	if cfg.StaffChannel == "" || cfg.StaffChat == "" {
		return
	}
	lang := x.staffLang()
	member := ""
	if req.MemberID != nil {
		member = locales.Text(lang, "staff.handoff_notice_member_part", "member", *req.MemberID)
	}
	question := truncate(bot.MaskText(req.Question), 1000)
	if question == "" {
		question = "-"
	}
	id := strconv.FormatInt(req.ID, 10)
	x.Notice(cfg.StaffChannel, cfg.StaffChat, bot.Reply{Lang: lang,
		Text: locales.Text(lang, "staff.handoff_notice_buttons", "id", req.ID, "channel", req.Channel, "chat", bot.MaskID(req.ChatID),
			"member", member, "question", question),
		Choices: []bot.Choice{
			{Label: locales.Text(lang, "staff.handoff_take"), Value: bot.StaffButtonPrefix + "take:" + id},
			{Label: locales.Text(lang, "staff.handoff_close"), Value: bot.StaffButtonPrefix + "close:" + id},
		}})
}

// OfficeHours are the days and hours staff answer requests.
type OfficeHours struct {
	Days        [7]bool       // by time.Weekday
	Open, Close time.Duration // since midnight
}

// DefaultOfficeHours is Monday to Friday, 08.00 to 16.00.
func DefaultOfficeHours() OfficeHours {
	h := OfficeHours{Open: 8 * time.Hour, Close: 16 * time.Hour}
	for d := time.Monday; d <= time.Friday; d++ {
		h.Days[d] = true
	}
	return h
}

// ParseOfficeHours reads days ("mon-fri", "mon,wed,fri", "mon-sat") and times ("08:00").
func ParseOfficeHours(days, open, close string) (OfficeHours, error) {
	var h OfficeHours
	names := map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
		"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}
	for _, part := range strings.Split(strings.ToLower(days), ",") {
		from, to, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, ok1 := names[strings.TrimSpace(from)]
		b, ok2 := a, true
		if isRange {
			b, ok2 = names[strings.TrimSpace(to)]
		}
		if !ok1 || !ok2 {
			return h, fmt.Errorf("days: want e.g. mon-fri or mon,wed,fri, got %q", days)
		}
		for d := a; ; d = (d + 1) % 7 {
			h.Days[d] = true
			if d == b {
				break
			}
		}
	}
	var err error
	if h.Open, err = clockTime(open); err != nil {
		return h, fmt.Errorf("open: %w", err)
	}
	if h.Close, err = clockTime(close); err != nil {
		return h, fmt.Errorf("close: %w", err)
	}
	if h.Close <= h.Open {
		return h, fmt.Errorf("close: must be after open (%s), got %s", open, close)
	}
	return h, nil
}

func clockTime(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("want a time like 08:00, got %q", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Next reports whether now is within office hours, and if not when they next begin.
func (h OfficeHours) Next(now time.Time) (time.Time, bool) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if since := now.Sub(day); h.Days[now.Weekday()] && since >= h.Open && since < h.Close {
		return now, true
	}
	for i := 0; i <= 7; i++ {
		d := day.AddDate(0, 0, i)
		if start := d.Add(h.Open); h.Days[d.Weekday()] && start.After(now) {
			return start, false
		}
	}
	return time.Time{}, false
}

// Text writes the hours for workers: "Senin–Jumat 08.00–16.00".
func (h OfficeHours) Text(lang string) string {
	var spans []string
	for d := 0; d < 7; d++ {
		wd := time.Weekday((d + 1) % 7) // from Monday
		if !h.Days[wd] || (d > 0 && h.Days[(wd+6)%7]) {
			continue
		}
		end := wd
		for h.Days[(end+1)%7] && (end+1)%7 != time.Monday {
			end = (end + 1) % 7
		}
		span := locales.Weekday(lang, wd)
		if end != wd {
			span += "–" + locales.Weekday(lang, end)
		}
		spans = append(spans, span)
	}
	midnight := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	return strings.Join(spans, ", ") + " " + locales.Clock(midnight.Add(h.Open)) + "–" + locales.Clock(midnight.Add(h.Close))
}
