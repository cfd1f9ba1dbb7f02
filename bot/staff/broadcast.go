package staff

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bpubot/bot"
	"bpubot/locales"
	"bpubot/models"
)

// Buttons a broadcast may carry: each opens that part of the menu when pressed (Telegram), or is
// a word to type (WhatsApp). The value is a menu value (flows' menuValues).
var Buttons = map[string]string{
	"daftar": "broadcast.button_daftar",
	"bayar":  "broadcast.button_bayar",
}

// MenuButtonPrefix marks a button value that opens part of the menu whatever the conversation
// last offered: the engine reads "menu:daftar" as the command /daftar.
const MenuButtonPrefix = bot.MenuButtonPrefix

// MaxBroadcastText is the longest announcement text, in characters: with the stop line and the
// buttons' words it stays within one Telegram message (4,096).
const MaxBroadcastText = 3500

// Draft is a broadcast as staff write it.
type Draft struct {
	TextID  string         `json:"text_id"`
	TextEN  string         `json:"text_en,omitempty"`
	Buttons []string       `json:"buttons,omitempty"`
	Segment models.Segment `json:"segment"`
}

// Broadcast is a broadcast as staff see it.
type Broadcast struct {
	models.Broadcast
	Draft Draft `json:"draft"`
}

// CreateBroadcast stores a draft. Partner staff's drafts reach only their partner's workers.
func (s *Service) CreateBroadcast(ctx context.Context, a Actor, d Draft) (*Broadcast, error) {
	if err := s.allow(ctx, a, OpBroadcast); err != nil {
		return nil, err
	}
	d, err := s.checkDraft(d)
	if err != nil {
		return nil, err
	}
	d.Segment = s.scoped(a, d.Segment)
	now := s.now()
	b := &models.Broadcast{Status: models.BroadcastDraft, TextID: d.TextID, TextEN: d.TextEN,
		Buttons: models.EncodeJSON(d.Buttons), Segment: models.EncodeJSON(d.Segment), PartnerID: d.Segment.PartnerID,
		CreatedBy: a.staffID(), CreatedByName: a.Name, Report: "{}", CreatedAt: now, UpdatedAt: now}
	if err := models.CreateBroadcast(s.db(ctx), b); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "broadcast.create", target("broadcast", b.ID), 0, "")
	return &Broadcast{Broadcast: *b, Draft: d}, nil
}

// UpdateBroadcast replaces a draft's text, buttons and segment; it must be previewed again.
func (s *Service) UpdateBroadcast(ctx context.Context, a Actor, id int64, d Draft) (*Broadcast, error) {
	if _, err := s.broadcast(ctx, a, id); err != nil {
		return nil, err
	}
	d, err := s.checkDraft(d)
	if err != nil {
		return nil, err
	}
	d.Segment = s.scoped(a, d.Segment)
	err = models.UpdateBroadcastIf(s.db(ctx), id, []string{models.BroadcastDraft}, map[string]any{
		"text_id": d.TextID, "text_en": d.TextEN, "buttons": models.EncodeJSON(d.Buttons),
		"segment": models.EncodeJSON(d.Segment), "previewed_at": nil, "updated_at": s.now()})
	if err != nil {
		return nil, stateErr(err)
	}
	s.audit(ctx, a, "broadcast.update", target("broadcast", id), 0, "")
	return s.broadcast(ctx, a, id)
}

func (s *Service) checkDraft(d Draft) (Draft, error) {
	d.TextID, d.TextEN = strings.TrimSpace(d.TextID), strings.TrimSpace(d.TextEN)
	switch {
	case d.TextID == "":
		return d, invalid("broadcast.text_required")
	case utf8.RuneCountInString(d.TextID) > MaxBroadcastText || utf8.RuneCountInString(d.TextEN) > MaxBroadcastText:
		return d, invalid("broadcast.text_too_long", "n", MaxBroadcastText)
	}
	seen := map[string]bool{}
	var buttons []string
	for _, b := range d.Buttons {
		b = strings.ToLower(strings.TrimSpace(b))
		if _, ok := Buttons[b]; !ok {
			return d, invalid("broadcast.bad_button", "button", b)
		}
		if !seen[b] {
			seen[b] = true
			buttons = append(buttons, b)
		}
	}
	d.Buttons = buttons
	seg := d.Segment
	for _, l := range seg.Langs {
		if !locales.Supported(l) {
			return d, invalid("broadcast.bad_lang", "lang", l)
		}
	}
	for _, c := range seg.Coverage {
		if !slices.Contains(CoverageStates, c) {
			return d, invalid("broadcast.bad_coverage", "state", c)
		}
	}
	if seg.SignedUpFrom != nil && seg.SignedUpTo != nil && seg.SignedUpTo.Before(*seg.SignedUpFrom) {
		return d, invalid("broadcast.bad_dates")
	}
	return d, nil
}

// broadcast loads a broadcast the actor may see: partner staff only their partner's.
func (s *Service) broadcast(ctx context.Context, a Actor, id int64) (*Broadcast, error) {
	if err := s.allow(ctx, a, OpBroadcast); err != nil {
		return nil, err
	}
	b, err := models.FindBroadcast(s.db(ctx), id)
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.inScope(ctx, a, b.PartnerID, target("broadcast", id)); err != nil {
		return nil, err
	}
	return decodeBroadcast(b), nil
}

func decodeBroadcast(b *models.Broadcast) *Broadcast {
	out := &Broadcast{Broadcast: *b, Draft: Draft{TextID: b.TextID, TextEN: b.TextEN}}
	_ = models.DecodeJSON(b.Buttons, &out.Draft.Buttons)
	_ = models.DecodeJSON(b.Segment, &out.Draft.Segment)
	return out
}

// GetBroadcast loads one broadcast.
func (s *Service) GetBroadcast(ctx context.Context, a Actor, id int64) (*Broadcast, error) {
	return s.broadcast(ctx, a, id)
}

// ListBroadcasts lists broadcasts, newest first: partner staff see their partner's only.
func (s *Service) ListBroadcasts(ctx context.Context, a Actor, limit int) ([]Broadcast, error) {
	if err := s.allow(ctx, a, OpBroadcast); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	var partner *int64
	if a.Role == models.RolePartner {
		partner = s.scoped(a, models.Segment{}).PartnerID
	}
	bs, err := models.Broadcasts(s.db(ctx), partner, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Broadcast, len(bs))
	for i := range bs {
		out[i] = *decodeBroadcast(&bs[i])
	}
	return out, nil
}

// Message is one version of a broadcast's message: what a chat of that language on that kind
// of channel reads.
type Message struct {
	Lang    string   `json:"lang"`
	Plain   bool     `json:"plain"` // for channels without buttons (WhatsApp): the buttons are words to type
	Text    string   `json:"text"`
	Buttons []string `json:"buttons,omitempty"`
}

// Preview is what a broadcast will send and to how many.
type Preview struct {
	Broadcast   Broadcast             `json:"broadcast"`
	Messages    []Message             `json:"messages"`
	Counts      []models.SegmentCount `json:"counts"` // by channel
	Recipients  int64                 `json:"recipients"`
	OptedOut    int64                 `json:"opted_out"`
	Unreachable int64                 `json:"unreachable"`
	// WhatsAppTime is how long the WhatsApp part takes at the channel's bulk pace.
	WhatsAppTime time.Duration `json:"whatsapp_time"`
}

