package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"bpubot/models"

	"github.com/alexedwards/argon2id"
)

// NewStaff is a staff member to add.
type NewStaff struct {
	Name           string
	Role           string
	PartnerCode    string // required for partner staff
	TelegramUserID int64  // 0 for none
}

// AddStaff adds a staff member.
func (s *Service) AddStaff(ctx context.Context, a Actor, in NewStaff) (*models.Staff, error) {
	if err := s.allow(ctx, a, OpStaffManage); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return nil, invalid("staff.bad_name")
	}
	st := &models.Staff{Name: name, Role: in.Role, CreatedAt: s.now(), UpdatedAt: s.now()}
	switch in.Role {
	case models.RoleAdmin, models.RoleStaff:
		if in.PartnerCode != "" {
			return nil, invalid("staff.partner_only_for_partner")
		}
	case models.RolePartner:
		if in.PartnerCode == "" {
			return nil, invalid("staff.partner_required")
		}
		p, err := models.FindPartner(s.db(ctx), in.PartnerCode)
		if err != nil {
			if models.IsNotFound(err) {
				return nil, invalid("staff.partner_unknown", "code", in.PartnerCode)
			}
			return nil, err
		}
		st.PartnerID = &p.ID
	default:
		return nil, invalid("staff.bad_role", "role", in.Role)
	}
	if in.TelegramUserID < 0 {
		return nil, invalid("staff.bad_telegram")
	}
	if in.TelegramUserID > 0 {
		id := in.TelegramUserID
		st.TelegramUserID = &id
	}
	if err := models.CreateStaff(s.db(ctx), st); err == models.ErrStaffExists {
		return nil, invalid("staff.exists", "name", name)
	} else if err != nil {
		return nil, err
	}
	s.staffIDs.reset()
	s.audit(ctx, a, "staff.add", target("staff", st.ID), 0, "role="+st.Role)
	return st, nil
}

// ListStaff lists every staff member (admins).
func (s *Service) ListStaff(ctx context.Context, a Actor) ([]models.Staff, error) {
	if err := s.allow(ctx, a, OpStaffManage); err != nil {
		return nil, err
	}
	return models.StaffList(s.db(ctx))
}

// FindStaff finds a staff member by number or name (admins).
func (s *Service) FindStaff(ctx context.Context, a Actor, ref string) (*models.Staff, error) {
	if err := s.allow(ctx, a, OpStaffManage); err != nil {
		return nil, err
	}
	return s.findStaff(ctx, ref)
}

func (s *Service) findStaff(ctx context.Context, ref string) (*models.Staff, error) {
	var id int64
	if n, ok := parseID(ref); ok {
		id = n
	}
	st, err := models.FindStaff(s.db(ctx), id, ref)
	return st, notFound(err)
}

// SetDisabled disables a staff member (nothing they hold works any more: Telegram commands,
// token, console) or enables them again.
func (s *Service) SetDisabled(ctx context.Context, a Actor, ref string, disabled bool) (*models.Staff, error) {
	st, err := s.FindStaff(ctx, a, ref)
	if err != nil {
		return nil, err
	}
	if err := models.UpdateStaff(s.db(ctx), st.ID, map[string]any{"disabled": disabled}, s.now()); err != nil {
		return nil, notFound(err)
	}
	st.Disabled = disabled
	s.staffIDs.reset()
	action := "staff.enable"
	if disabled {
		action = "staff.disable"
	}
	s.audit(ctx, a, action, target("staff", st.ID), 0, "")
	return st, nil
}

// MinPasswordLength is the shortest console password accepted.
const MinPasswordLength = 10

// SetPassword sets the console password of a staff member: admins for anyone, anyone for
// themselves. An empty password removes console sign-in.
func (s *Service) SetPassword(ctx context.Context, a Actor, ref, password string) error {
	st, err := s.self(ctx, a, ref)
	if err != nil {
		return err
	}
	hash := ""
	if password != "" {
		if utf8.RuneCountInString(password) < MinPasswordLength {
			return invalid("staff.password_short", "n", MinPasswordLength)
		}
		if hash, err = argon2id.CreateHash(password, argon2id.DefaultParams); err != nil {
			return err
		}
	}
	if err := models.UpdateStaff(s.db(ctx), st.ID, map[string]any{"password_hash": hash}, s.now()); err != nil {
		return notFound(err)
	}
	s.audit(ctx, a, "staff.password", target("staff", st.ID), 0, "")
	return nil
}

