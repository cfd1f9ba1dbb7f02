// Package staff is what staff members do, whichever way they come in: the command line, the
// admin HTTP API, Telegram staff commands and the web console all call the same Service
// methods. Every method takes the Actor (the staff member acting), checks the role in one place
// (allowed), keeps a partner's staff to their own partner's workers (scope), and writes the
// audit log: who, what, to what, and how many workers it reached, never personal data.
//
// The files: staff.go (Service, Actor, roles, audit), people.go (staff members, passwords,
// tokens, sign-in), workers.go (workers listed masked, revealed to admins), partners.go,
// broadcast.go (drafts, preview, confirm, cancel, reports), fanout.go (the outbox rows of a
// broadcast, in batches), handoff.go (requests to talk to a person: take, reply, close, time
// out), export.go (member exports), mask.go (personal data in free text).
package staff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/user"
	"slices"
	"time"

	"bpubot/bot"
	"bpubot/flows/coverage"
	"bpubot/models"
)

// Ways in, as the audit log names them.
const (
	ViaCLI      = "cli"
	ViaAPI      = "api"
	ViaTelegram = "telegram"
	ViaConsole  = "console"
)

// Actor is the staff member acting, and the way they came in.
type Actor struct {
	ID        int64 // 0 for the operator at the command line
	Name      string
	Role      string
	PartnerID *int64 // set for partner staff: the only workers they reach
	Via       string
}

// Operator is whoever runs bpubot's commands on the server: an admin, named after the system
// user. Access to the server and its database is already everything.
func Operator() Actor {
	name := "operator"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return Actor{Name: ViaCLI + ":" + name, Role: models.RoleAdmin, Via: ViaCLI}
}

// ActorOf is the actor of a stored staff member coming in through via.
func ActorOf(s models.Staff, via string) Actor {
	return Actor{ID: s.ID, Name: s.Name, Role: s.Role, PartnerID: s.PartnerID, Via: via}
}

func (a Actor) staffID() *int64 {
	if a.ID == 0 {
		return nil
	}
	id := a.ID
	return &id
}

// Op is something staff do; allowed says which roles may.
type Op string

// Operations.
const (
	OpStaffManage    Op = "staff.manage"    // add, disable staff; passwords and tokens of others
	OpPartnersManage Op = "partners.manage" // add, disable partner codes
	OpPartnersList   Op = "partners.list"
	OpWorkersList    Op = "workers.list"   // masked
	OpWorkersReveal  Op = "workers.reveal" // NIK and phone in full, audited
	OpBroadcast      Op = "broadcast"      // create, preview, confirm, cancel, report
	OpHandoff        Op = "handoff"        // list, take, reply, close
	OpExport         Op = "export"         // members, masked
	OpAuditRead      Op = "audit.read"
)

// allowed is the one place roles are checked. Partner staff are further kept to their own
// partner's workers by scope.
var allowed = map[Op][]string{
	OpStaffManage:    {models.RoleAdmin},
	OpPartnersManage: {models.RoleAdmin},
	OpPartnersList:   {models.RoleAdmin, models.RoleStaff, models.RolePartner},
	OpWorkersList:    {models.RoleAdmin, models.RoleStaff, models.RolePartner},
	OpWorkersReveal:  {models.RoleAdmin},
	OpBroadcast:      {models.RoleAdmin, models.RoleStaff, models.RolePartner},
	OpHandoff:        {models.RoleAdmin, models.RoleStaff, models.RolePartner},
	OpExport:         {models.RoleAdmin, models.RoleStaff, models.RolePartner},
	OpAuditRead:      {models.RoleAdmin},
}

// Roles lists the roles a staff member may have.
var Roles = []string{models.RoleAdmin, models.RoleStaff, models.RolePartner}

// Errors the methods return; each has one text for staff in locales (Message).
var (
	ErrForbidden    = errors.New("not allowed for this role")
	ErrNotStaff     = errors.New("not a staff member")
	ErrNotFound     = errors.New("not found")
	ErrInvalid      = errors.New("invalid")
	ErrState        = errors.New("not possible in this state")
	ErrBadLogin     = errors.New("wrong name or password")
	ErrTakenByOther = errors.New("taken by another staff member")
)

// InvalidError is a value staff gave that cannot be used, with what is wrong (a locale key of
// the staff section and its arguments).
type InvalidError struct {
	Key  string
	Args []any
}

func (e *InvalidError) Error() string { return "invalid: " + e.Key }
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalid(key string, args ...any) error { return &InvalidError{Key: key, Args: args} }

