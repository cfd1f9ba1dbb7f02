package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"bpubot/bot/poster"
	"bpubot/bot/staff"
	"bpubot/bot/telegram"
	"bpubot/bot/whatsapp"
	"bpubot/models"
)

// Partners: their codes with the sign-up links and posters; admins add and disable them.

type partnerRow struct {
	P        models.Partner
	Telegram string
	WhatsApp string
}

type partnersView struct {
	Partners []partnerRow
	NoLinks  bool // neither the bot's username nor the WhatsApp number is configured
	// The add form, kept when it cannot be used.
	Code, Name, Kind string
	Error            string
}

func (c *Console) links(code string) (tg, wa string) {
	if c.cfg.TelegramBot != "" {
		tg = telegram.StartLink(c.cfg.TelegramBot, code)
	}
	if c.cfg.WhatsAppNumber != "" {
		wa = whatsapp.PartnerLink(c.cfg.WhatsAppNumber, code)
	}
	return tg, wa
}

func (c *Console) showPartners(w http.ResponseWriter, r *http.Request, a staff.Actor, status int, pv partnersView) {
	ps, err := c.svc.Partners(r.Context(), a)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	for _, p := range ps {
		tg, wa := c.links(p.Code)
		pv.Partners = append(pv.Partners, partnerRow{P: p, Telegram: tg, WhatsApp: wa})
	}
	pv.NoLinks = c.cfg.TelegramBot == "" && c.cfg.WhatsAppNumber == ""
	c.render(w, r, status, "partners", c.view(r, a, "partners", "console.partners.title", pv))
}

func (c *Console) partners(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.showPartners(w, r, a, http.StatusOK, partnersView{Kind: "plain"})
}

// addPartner adds a partner code; a code or name that cannot be used comes back in the form.
func (c *Console) addPartner(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	pv := partnersView{Code: strings.TrimSpace(r.PostFormValue("code")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Kind: r.PostFormValue("kind")}
	p, err := c.svc.AddPartner(r.Context(), a, pv.Code, pv.Name, pv.Kind == "sponsor" || pv.Kind == "gov", pv.Kind == "gov")
	switch {
	case err == nil:
		c.flash(r, "console.partners.added", "code", p.Code)
		back(w, r, "/partners")
	case errors.Is(err, staff.ErrInvalid):
		pv.Error = staff.ErrorText(c.lang(r), err)
		c.showPartners(w, r, a, http.StatusUnprocessableEntity, pv)
	default:
		c.fail(w, r, a, err)
	}
}

func (c *Console) setPartnerActive(w http.ResponseWriter, r *http.Request, a staff.Actor, active bool) {
	code := r.PathValue("code")
	if err := c.svc.SetPartnerActive(r.Context(), a, code, active); err != nil {
		c.fail(w, r, a, err)
		return
	}
	if active {
		c.flash(r, "console.partners.enabled", "code", code)
	} else {
		c.flash(r, "console.partners.disabled", "code", code)
	}
	back(w, r, "/partners")
}

func (c *Console) disablePartner(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.setPartnerActive(w, r, a, false)
}

func (c *Console) enablePartner(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.setPartnerActive(w, r, a, true)
}

// posterOf is the poster of a partner the staff member may see (partner staff: their own).
func (c *Console) posterOf(r *http.Request, a staff.Actor) (*poster.Poster, error) {
	ps, err := c.svc.Partners(r.Context(), a)
	if err != nil {
		return nil, err
	}
	code := r.PathValue("code")
	for _, p := range ps {
		if !strings.EqualFold(p.Code, code) {
			continue
		}
		now := c.now().In(c.loc())
		q, err := c.tariff.Lowest(now)
		if err != nil {
			return nil, err
		}
		tg, wa := c.links(p.Code)
		return &poster.Poster{Lang: c.lang(r), PartnerName: p.Name, PartnerCode: p.Code, Sponsor: p.Sponsored,
			TelegramLink: tg, WhatsAppLink: wa, Premium: q, Month: now}, nil
	}
	return nil, staff.ErrNotFound
}

func (c *Console) servePoster(w http.ResponseWriter, r *http.Request, a staff.Actor, ext, contentType string,
	draw func(poster.Poster, *bytes.Buffer) error) {
	p, err := c.posterOf(r, a)
	if err == nil {
		var buf bytes.Buffer
		if err = draw(*p, &buf); err == nil {
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Content-Disposition", `inline; filename="poster-`+p.PartnerCode+`.`+ext+`"`)
			_, _ = buf.WriteTo(w)
			return
		}
	}
	if errors.Is(err, poster.ErrNoLinks) {
		err = errNoLinks
	}
	c.fail(w, r, a, err)
}

// errNoLinks: a poster needs the bot's username or the WhatsApp number in the configuration.
var errNoLinks = &staff.InvalidError{Key: "console.partners.no_links"}

func (c *Console) posterPNG(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.servePoster(w, r, a, "png", "image/png", func(p poster.Poster, b *bytes.Buffer) error { return p.PNG(b) })
}

func (c *Console) posterPDF(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.servePoster(w, r, a, "pdf", "application/pdf", func(p poster.Poster, b *bytes.Buffer) error { return p.PDF(b) })
}