// PreviewBroadcast counts a draft's recipients by channel and shows its exact messages; a
// draft must be previewed before it can be confirmed (and again after a change).
func (s *Service) PreviewBroadcast(ctx context.Context, a Actor, id int64) (*Preview, error) {
	b, err := s.broadcast(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p, err := s.preview(ctx, b)
	if err != nil {
		return nil, err
	}
	if b.Status == models.BroadcastDraft {
		now := s.now()
		if err := models.UpdateBroadcastIf(s.db(ctx), id, []string{models.BroadcastDraft}, map[string]any{"previewed_at": now}); err != nil {
			return nil, stateErr(err)
		}
		p.Broadcast.PreviewedAt = &now
	}
	s.audit(ctx, a, "broadcast.preview", target("broadcast", id), p.Recipients, "")
	return p, nil
}

// CountSegment counts a segment's recipients by channel without a draft (the console's
// segment builder).
func (s *Service) CountSegment(ctx context.Context, a Actor, seg models.Segment) ([]models.SegmentCount, error) {
	if err := s.allow(ctx, a, OpBroadcast); err != nil {
		return nil, err
	}
	seg, err := s.resolve(ctx, s.scoped(a, seg))
	if err != nil {
		return nil, err
	}
	return models.CountSegment(s.db(ctx), seg, s.loc())
}

func (s *Service) preview(ctx context.Context, b *Broadcast) (*Preview, error) {
	seg, err := s.resolve(ctx, b.Draft.Segment)
	if err != nil {
		return nil, err
	}
	counts, err := models.CountSegment(s.db(ctx), seg, s.loc())
	if err != nil {
		return nil, err
	}
	p := &Preview{Broadcast: *b, Counts: counts}
	for _, c := range counts {
		p.Recipients += c.Recipients
		p.OptedOut += c.OptedOut
		p.Unreachable += c.Unreachable
		if slices.Contains(s.Config.PlainChannels, c.Channel) && c.Channel == whatsappChannel {
			p.WhatsAppTime = s.whatsAppTime(c.Recipients)
		}
	}
	// The versions someone gets: with buttons, and as plain text for the channels without
	// them (both while nobody is counted yet).
	var withButtons, plainText bool
	for _, c := range counts {
		if c.Recipients == 0 {
			continue
		}
		if slices.Contains(s.Config.PlainChannels, c.Channel) {
			plainText = true
		} else {
			withButtons = true
		}
	}
	if !withButtons && !plainText {
		withButtons, plainText = true, true
	}
	for _, lang := range []string{"id", "en"} {
		for _, plain := range []bool{false, true} {
			if plain && !plainText || !plain && !withButtons {
				continue
			}
			r := s.message(b.Draft, lang, plain)
			m := Message{Lang: lang, Plain: plain, Text: r.Text}
			for _, c := range r.Choices {
				m.Buttons = append(m.Buttons, c.Label)
			}
			p.Messages = append(p.Messages, m)
		}
	}
	return p, nil
}

// whatsappChannel is the WhatsApp channel's name, whose pace the preview estimates.
const whatsappChannel = "whatsapp"

// whatsAppTime is how long n bulk messages take at the WhatsApp pace: one every 60/per-minute
// seconds, plus half the jitter on average.
func (s *Service) whatsAppTime(n int64) time.Duration {
	per := s.Config.WhatsAppBulkPerMinute
	if per <= 0 || n == 0 {
		return 0
	}
	gap := time.Duration(float64(time.Minute)/per) + s.Config.WhatsAppBulkJitter/2
	return time.Duration(math.Max(0, float64(n-1))) * gap
}

// message is the reply a chat of lang gets; plain for channels without buttons. Every
// announcement ends with the line on how to stop them.
func (s *Service) message(d Draft, lang string, plain bool) bot.Reply {
	text := d.TextID
	if lang == "en" && d.TextEN != "" {
		text = d.TextEN
	}
	r := bot.Reply{Lang: lang}
	var words []string
	for _, b := range d.Buttons {
		label := locales.Text(lang, Buttons[b])
		if plain {
			words = append(words, locales.Text(lang, Buttons[b]+"_word"))
		} else {
			r.Choices = append(r.Choices, bot.Choice{Label: label, Value: MenuButtonPrefix + b})
		}
	}
	parts := []string{text}
	if len(words) > 0 {
		parts = append(parts, locales.Text(lang, "broadcast.type_words", "words", strings.Join(words, ", ")))
	}
	parts = append(parts, locales.Text(lang, "broadcast.stop_line"))
	r.Text = strings.Join(parts, "\n\n")
	return r
}

// ConfirmBroadcast sends a previewed draft now, or schedules it for at (nil: now). The fan-out
// runs in `bpubot serve` (RunDue).
func (s *Service) ConfirmBroadcast(ctx context.Context, a Actor, id int64, at *time.Time) (*Broadcast, error) {
	b, err := s.broadcast(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if b.Status != models.BroadcastDraft {
		return nil, ErrState
	}
	if b.PreviewedAt == nil || b.PreviewedAt.Before(b.UpdatedAt) && !b.PreviewedAt.Equal(b.UpdatedAt) {
		return nil, invalid("broadcast.preview_first")
	}
	now := s.now()
	cols := map[string]any{"confirmed_at": now, "confirmed_by_name": a.Name, "updated_at": now}
	var runAt time.Time
	if at != nil && at.After(now) {
		cols["status"], cols["scheduled_at"] = models.BroadcastScheduled, *at
		runAt = *at
	} else {
		cols["status"], cols["started_at"], cols["scheduled_at"] = models.BroadcastSending, now, now
	}
	err = s.db(ctx).Transaction(func(tx *models.Tx) error {
		if err := models.UpdateBroadcastIf(tx, id, []string{models.BroadcastDraft}, cols); err != nil {
			return err
		}
		if s.Jobs == nil {
			return nil
		}
		return s.Jobs.EnqueueFanOut(ctx, tx, id, runAt)
	})
	if err != nil {
		return nil, stateErr(err)
	}
	var n int64
	seg, err := s.resolve(ctx, b.Draft.Segment)
	var counts []models.SegmentCount
	if err == nil {
		counts, err = models.CountSegment(s.db(ctx), seg, s.loc())
	}
	for _, c := range counts {
		n += c.Recipients
	}
	if err != nil {
		s.log().Warn("counting a confirmed broadcast's recipients failed", "broadcast", id, "err", err)
	}
	s.audit(ctx, a, "broadcast.confirm", target("broadcast", id), n, "status="+cols["status"].(string))
	return s.broadcast(ctx, a, id)
}

// CancelBroadcast stops a broadcast: a draft or scheduled one never goes; one sending stops
// adding recipients, and messages not yet taken by a sender are dropped. Messages being sent
// at that moment (the in-flight window: at most dispatcher.batch_size × 4 per process) still go.
func (s *Service) CancelBroadcast(ctx context.Context, a Actor, id int64) (*Report, error) {
	if _, err := s.broadcast(ctx, a, id); err != nil {
		return nil, err
	}
	now := s.now()
	err := models.UpdateBroadcastIf(s.db(ctx), id, []string{models.BroadcastDraft, models.BroadcastScheduled, models.BroadcastSending},
		map[string]any{"status": models.BroadcastCancelled, "cancelled_at": now, "finished_at": now, "updated_at": now})
	if err != nil {
		return nil, stateErr(err)
	}
	dropped, err := models.CancelBroadcastRows(s.db(ctx), id)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "broadcast.cancel", target("broadcast", id), dropped, "")
	return s.BroadcastReport(ctx, a, id)
}

// Report is a broadcast's delivery report.
type Report struct {
	Broadcast Broadcast `json:"broadcast"`
	Queued    int64     `json:"queued"`  // messages put in the outbox
	Pending   int64     `json:"pending"` // not sent yet
	Sent      int64     `json:"sent"`
	Failed    int64     `json:"failed"`
	// FailedReasons counts failures by the platform's reason.
	FailedReasons map[string]int64 `json:"failed_reasons,omitempty"`
	// Skipped: left out at fan-out (opted out, unreachable) or dropped while sending (the
	// platform refused the chat; cancelled).
	SkippedOptedOut    int64 `json:"skipped_opted_out"`
	SkippedUnreachable int64 `json:"skipped_unreachable"`
	SkippedCancelled   int64 `json:"skipped_cancelled"`
	// Replies: recipients who wrote to the bot after their message arrived.
	Replies int64 `json:"replies"`
}

// BroadcastReport counts a broadcast's deliveries. Counts come from the outbox while its rows
// are kept (dispatcher.retention) and from the last report stored after that.
func (s *Service) BroadcastReport(ctx context.Context, a Actor, id int64) (*Report, error) {
	b, err := s.broadcast(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.auditedReport(ctx, a, b)
}

// auditedReport is b's report, its reading audited.
func (s *Service) auditedReport(ctx context.Context, a Actor, b *Broadcast) (*Report, error) {
	r, err := s.report(ctx, b)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "broadcast.report", target("broadcast", b.ID), 0, "")
	return r, nil
}

func (s *Service) report(ctx context.Context, b *Broadcast) (*Report, error) {
	rows, err := models.BroadcastDelivery(s.db(ctx), b.ID)
	if err != nil {
		return nil, err
	}
	r := &Report{Broadcast: *b, Queued: b.Queued, SkippedOptedOut: b.SkippedOptedOut, SkippedUnreachable: b.SkippedUnreachable}
	if len(rows) == 0 && b.Report != "" && b.Report != "{}" {
		var stored Report
		if models.DecodeJSON(b.Report, &stored) == nil {
			stored.Broadcast = *b
			return &stored, nil
		}
	}
	for _, c := range rows {
		switch c.Status {
		case models.OutboxPending, models.OutboxSending:
			r.Pending += c.N
		case models.OutboxSent:
			r.Sent += c.N
		case models.OutboxFailed:
			r.Failed += c.N
			if r.FailedReasons == nil {
				r.FailedReasons = map[string]int64{}
			}
			r.FailedReasons[failureReason(c.Reason)] += c.N
		case models.OutboxSkipped:
			if c.Reason == cancelledReason {
				r.SkippedCancelled += c.N
			} else {
				r.SkippedUnreachable += c.N
			}
		}
	}
	if r.Replies, err = models.BroadcastReplies(s.db(ctx), b.ID); err != nil {
		return nil, err
	}
	// Kept for when the outbox rows are pruned: once the broadcast no longer sends (finishing
	// stores it; a page refreshing while it sends writes nothing), and only when it changed.
	if len(rows) > 0 && b.Status != models.BroadcastSending {
		stored := *r
		stored.Broadcast = Broadcast{}
		if enc := models.EncodeJSON(stored); enc != b.Report {
			_ = models.SetBroadcastReport(s.db(ctx), b.ID, enc)
		}
	}
	return r, nil
}

const cancelledReason = "broadcast cancelled"

// failureReason shortens a send error to what staff can act on: the platform's description
// without our own wrapping.
func failureReason(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		s = s[i+2:]
	}
	return oneLine(s, 120)
}

func stateErr(err error) error {
	if errors.Is(err, models.ErrBroadcastState) {
		return ErrState
	}
	return err
}
