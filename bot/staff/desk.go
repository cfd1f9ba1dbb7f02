package staff

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/locales"
	"bpubot/models"
)

// The service is the StaffDesk of the Telegram channel: staff commands in the staff group or a
// private chat (/siaran, /laporan, /batal_siaran, /balas, /selesai, /ambil, /permintaan),
// replies to a request's messages in the group, and the Ambil / Tutup buttons.
var _ bot.StaffDesk = (*Service)(nil)

// IsStaff implements bot.StaffDesk for Telegram users.
func (s *Service) IsStaff(ctx context.Context, channel, userID string) bool {
	id, err := strconv.ParseInt(userID, 10, 64)
	return err == nil && channel == "telegram" && s.IsStaffTelegram(ctx, id)
}

// InDialog implements bot.StaffDesk.
func (s *Service) InDialog(ctx context.Context, channel, userID string) bool {
	id, err := strconv.ParseInt(userID, 10, 64)
	if err != nil || channel != "telegram" {
		return false
	}
	d, err := models.GetStaffDialog(s.db(ctx), id)
	return err == nil && s.now().Sub(d.UpdatedAt) < dialogTTL
}

// dialogTTL is how long a guided command waits for its next answer.
const dialogTTL = time.Hour

// HandleStaff implements bot.StaffDesk. Anyone not on the staff is told the commands are for
// staff only, and the attempt is audited; a staff member's mistakes get the reason and how to
// do it. Answers go to in.ChatID through the outbox.
func (s *Service) HandleStaff(ctx context.Context, in bot.StaffInput) (string, error) {
	lang := s.staffLang()
	uid, _ := strconv.ParseInt(in.UserID, 10, 64)
	a, err := s.ActorByTelegram(ctx, uid)
	if err != nil {
		what := in.Button
		if name, _, ok := bot.StaffCommand(in.Text); ok {
			what = "/" + name
		} else if what == "" {
			what = "reply"
		}
		s.AuditRefusal(ctx, in.Channel, in.UserID, what)
		text := locales.Text(lang, "staff.not_staff")
		if in.Button != "" {
			return text, nil
		}
		return "", s.say(ctx, in, text)
	}
	d := desk{s: s, a: a, in: in, lang: lang, uid: uid}
	alert, err := d.handle(ctx)
	if err != nil && Known(err) {
		text := ErrorText(lang, err)
		if in.Button != "" {
			return text, nil
		}
		return "", s.say(ctx, in, text)
	}
	return alert, err
}

// say queues a message to the input's chat.
func (s *Service) say(ctx context.Context, in bot.StaffInput, text string, choices ...bot.Choice) error {
	return s.inTx(ctx, func(tx *txn) error {
		return s.enqueue(tx, in.Channel, in.ChatID, bot.Reply{Text: text, Choices: choices, Lang: s.staffLang()})
	})
}

// desk is one staff input being handled.
type desk struct {
	s    *Service
	a    Actor
	in   bot.StaffInput
	lang string
	uid  int64
}

func (d *desk) t(key string, args ...any) string { return locales.Text(d.lang, key, args...) }

func (d *desk) say(ctx context.Context, text string, choices ...bot.Choice) error {
	return d.s.say(ctx, d.in, text, choices...)
}

// requestNumber finds a request's number in the text of the bot's message replied to.
var requestNumber = regexp.MustCompile(`#(\d+)`)

