package models

import (
	"fmt"
	"time"
)

// SetOptOut records a worker's choice about reminders and announcements on their chat and, for
// a member, on the member.
func SetOptOut(c Conn, channel, chatID string, memberID *int64, out bool, now time.Time) error {
	tx := c.orm()
	if err := TouchContact(c, channel, chatID, memberID, now); err != nil {
		return err
	}
	if err := tx.Model(&ChannelContact{}).Where("channel = ? AND chat_id = ?", channel, chatID).
		Update("opted_out", out).Error; err != nil {
		return err
	}
	if memberID != nil {
		return tx.Model(&Member{}).Where("id = ?", *memberID).Update("opted_out", out).Error
	}
	return nil
}

// ErasePersonalData removes a worker's personal data at their request: the member's
// identifying fields (the row stays, anonymous and marked erased, so counts by occupation and
// province survive), the chat's handoff requests with what was written in them, the messages
// sent to the chat, and its contact row. An audit entry records that it happened, with nothing
// that identifies the worker.
func ErasePersonalData(c Conn, channel, chatID string, memberID *int64, now time.Time) error {
	tx := c.orm()
	// Times that stay are rounded, so that none equals another row's to the nanosecond: the
	// conversation row (which keeps the chat id) is saved at now, and an erased member must not
	// be found again by matching it.
	day := now.UTC().Truncate(24 * time.Hour)
	var enrollments int64
	if memberID != nil {
		id := *memberID
		if err := tx.Model(&Enrollment{}).Where("member_id = ?", id).Count(&enrollments).Error; err != nil {
			return err
		}
		var m Member
		if err := tx.Select("created_at").Take(&m, id).Error; err != nil {
			return err
		}
		// What stays is what counts need (occupation, province, package, partner), with the
		// month it began; what could single the worker out goes (sex, language, the consent
		// with its exact time, the times to the second).
		if err := tx.Model(&Member{}).Where("id = ?", id).Updates(map[string]any{
			"nik_hash": nil, "nik_enc": nil, "full_name": "", "birth_date": nil, "phone": "", "occupation_other": "",
			"city": "", "regency_code": "", "sex": "", "lang": "", "opted_out": true,
			"created_at": monthOf(m.CreatedAt), "erased_at": day, "updated_at": day,
		}).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE enrollments SET created_at = ?, updated_at = ? WHERE member_id = ?`, monthOf(m.CreatedAt), day, id).Error; err != nil {
			return err
		}
		if err := tx.Where("member_id = ?", id).Delete(&Consent{}).Error; err != nil {
			return err
		}
		if err := tx.Where("member_id = ?", id).Delete(&HandoffRequest{}).Error; err != nil {
			return err
		}
	}
	for _, q := range []struct {
		model any
		where string
	}{
		{&HandoffRequest{}, "channel = ? AND chat_id = ?"},
		{&Outbox{}, "channel = ? AND recipient = ?"},
		{&ChannelContact{}, "channel = ? AND chat_id = ?"},
	} {
		if err := tx.Where(q.where, channel, chatID).Delete(q.model).Error; err != nil {
			return err
		}
	}
	return Audit(c, &AuditEntry{Action: "personal_data_erased", Channel: channel,
		Detail: fmt.Sprintf("member=%t enrollments=%d", memberID != nil, enrollments), CreatedAt: day})
}

// monthOf is the first moment of t's month (UTC).
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