// Config is what the service needs to know of the rest of bpubot.
type Config struct {
	// StaffChannel and StaffChat are where handoff notices and forwarded worker messages go
	// (the Telegram staff group); StaffLang is their language.
	StaffChannel, StaffChat, StaffLang string
	// Location is the time zone of dates staff give (sign-up between) and see.
	Location *time.Location
	// HandoffTimeout: an open request without a staff answer for this long is closed and the
	// worker told the bot takes over again.
	HandoffTimeout time.Duration
	// WhatsAppBulkPerMinute and WhatsAppBulkJitter are the WhatsApp channel's bulk pace, for the
	// preview's estimate; 0 when WhatsApp is not in use.
	WhatsAppBulkPerMinute float64
	WhatsAppBulkJitter    time.Duration
	// PlainChannels are the channels without buttons: a broadcast's buttons become a line of
	// words to type there.
	PlainChannels []string
	// FanOutBatch is how many chats one fan-out transaction covers; default 1,000.
	FanOutBatch int
}

// Service is every staff operation.
type Service struct {
	DB     *models.DB
	Sealer *models.Sealer
	Clock  bot.Clock
	Log    *slog.Logger
	Config Config
	// Notify wakes the dispatcher of a channel after rows were queued; nil when none runs here.
	Notify func(channel string)

	// Coverage are the rules coverage states are computed by (nil: coverage.Default()).
	Coverage *coverage.Rules
	// Jobs runs broadcast fan-outs (a River job inserted with the confirmation); without it a
	// confirmed broadcast waits for the next RunDue.
	Jobs FanOutQueue

	staffIDs staffCache
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) loc() *time.Location {
	if s.Config.Location == nil {
		return time.UTC
	}
	return s.Config.Location
}

func (s *Service) db(ctx context.Context) *models.DB { return s.DB.WithContext(ctx) }

func (s *Service) notify(channel string) {
	if s.Notify != nil {
		s.Notify(channel)
	}
}

// allow checks that the actor's role may do op; a refusal is audited.
func (s *Service) allow(ctx context.Context, a Actor, op Op) error {
	if slices.Contains(allowed[op], a.Role) {
		return nil
	}
	s.audit(ctx, a, "denied", string(op), 0, "role="+a.Role)
	return ErrForbidden
}

// Can reports whether the actor's role may do op (the console hides what it may not).
func Can(a Actor, op Op) bool { return slices.Contains(allowed[op], a.Role) }

// inScope checks that a partner's staff member acts on their own partner's worker (partner is
// the worker's); others reach everyone. A refusal is audited and reads as not found, so partner
// staff learn nothing of other partners' workers.
func (s *Service) inScope(ctx context.Context, a Actor, partner *int64, target string) error {
	if a.Role != models.RolePartner {
		return nil
	}
	if a.PartnerID != nil && partner != nil && *partner == *a.PartnerID {
		return nil
	}
	s.audit(ctx, a, "denied", target, 0, "out of partner scope")
	return ErrNotFound
}

// audit writes an audit entry; a failure is logged, never returned: the action is done.
func (s *Service) audit(ctx context.Context, a Actor, action, target string, recipients int64, detail string) {
	s.auditTx(s.db(context.WithoutCancel(ctx)), a, action, target, recipients, detail)
}

func (s *Service) auditTx(tx models.Conn, a Actor, action, target string, recipients int64, detail string) {
	e := models.AuditEntry{Action: action, Channel: a.Via, Detail: detail, StaffID: a.staffID(), Actor: a.Name,
		Target: target, Recipients: recipients, CreatedAt: s.now()}
	if err := models.Audit(tx, &e); err != nil {
		s.log().Error("audit log write failed", "action", action, "actor", a.Name, "err", err)
	}
}

// AuditRefusal records an attempt by someone who is not staff (a Telegram user who typed a
// staff command): who is kept masked.
func (s *Service) AuditRefusal(ctx context.Context, via, who, what string) {
	s.audit(ctx, Actor{Name: bot.MaskID(who), Via: via}, "refused_not_staff", what, 0, "")
}

// AuditLog lists the newest audit entries (admins).
func (s *Service) AuditLog(ctx context.Context, a Actor, limit int) ([]models.AuditEntry, error) {
	if err := s.allow(ctx, a, OpAuditRead); err != nil {
		return nil, err
	}
	return models.AuditLog(s.db(ctx), limit)
}

func notFound(err error) error {
	if models.IsNotFound(err) {
		return ErrNotFound
	}
	return err
}

func target(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }
