package flows

import (
	"fmt"
	"strings"

	"bpubot/bot"
	"bpubot/locales"
	"bpubot/models"
)

// ---- stop / start messages (berhenti, mulai) -------------------------------------------------

func (r *Router) stop(x *run, start bool) error {
	if start {
		x.Conv.Flow, x.Conv.State = flowStop, "confirm"
	}
	x.say(x.t("privacy.stop_confirm"), x.choice("privacy.stop_yes", "ya_berhenti"), x.choice("common.cancel", "tidak"))
	return nil
}

func (r *Router) stopAnswer(x *run) error {
	switch low := strings.ToLower(x.In.Input()); {
	case low == "ya_berhenti" || isYes(low) || low == "berhenti" || low == "stop":
		if err := r.setOptOut(x, true); err != nil {
			return err
		}
		x.say(x.t("privacy.stopped"))
		return r.done(x, false)
	case low == "tidak" || isNo(low) || low == "batal":
		x.say(x.t("privacy.stop_kept"))
		return r.done(x, true)
	}
	x.Conv.Failures++
	return r.stop(x, false)
}

func (r *Router) resumeMessages(x *run) error {
	if err := r.setOptOut(x, false); err != nil {
		return err
	}
	x.say(x.t("privacy.resumed"))
	return r.done(x, true)
}

// setOptOut records the choice on the chat and, for an enrolled worker, on the member.
func (r *Router) setOptOut(x *run, out bool) error {
	if err := models.TouchContact(x.Tx, x.In.Channel, x.In.ChatID, x.Conv.MemberID, x.Now); err != nil {
		return err
	}
	if err := x.Tx.Model(&models.ChannelContact{}).Where("channel = ? AND chat_id = ?", x.In.Channel, x.In.ChatID).
		Update("opted_out", out).Error; err != nil {
		return err
	}
	if x.Conv.MemberID != nil {
		return x.Tx.Model(&models.Member{}).Where("id = ?", *x.Conv.MemberID).Update("opted_out", out).Error
	}
	return nil
}

// ---- delete my data (hapus_data) -----------------------------------------------------------

func (r *Router) erase(x *run, start bool) error {
	if start {
		x.Conv.Flow, x.Conv.State = flowErase, "explain"
	}
	switch x.Conv.State {
	case "explain":
		x.say(x.t("privacy.erase_explain"), x.choice("privacy.erase_continue", "lanjut_hapus"), x.choice("common.cancel", "tidak"))
	case "confirm":
		x.say(x.t("privacy.erase_confirm"), x.choice("privacy.erase_yes", "hapus_permanen"), x.choice("common.cancel", "tidak"))
	}
	return nil
}

func (r *Router) eraseAnswer(x *run) error {
	low := strings.ToLower(x.In.Input())
	if low == "tidak" || isNo(low) || low == "batal" {
		x.say(x.t("privacy.erase_cancelled"))
		return r.done(x, true)
	}
	switch x.Conv.State {
	case "explain":
		if low == "lanjut_hapus" || isYes(low) || low == "hapus" {
			x.Conv.State = "confirm"
			return r.erase(x, false)
		}
	case "confirm":
		if low == "hapus_permanen" || low == "hapus" || low == "ya hapus" || isYes(low) {
			return r.eraseNow(x)
		}
	}
	x.Conv.Failures++
	return r.erase(x, false)
}

// eraseNow removes the worker's personal data: the member's identifying fields (the row stays,
// anonymous, so enrollment counts by occupation and province survive), what this chat said and
// was sent, the chat's contact row and handoff requests. An audit entry records that it
// happened, without anything that identifies the worker.
func (r *Router) eraseNow(x *run) error {
	tx := x.Tx
	enrollments := int64(0)
	if x.Conv.MemberID != nil {
		id := *x.Conv.MemberID
		if err := tx.Model(&models.Enrollment{}).Where("member_id = ?", id).Count(&enrollments).Error; err != nil {
			return err
		}
		if err := tx.Model(&models.Member{}).Where("id = ?", id).Updates(map[string]any{
			"nik_hash": nil, "nik_enc": nil, "full_name": "", "birth_date": nil, "phone": "", "occupation_other": "",
			"city": "", "opted_out": true, "updated_at": x.Now,
		}).Error; err != nil {
			return err
		}
		if err := tx.Where("member_id = ?", id).Delete(&models.HandoffRequest{}).Error; err != nil {
			return err
		}
	}
	if err := tx.Where("channel = ? AND chat_id = ?", x.In.Channel, x.In.ChatID).Delete(&models.HandoffRequest{}).Error; err != nil {
		return err
	}
	if err := tx.Where("channel = ? AND recipient = ?", x.In.Channel, x.In.ChatID).Delete(&models.Outbox{}).Error; err != nil {
		return err
	}
	if err := tx.Where("channel = ? AND chat_id = ?", x.In.Channel, x.In.ChatID).Delete(&models.ChannelContact{}).Error; err != nil {
		return err
	}
	if err := tx.Create(&models.AuditEntry{Action: "personal_data_erased", Channel: x.In.Channel,
		Detail: fmt.Sprintf("member=%t enrollments=%d", x.Conv.MemberID != nil, enrollments), CreatedAt: x.Now}).Error; err != nil {
		return err
	}
	// The conversation starts afresh: no slots, no member, nothing entered.
	for k := range x.slots {
		delete(x.slots, k)
	}
	x.Conv.MemberID = nil
	x.setStack(nil)
	x.Conv.Flow, x.Conv.State, x.Conv.Failures, x.Conv.Unknowns = flowMenu, "", 0, 0
	x.Conv.UserID = ""
	x.Forget()
	x.say(x.t("privacy.erased"))
	return nil
}

// ---- talk to a person (petugas) ------------------------------------------------------------

func (r *Router) handoff(x *run) error {
	question := x.slots[slotLastQuestion]
	if t := strings.TrimSpace(x.In.Text); t != "" && command(t) != "petugas" && x.In.Value == "" {
		question = truncate(t, 500)
	}
	req := models.HandoffRequest{Channel: x.In.Channel, ChatID: x.In.ChatID, MemberID: x.Conv.MemberID,
		Question: question, Status: "open", CreatedAt: x.Now}
	if err := x.Tx.Create(&req).Error; err != nil {
		return err
	}
	x.noticeStaff(req)
	x.say(x.t("common.human"))
	return r.done(x, false)
}

// noticeStaff tells the staff chat, when there is one, that a request is waiting. The notice
// names the request, the channel and the masked chat, never the question or anything else the
// worker typed: a staff group is a wider audience than the staff tools, and an erased worker's
// words must not stay behind in it. Staff read the question with `bpubot handoffs list`.
func (x *run) noticeStaff(req models.HandoffRequest) {
	cfg := x.r.Config
	if cfg.StaffChannel == "" || cfg.StaffChat == "" {
		return
	}
	lang := cfg.StaffLang
	if !locales.Supported(lang) {
		lang = locales.Default
	}
	key := "staff.handoff_notice"
	args := []any{"id", req.ID, "channel", req.Channel, "chat", bot.MaskID(req.ChatID)}
	if req.MemberID != nil {
		key = "staff.handoff_notice_member"
		args = append(args, "member", *req.MemberID)
	}
	x.Notice(cfg.StaffChannel, cfg.StaffChat, bot.Reply{Text: locales.Text(lang, key, args...), Lang: lang})
}
