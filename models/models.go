// Package models holds bpubot's stored data: GORM models, the queries the engine and flows use,
// and versioned SQL migrations for SQLite and PostgreSQL.
package models

import "time"

// Member is a worker known to bpubot. NIK is stored only encrypted (NIKEnc) and as a keyed hash
// (NIKHash) for look-ups and the uniqueness check; see Sealer.
type Member struct {
	ID              int64 `gorm:"primaryKey"`
	NIKHash         string
	NIKEnc          []byte
	FullName        string
	BirthDate       *time.Time
	Sex             string // "L" or "P", as on the KTP
	Phone           string // E.164, +628...
	Occupation      string // occupation code, see flows/tariff
	OccupationOther string
	ProvinceCode    string
	RegencyCode     string // kabupaten/kota, Kemendagri code ("3201"); "" when not known
	City            string // the kabupaten/kota's name, as shown to the worker
	Lang            string
	OptedOut        bool
	ErasedAt        *time.Time // personal data erased at the worker's request
	CreatedAt       time.Time  `gorm:"autoCreateTime:false"`
	UpdatedAt       time.Time  `gorm:"autoUpdateTime:false"`
}

// Enrollment statuses.
const (
	EnrollmentPendingPayment = "pending_payment"
	EnrollmentActive         = "active"
	EnrollmentInactive       = "inactive"
)

// Enrollment is one BPU registration: what the worker chose and what it costs.
type Enrollment struct {
	ID             int64 `gorm:"primaryKey"`
	MemberID       int64
	Package        string // "jkk_jkm" or "jkk_jkm_jht"
	DeclaredIncome int64
	PaymentMonths  int
	PartnerID      *int64
	Status         string
	MonthlyPremium int64 // for the first month, at enrollment time
	PeriodPremium  int64 // for the chosen payment period, at enrollment time
	Channel        string
	PaidUntil      *time.Time
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

// Conversation is the state of one chat: which flow it is in, at which state, and what the
// worker has entered so far (Slots, JSON). Stack holds interrupted flows; Choices the numbered
// options last offered, so "2" can be read back as the second one.
type Conversation struct {
	ID        int64 `gorm:"primaryKey"`
	Channel   string
	ChatID    string
	UserID    string
	MemberID  *int64
	Flow      string
	State     string
	Slots     string
	Stack     string
	Choices   string
	Lang      string
	Failures  int
	Unknowns  int
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"` // set by the engine from its clock: idle time depends on it
}

// ProcessedInbound records every inbound message handled, so a redelivered one is handled once.
type ProcessedInbound struct {
	Channel    string `gorm:"primaryKey"`
	ExternalID string `gorm:"primaryKey"`
	CreatedAt  time.Time
}

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
	OutboxSkipped = "skipped"
)

// Outbox priorities: lower goes first.
const (
	PriorityReply = 0
	PriorityBulk  = 10
)

// Outbox is one message waiting to be sent, or sent. Replies and bulk sends share it.
type Outbox struct {
	ID            int64 `gorm:"primaryKey"`
	Channel       string
	Recipient     string
	Payload       string // JSON of bot.Reply
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LockedBy      *int64 // the owner (Dispatcher.Owner) of a claimed row
	DedupeKey     *string
	Priority      int
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	BroadcastID   *int64 // the broadcast the row belongs to
}

// TableName keeps the table singular: it is a queue, not a collection.
func (Outbox) TableName() string { return "outbox" }

// Partner is an organisation that enrols workers (youth organisation, local government,
// company). Sponsored partners pay the premium; GovSponsored ones pay from APBN/APBD, which
// excludes the PP 50/2025 discount.
type Partner struct {
	ID           int64 `gorm:"primaryKey"`
	Code         string
	Name         string
	Sponsored    bool
	GovSponsored bool
	Active       bool
	CreatedAt    time.Time
}

// Consent records a worker's consent to personal-data processing (UU 27/2022).
type Consent struct {
	ID       int64 `gorm:"primaryKey"`
	MemberID int64
	Version  string
	GivenAt  time.Time
	Channel  string
}

// ChannelContact is a worker's address on one channel: who wrote first, and whether the
// platform still lets us reach them.
type ChannelContact struct {
	ID            int64 `gorm:"primaryKey"`
	Channel       string
	ChatID        string
	MemberID      *int64
	Unreachable   bool
	OptedOut      bool // no reminders or announcements; replies to their own questions still go
	FirstSeenAt   time.Time
	LastInboundAt time.Time
}

// HandoffRequest is a worker's request to talk to a person.
type HandoffRequest struct {
	ID        int64 `gorm:"primaryKey"`
	Channel   string
	ChatID    string
	MemberID  *int64
	Question  string
	Status    string // open, closed
	CreatedAt time.Time
	ClosedAt  *time.Time
	// TakenBy is the staff member answering it; while it is set, the bot is quiet in the chat.
	TakenBy        *int64
	TakenAt        *time.Time
	StaffRepliedAt *time.Time
	ClosedBy       *int64
	CloseReason    string // staff, timeout, worker
}

// HandoffMessage is something the worker wrote while their request to talk to a person was
// open: staff read it with the request.
type HandoffMessage struct {
	ID        int64 `gorm:"primaryKey"`
	HandoffID int64
	Text      string
	CreatedAt time.Time
}

// AuditEntry records an action without personal data: what was done, by whom (a staff member,
// or the operator at the command line), through which way in, to what, and how many workers
// it reached.
type AuditEntry struct {
	ID         int64 `gorm:"primaryKey"`
	Action     string
	Channel    string // the way in: cli, api, telegram, console; or the worker's channel
	Detail     string
	StaffID    *int64
	Actor      string
	Target     string // "broadcast:12", "handoff:7", "staff:3"
	Recipients int64
	CreatedAt  time.Time
}

// TableName is the audit log's table.
func (AuditEntry) TableName() string { return "audit_log" }