func (d *desk) handle(ctx context.Context) (string, error) {
	in := d.in
	if in.Button != "" {
		return d.button(ctx, strings.TrimPrefix(in.Button, bot.StaffButtonPrefix))
	}
	name, rest, isCmd := bot.StaffCommand(in.Text)
	if !isCmd {
		if cmd := strings.ToLower(strings.TrimSpace(in.Text)); !in.Group && (cmd == "/batal" || cmd == "batal") {
			_ = models.DeleteStaffDialog(d.s.db(ctx), d.uid)
			return "", d.say(ctx, d.t("staff.dialog_cancelled"))
		}
		if in.ReplyTo != "" {
			if m := requestNumber.FindStringSubmatch(in.ReplyTo); m != nil {
				id, _ := strconv.ParseInt(m[1], 10, 64)
				return "", d.reply(ctx, id, in.Text)
			}
			if !in.Group {
				return "", d.dialog(ctx)
			}
			return "", d.say(ctx, d.t("staff.handoff_reply_to_what"))
		}
		if !in.Group {
			return "", d.dialog(ctx)
		}
		return "", nil // chatter in the group is not for the bot
	}
	switch name {
	case "balas":
		idText, text, _ := strings.Cut(rest, " ")
		id, ok := parseID(idText)
		if !ok || strings.TrimSpace(text) == "" {
			return "", d.say(ctx, d.t("staff.handoff_usage_reply"))
		}
		return "", d.reply(ctx, id, text)
	case "selesai", "ambil", "laporan", "batal_siaran":
		id, ok := parseID(rest)
		if !ok {
			return "", d.say(ctx, d.t("staff.handoff_usage_id", "command", name))
		}
		switch name {
		case "selesai":
			return "", d.s.CloseHandoff(ctx, d.a, id)
		case "ambil":
			return "", d.s.TakeHandoff(ctx, d.a, id)
		case "laporan":
			r, err := d.s.BroadcastReport(ctx, d.a, id)
			if err != nil {
				return "", err
			}
			return "", d.say(ctx, ReportText(d.lang, r))
		default:
			r, err := d.s.CancelBroadcast(ctx, d.a, id)
			if err != nil {
				return "", err
			}
			return "", d.say(ctx, d.t("broadcast.cancelled", "id", id)+"\n"+ReportText(d.lang, r))
		}
	case "permintaan":
		hs, err := d.s.Handoffs(ctx, d.a, "", 20)
		if err != nil {
			return "", err
		}
		if len(hs) == 0 {
			return "", d.say(ctx, d.t("staff.handoffs_none"))
		}
		lines := make([]string, len(hs))
		for i, h := range hs {
			lines[i] = HandoffText(d.lang, h, d.s.loc())
		}
		return "", d.say(ctx, strings.Join(lines, "\n\n"))
	case "siaran":
		if in.Group {
			// A draft is written in a private chat: the group need not read every step.
			return "", d.say(ctx, d.t("staff.siaran_private"))
		}
		if err := d.s.allow(ctx, d.a, OpBroadcast); err != nil {
			return "", err
		}
		if err := d.save(ctx, dialogText, dialogData{}); err != nil {
			return "", err
		}
		return "", d.say(ctx, d.t("staff.siaran_ask_text"))
	default:
		return "", d.say(ctx, d.t("staff.commands_help"))
	}
}

// reply relays text to request id and says so.
func (d *desk) reply(ctx context.Context, id int64, text string) error {
	if err := d.s.ReplyHandoff(ctx, d.a, id, text); err != nil {
		return err
	}
	return d.say(ctx, d.t("staff.handoff_replied", "id", id))
}

// button handles a pressed staff button: take:ID, close:ID under a request's notice; seg:...,
// send:ID, drop:ID in the /siaran dialog.
func (d *desk) button(ctx context.Context, value string) (string, error) {
	verb, arg, _ := strings.Cut(value, ":")
	switch verb {
	case "take", "close":
		id, ok := parseID(arg)
		if !ok {
			return "", ErrNotFound
		}
		var err error
		if verb == "take" {
			err = d.s.TakeHandoff(ctx, d.a, id)
		} else {
			err = d.s.CloseHandoff(ctx, d.a, id)
		}
		if err != nil {
			return "", err
		}
		return d.t("staff.done_alert"), nil
	case "seg":
		return "", d.segment(ctx, arg)
	case "send", "drop":
		id, ok := parseID(arg)
		if !ok {
			return "", ErrNotFound
		}
		_ = models.DeleteStaffDialog(d.s.db(ctx), d.uid)
		if verb == "drop" {
			if _, err := d.s.CancelBroadcast(ctx, d.a, id); err != nil {
				return "", err
			}
			return "", d.say(ctx, d.t("broadcast.not_sent"))
		}
		b, err := d.s.ConfirmBroadcast(ctx, d.a, id, nil)
		if err != nil {
			return "", err
		}
		return "", d.say(ctx, d.t("staff.siaran_sending", "id", b.ID))
	}
	return "", ErrNotFound
}

// The /siaran dialog: the text, then the segment, then the preview with Kirim / Batal.
const (
	dialogText    = "text"
	dialogSegment = "segment"
	dialogConfirm = "confirm"
)

type dialogData struct {
	Text string `json:"text"`
	ID   int64  `json:"id,omitempty"`
}

func (d *desk) save(ctx context.Context, state string, data dialogData) error {
	return models.SaveStaffDialog(d.s.db(ctx), models.StaffDialog{TelegramUserID: d.uid, ChatID: d.in.ChatID, State: state,
		Data: models.EncodeJSON(data), UpdatedAt: d.s.now()})
}

