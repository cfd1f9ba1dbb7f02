package models

import (
	"time"
)

// ContactStanding is what decides whether a chat may be sent a message it did not ask for (a
// reminder, an announcement): the worker wrote to the bot first on that chat, did not opt out
// there or as a member, and the platform has not refused messages to it.
type ContactStanding struct {
	WroteFirst  bool      // the chat has a contact row: the worker wrote to us first
	OptedOut    bool      // the chat, or its member, opted out
	Unreachable bool      // the platform refused messages to the chat
	LastInbound time.Time // the worker's last message (refreshed about once a minute)
}

// ContactStandingOf looks a chat's standing up.
func ContactStandingOf(c Conn, channel, chatID string) (ContactStanding, error) {
	db := c.orm()
	var row struct {
		OptedOut       bool
		Unreachable    bool
		MemberOptedOut *bool
		LastInboundAt  time.Time
	}
	res := db.Raw(`SELECT cc.opted_out AS opted_out, cc.unreachable AS unreachable, m.opted_out AS member_opted_out, cc.last_inbound_at AS last_inbound_at
		FROM channel_contacts cc LEFT JOIN members m ON m.id = cc.member_id
		WHERE cc.channel = ? AND cc.chat_id = ?`, channel, chatID).Scan(&row)
	if res.Error != nil || res.RowsAffected == 0 {
		return ContactStanding{}, res.Error
	}
	return ContactStanding{WroteFirst: true, OptedOut: row.OptedOut || (row.MemberOptedOut != nil && *row.MemberOptedOut),
		Unreachable: row.Unreachable, LastInbound: row.LastInboundAt}, nil
}
