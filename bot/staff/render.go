package staff

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"bpubot/locales"
	"bpubot/models"
)

// What staff read about broadcasts and requests, the same on the command line and in Telegram.

// PreviewText is a preview for staff: recipients by channel, who is left out and why, how long
// the WhatsApp part takes, and each version of the message exactly as workers get it.
func PreviewText(lang string, p *Preview, loc *time.Location) string {
	var b strings.Builder
	b.WriteString(locales.Text(lang, "broadcast.preview_head", "id", p.Broadcast.ID, "status", statusText(lang, p.Broadcast.Status)))
	b.WriteString("\n")
	b.WriteString(locales.Text(lang, "broadcast.preview_segment", "segment", SegmentText(lang, p.Broadcast.Draft.Segment, loc)))
	b.WriteString("\n")
	b.WriteString(locales.Text(lang, "broadcast.preview_total", "n", p.Recipients))
	for _, c := range p.Counts {
		if c.Recipients > 0 {
			b.WriteString("\n")
			b.WriteString(locales.Text(lang, "broadcast.preview_channel", "channel", c.Channel, "n", c.Recipients))
		}
	}
	b.WriteString("\n")
	b.WriteString(locales.Text(lang, "broadcast.preview_left_out", "opted_out", p.OptedOut, "unreachable", p.Unreachable))
	if p.WhatsAppTime > 0 {
		b.WriteString("\n")
		b.WriteString(locales.Text(lang, "broadcast.preview_whatsapp_time", "time", DurationText(lang, p.WhatsAppTime)))
	}
	for _, m := range p.Messages {
		if m.Lang == "en" && p.Broadcast.Draft.TextEN == "" {
			continue
		}
		key := "broadcast.preview_message"
		if m.Plain {
			key = "broadcast.preview_message_plain"
		}
		b.WriteString("\n\n")
		b.WriteString(locales.Text(lang, key, "lang", m.Lang))
		b.WriteString("\n")
		b.WriteString(m.Text)
		if len(m.Buttons) > 0 {
			b.WriteString("\n[" + strings.Join(m.Buttons, "] [") + "]")
		}
	}
	return b.String()
}

// ReportText is a broadcast's delivery report for staff.
func ReportText(lang string, r *Report) string {
	var b strings.Builder
	b.WriteString(locales.Text(lang, "broadcast.report_head", "id", r.Broadcast.ID, "status", statusText(lang, r.Broadcast.Status)))
	b.WriteString("\n")
	b.WriteString(locales.Text(lang, "broadcast.report_counts", "queued", r.Queued, "sent", r.Sent, "pending", r.Pending, "failed", r.Failed))
	reasons := make([]string, 0, len(r.FailedReasons))
	for reason := range r.FailedReasons {
		reasons = append(reasons, reason)
	}
	sort.Strings(reasons)
	for _, reason := range reasons {
		b.WriteString("\n")
		b.WriteString(locales.Text(lang, "broadcast.report_failed_reason", "reason", reason, "n", r.FailedReasons[reason]))
	}
	b.WriteString("\n")
	b.WriteString(locales.Text(lang, "broadcast.report_skipped", "opted_out", r.SkippedOptedOut, "unreachable", r.SkippedUnreachable,
		"cancelled", r.SkippedCancelled))
	b.WriteString("\n")
	b.WriteString(locales.Text(lang, "broadcast.report_replies", "n", r.Replies))
	return b.String()
}

// BroadcastLine is one broadcast in a list.
func BroadcastLine(lang string, bc Broadcast, loc *time.Location) string {
	when := bc.CreatedAt
	if bc.ScheduledAt != nil {
		when = *bc.ScheduledAt
	}
	return fmt.Sprintf("#%d\t%s\t%s %s\t%d\t%s\t%s", bc.ID, statusText(lang, bc.Status), locales.Date(lang, when.In(loc)),
		locales.Clock(when.In(loc)), bc.Queued, bc.CreatedByName, oneLine(bc.TextID, 60))
}

func statusText(lang, status string) string {
	return locales.Text(lang, "broadcast.status."+status)
}

// SegmentText describes a segment in words: "semua pekerja" or its filters.
func SegmentText(lang string, s models.Segment, loc *time.Location) string {
	var parts []string
	add := func(key string, values []string) {
		if len(values) > 0 {
			parts = append(parts, locales.Text(lang, key, "values", strings.Join(values, ", ")))
		}
	}
	add("broadcast.seg_channels", s.Channels)
	add("broadcast.seg_partners", s.Partners)
	add("broadcast.seg_occupations", s.Occupations)
	add("broadcast.seg_provinces", s.Provinces)
	add("broadcast.seg_regencies", s.Regencies)
	add("broadcast.seg_langs", s.Langs)
	add("broadcast.seg_coverage", s.Coverage)
	if s.SignedUpFrom != nil || s.SignedUpTo != nil {
		from, to := "…", "…"
		if s.SignedUpFrom != nil {
			from = locales.Date(lang, s.SignedUpFrom.In(loc))
		}
		if s.SignedUpTo != nil {
			to = locales.Date(lang, s.SignedUpTo.In(loc))
		}
		parts = append(parts, locales.Text(lang, "broadcast.seg_signed_up", "from", from, "to", to))
	}
	if s.Unfinished {
		parts = append(parts, locales.Text(lang, "broadcast.seg_unfinished"))
	}
	if s.PartnerID != nil {
		parts = append(parts, locales.Text(lang, "broadcast.seg_own_partner"))
	}
	if len(parts) == 0 {
		return locales.Text(lang, "broadcast.seg_everyone")
	}
	return strings.Join(parts, "; ")
}

// DurationText writes a duration as hours and minutes ("3 jam 20 menit"), rounded up to the
// minute.
func DurationText(lang string, d time.Duration) string {
	mins := int((d + time.Minute - 1) / time.Minute)
	h, m := mins/60, mins%60
	switch {
	case h == 0:
		return locales.Text(lang, "broadcast.minutes", "m", m)
	case m == 0:
		return locales.Text(lang, "broadcast.hours", "h", h)
	}
	return locales.Text(lang, "broadcast.hours_minutes", "h", h, "m", m)
}

// HandoffText is one request for staff: its number, channel, masked chat, when, the question
// and what the worker added, masked.
func HandoffText(lang string, h Handoff, loc *time.Location) string {
	var b strings.Builder
	when := h.CreatedAt.In(loc)
	b.WriteString(locales.Text(lang, "staff.handoff_line", "id", h.ID, "channel", h.Channel, "chat", h.Chat,
		"when", locales.Date(lang, when)+" "+locales.Clock(when), "question", h.Question))
	if h.TakenBy != nil {
		b.WriteString(" " + locales.Text(lang, "staff.handoff_is_taken"))
	}
	for _, m := range h.Messages {
		at := m.CreatedAt.In(loc)
		b.WriteString("\n  + " + locales.Clock(at) + " " + m.Text)
	}
	return b.String()
}