// IssueToken makes a new API bearer token for a staff member (admins for anyone, anyone for
// themselves), replacing any earlier one. It is shown once: only its hash is kept.
func (s *Service) IssueToken(ctx context.Context, a Actor, ref string) (string, error) {
	st, err := s.self(ctx, a, ref)
	if err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := tokenPrefix + hex.EncodeToString(raw)
	if err := models.UpdateStaff(s.db(ctx), st.ID, map[string]any{"token_hash": hashToken(token)}, s.now()); err != nil {
		return "", notFound(err)
	}
	s.audit(ctx, a, "staff.token", target("staff", st.ID), 0, "")
	return token, nil
}

// tokenPrefix marks bpubot's API tokens, so a leaked one is recognised by secret scanners.
const tokenPrefix = "bpu_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// self finds the staff member ref for a change an admin may make for anyone and anyone for
// themselves.
func (s *Service) self(ctx context.Context, a Actor, ref string) (*models.Staff, error) {
	st, err := s.findStaff(ctx, ref)
	if err != nil && !Can(a, OpStaffManage) {
		return nil, ErrForbidden
	}
	if err != nil {
		return nil, err
	}
	if st.ID != a.ID {
		if err := s.allow(ctx, a, OpStaffManage); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// Login signs a staff member in with name and password (the console). Disabled staff, staff
// without a password and wrong passwords all get ErrBadLogin, audited.
func (s *Service) Login(ctx context.Context, name, password string) (Actor, error) {
	st, err := models.FindStaff(s.db(ctx), 0, name)
	ok := err == nil && !st.Disabled && st.PasswordHash != ""
	if ok {
		match, herr := argon2id.ComparePasswordAndHash(password, st.PasswordHash)
		ok = herr == nil && match
	} else {
		// As slow as a real check, so a name's existence does not show in the time taken.
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash())
	}
	if !ok {
		who := Actor{Name: "?", Via: ViaConsole}
		if err == nil {
			who = ActorOf(*st, ViaConsole)
		}
		s.audit(ctx, who, "login_failed", "", 0, "")
		return Actor{}, ErrBadLogin
	}
	a := ActorOf(*st, ViaConsole)
	s.audit(ctx, a, "login", target("staff", st.ID), 0, "")
	return a, nil
}

var dummyHash = sync.OnceValue(func() string {
	h, _ := argon2id.CreateHash("bpubot-dummy-password", argon2id.DefaultParams)
	return h
})

// ActorByToken is the staff member holding an API bearer token, coming in through the API.
func (s *Service) ActorByToken(ctx context.Context, token string) (Actor, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return Actor{}, ErrNotStaff
	}
	h := hashToken(token)
	st, err := models.StaffByTokenHash(s.db(ctx), h)
	if err != nil || st.Disabled || st.TokenHash == nil || subtle.ConstantTimeCompare([]byte(*st.TokenHash), []byte(h)) != 1 {
		return Actor{}, ErrNotStaff
	}
	return ActorOf(*st, ViaAPI), nil
}

// ActorByTelegram is the staff member with a Telegram user id, coming in through Telegram.
func (s *Service) ActorByTelegram(ctx context.Context, userID int64) (Actor, error) {
	st, err := models.StaffByTelegram(s.db(ctx), userID)
	if err != nil || st.Disabled {
		return Actor{}, ErrNotStaff
	}
	return ActorOf(*st, ViaTelegram), nil
}

// IsStaffTelegram reports, from memory refreshed at most every staffCacheTTL, whether a
// Telegram user is a staff member: the channel asks it for every private message, so that
// workers' messages cost no query.
func (s *Service) IsStaffTelegram(ctx context.Context, userID int64) bool {
	return s.staffIDs.has(func() ([]int64, error) { return models.StaffTelegramIDs(s.db(ctx)) }, userID, time.Now())
}

// staffCacheTTL bounds how long a change made by another process takes to be seen.
const staffCacheTTL = 30 * time.Second

type staffCache struct {
	mu     sync.Mutex
	ids    map[int64]bool
	loaded time.Time
}

func (c *staffCache) has(load func() ([]int64, error), id int64, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil || now.Sub(c.loaded) > staffCacheTTL {
		ids, err := load()
		if err == nil {
			c.ids = make(map[int64]bool, len(ids))
			for _, i := range ids {
				c.ids[i] = true
			}
			c.loaded = now
		} else if c.ids == nil {
			return false
		}
	}
	return c.ids[id]
}

func (c *staffCache) reset() {
	c.mu.Lock()
	c.ids = nil
	c.mu.Unlock()
}
