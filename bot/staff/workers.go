package staff

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"bpubot/flows/validate"
	"bpubot/models"
)

// WorkerQuery searches workers: a name (part of it), a NIK or a phone number (whole), and the
// member filters of a segment. Partner staff only ever see their own partner's workers.
type WorkerQuery struct {
	Search  string
	Segment models.Segment
	AfterID int64 // for the next page: the last MemberID seen
	Limit   int   // default 100, at most 1,000
}

// Worker is a worker as staff see them: NIK and phone masked.
type Worker struct {
	MemberID     int64     `json:"member_id"`
	Name         string    `json:"name"`
	NIK          string    `json:"nik"`   // masked: 3201********0001
	Phone        string    `json:"phone"` // masked: +62812*****789
	Occupation   string    `json:"occupation"`
	ProvinceCode string    `json:"province_code"`
	RegencyCode  string    `json:"regency_code"`
	City         string    `json:"city"`
	Lang         string    `json:"lang"`
	OptedOut     bool      `json:"opted_out"`
	Status       string    `json:"status"` // latest enrollment's status, "" without one
	Partner      string    `json:"partner"`
	CreatedAt    time.Time `json:"created_at"`
}

// maskedPhone is a phone number written as models.MaskPhone shows it, or only its last digits:
// no more of the number than staff see.
var maskedPhone = regexp.MustCompile(`^(\+?[0-9]{0,5}\*+)?[0-9]{1,3}$`)

// Workers lists workers matching q, masked, by member number.
func (s *Service) Workers(ctx context.Context, a Actor, q WorkerQuery) ([]Worker, error) {
	if err := s.allow(ctx, a, OpWorkersList); err != nil {
		return nil, err
	}
	seg, err := s.resolve(ctx, s.scoped(a, q.Segment))
	if err != nil {
		return nil, err
	}
	f := models.MemberFilter{Segment: seg, Location: s.loc(), AfterID: q.AfterID, Limit: q.Limit}
	if term := strings.TrimSpace(q.Search); term != "" {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, term)
		switch {
		case maskedPhone.MatchString(term):
			// A phone number as staff see it (+62812*****789), or its visible end (*789, 789).
			if prefix, _, masked := strings.Cut(term, "*"); masked {
				f.PhonePrefix = prefix
			}
			f.PhoneSuffix = term[strings.LastIndexByte(term, '*')+1:]
		case len(digits) == 16 && s.Sealer != nil:
			f.NIKHash = s.Sealer.Hash(digits)
		case len(digits) >= 9:
			phone, err := validate.NormalizePhone(term)
			if err != nil {
				return nil, invalid("staff.search_bad_phone")
			}
			f.Phone = phone
		default:
			f.Name = term
		}
	}
	rows, err := models.FindMembers(s.db(ctx), f)
	if err != nil {
		return nil, err
	}
	out := make([]Worker, len(rows))
	for i, r := range rows {
		out[i] = s.worker(r)
	}
	s.audit(ctx, a, "workers.list", "", int64(len(out)), "")
	return out, nil
}

func (s *Service) worker(r models.MemberRow) Worker {
	w := Worker{MemberID: r.MemberID, Name: r.FullName, Phone: models.MaskPhone(r.Phone), Occupation: r.Occupation,
		ProvinceCode: r.ProvinceCode, RegencyCode: r.RegencyCode, City: r.City, Lang: r.Lang, OptedOut: r.OptedOut,
		CreatedAt: r.CreatedAt}
	if r.Status != nil {
		w.Status = *r.Status
	}
	if r.PartnerCode != nil {
		w.Partner = *r.PartnerCode
	}
	if s.Sealer != nil && len(r.NIKEnc) > 0 {
		if nik, err := s.Sealer.Open(r.NIKEnc); err == nil {
			w.NIK = models.MaskNIK(nik)
		}
	}
	return w
}

// Revealed is a worker's NIK and phone in full.
type Revealed struct {
	MemberID int64  `json:"member_id"`
	NIK      string `json:"nik"`
	Phone    string `json:"phone"`
}

// RevealWorker shows an admin a worker's NIK and phone number in full, and audits it with the
// reason given (required: "verifikasi klaim", say).
func (s *Service) RevealWorker(ctx context.Context, a Actor, memberID int64, reason string) (*Revealed, error) {
	if err := s.allow(ctx, a, OpWorkersReveal); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, invalid("staff.reveal_reason")
	}
	st, err := models.MemberStatusOf(s.db(ctx), memberID)
	if err != nil {
		return nil, notFound(err)
	}
	out := &Revealed{MemberID: memberID, Phone: st.Member.Phone}
	if s.Sealer != nil && len(st.Member.NIKEnc) > 0 {
		if out.NIK, err = s.Sealer.Open(st.Member.NIKEnc); err != nil {
			return nil, err
		}
	}
	s.audit(ctx, a, "workers.reveal", target("member", memberID), 1, "reason="+oneLine(reason, 200))
	return out, nil
}

// scoped is seg kept to the actor's partner when they are partner staff.
func (s *Service) scoped(a Actor, seg models.Segment) models.Segment {
	if a.Role == models.RolePartner {
		id := int64(-1) // a partner member without a partner reaches nobody
		if a.PartnerID != nil {
			id = *a.PartnerID
		}
		seg.PartnerID = &id
	}
	return seg
}

func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	return n, err == nil && n > 0
}

// oneLine keeps text on one line, at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
