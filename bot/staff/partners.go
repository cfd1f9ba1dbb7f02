package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"bpubot/models"
)

// AddPartner adds a partner code (admins).
func (s *Service) AddPartner(ctx context.Context, a Actor, code, name string, sponsored, gov bool) (*models.Partner, error) {
	if err := s.allow(ctx, a, OpPartnersManage); err != nil {
		return nil, err
	}
	p, err := models.AddPartner(s.db(ctx), code, name, sponsored, gov, s.now())
	switch {
	case errors.Is(err, models.ErrPartnerExists):
		return nil, invalid("staff.partner_exists", "code", code)
	case err != nil && (strings.HasPrefix(err.Error(), "code ") || strings.HasPrefix(err.Error(), "name:")):
		// models.AddPartner's own checks of what was typed.
		return nil, invalid("staff.partner_bad", "problem", err.Error())
	case err != nil:
		return nil, err
	}
	s.audit(ctx, a, "partners.add", fmt.Sprintf("partner:%s", p.Code), 0, "")
	return p, nil
}

// SetPartnerActive turns a partner's code off (no new sign-ups with it) or on again (admins).
func (s *Service) SetPartnerActive(ctx context.Context, a Actor, code string, active bool) error {
	if err := s.allow(ctx, a, OpPartnersManage); err != nil {
		return err
	}
	if err := models.SetPartnerActive(s.db(ctx), code, active); err != nil {
		return notFound(err)
	}
	action := "partners.enable"
	if !active {
		action = "partners.disable"
	}
	s.audit(ctx, a, action, "partner:"+code, 0, "")
	return nil
}

// Partners lists partner codes: every one for admins and staff, their own for partner staff.
func (s *Service) Partners(ctx context.Context, a Actor) ([]models.Partner, error) {
	if err := s.allow(ctx, a, OpPartnersList); err != nil {
		return nil, err
	}
	ps, err := models.Partners(s.db(ctx))
	if err != nil || a.Role != models.RolePartner {
		return ps, err
	}
	var own []models.Partner
	for _, p := range ps {
		if a.PartnerID != nil && p.ID == *a.PartnerID {
			own = append(own, p)
		}
	}
	return own, nil
}