// dialog reads a private message as the next answer of the staff member's guided command.
func (d *desk) dialog(ctx context.Context) error {
	dl, err := models.GetStaffDialog(d.s.db(ctx), d.uid)
	if models.IsNotFound(err) || (err == nil && d.s.now().Sub(dl.UpdatedAt) >= dialogTTL) {
		return d.say(ctx, d.t("staff.commands_help"))
	}
	if err != nil {
		return err
	}
	var data dialogData
	_ = models.DecodeJSON(dl.Data, &data)
	text := strings.TrimSpace(d.in.Text)
	switch dl.State {
	case dialogText:
		if text == "" {
			return d.say(ctx, d.t("staff.siaran_ask_text"))
		}
		data.Text = text
		if err := d.save(ctx, dialogSegment, data); err != nil {
			return err
		}
		return d.say(ctx, d.t("staff.siaran_ask_segment"), d.segmentChoices()...)
	case dialogSegment:
		return d.segment(ctx, text)
	case dialogConfirm:
		return d.say(ctx, d.t("staff.siaran_press"))
	}
	return d.say(ctx, d.t("staff.commands_help"))
}

func (d *desk) segmentChoices() []bot.Choice {
	var out []bot.Choice
	for _, k := range []string{"all", "telegram", "whatsapp", "unfinished", "arrears"} {
		out = append(out, bot.Choice{Label: d.t("staff.seg_choice." + k), Value: bot.StaffButtonPrefix + "seg:" + k})
	}
	return out
}

// segment takes the segment (a button's name or typed filters), writes the draft and shows its
// preview with Kirim / Batal.
func (d *desk) segment(ctx context.Context, choice string) error {
	dl, err := models.GetStaffDialog(d.s.db(ctx), d.uid)
	if err != nil || dl.State != dialogSegment {
		return d.say(ctx, d.t("staff.commands_help"))
	}
	var data dialogData
	_ = models.DecodeJSON(dl.Data, &data)
	var draft Draft
	switch choice {
	case "all":
	case "telegram", "whatsapp":
		draft.Segment.Channels = []string{choice}
	case "unfinished":
		draft.Segment.Unfinished = true
	case "arrears":
		draft.Segment.Coverage = []string{"arrears"}
	default:
		if draft, err = ParseFilters(choice); err != nil {
			return d.say(ctx, ErrorText(d.lang, err)+"\n\n"+d.t("staff.siaran_ask_segment"), d.segmentChoices()...)
		}
	}
	draft.TextID = data.Text
	b, err := d.s.CreateBroadcast(ctx, d.a, draft)
	if err != nil {
		return err
	}
	p, err := d.s.PreviewBroadcast(ctx, d.a, b.ID)
	if err != nil {
		return err
	}
	data.ID = b.ID
	if err := d.save(ctx, dialogConfirm, data); err != nil {
		return err
	}
	id := strconv.FormatInt(b.ID, 10)
	return d.say(ctx, PreviewText(d.lang, p, d.s.loc()),
		bot.Choice{Label: d.t("staff.siaran_send", "n", p.Recipients), Value: bot.StaffButtonPrefix + "send:" + id},
		bot.Choice{Label: d.t("staff.siaran_drop"), Value: bot.StaffButtonPrefix + "drop:" + id})
}

// ParseFilters reads filters staff type: "provinsi 33; pekerjaan ojol, pedagang; tombol daftar".
// Names in Indonesian or English: kanal/channel, mitra/partner, pekerjaan/occupation,
// provinsi/province, kabupaten/kota/regency, bahasa/lang, status/coverage,
// belum_selesai/unfinished, tombol/button.
func ParseFilters(text string) (Draft, error) {
	var d Draft
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' }) {
		key, val, _ := strings.Cut(strings.TrimSpace(part), " ")
		var values []string
		for _, v := range strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' }) {
			values = append(values, strings.ToLower(strings.TrimSpace(v)))
		}
		seg := &d.Segment
		switch strings.ToLower(key) {
		case "kanal", "channel":
			seg.Channels = append(seg.Channels, values...)
		case "mitra", "partner":
			seg.Partners = append(seg.Partners, values...)
		case "pekerjaan", "occupation":
			seg.Occupations = append(seg.Occupations, values...)
		case "provinsi", "province":
			seg.Provinces = append(seg.Provinces, values...)
		case "kabupaten", "kota", "kab", "regency":
			seg.Regencies = append(seg.Regencies, values...)
		case "bahasa", "lang":
			seg.Langs = append(seg.Langs, values...)
		case "status", "coverage":
			seg.Coverage = append(seg.Coverage, values...)
		case "belum_selesai", "unfinished":
			seg.Unfinished = true
		case "tombol", "button":
			d.Buttons = append(d.Buttons, values...)
		default:
			return d, invalid("broadcast.bad_segment", "problem", strings.TrimSpace(part))
		}
		if len(values) == 0 && !seg.Unfinished {
			return d, invalid("broadcast.bad_segment", "problem", strings.TrimSpace(part))
		}
	}
	return d, nil
}
