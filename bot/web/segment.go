package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"bpubot/bot/staff"
	"bpubot/flows/validate"
	"bpubot/locales"
	"bpubot/models"
)

// The segment form: the same fields choose a broadcast's recipients and an export's rows
// (models.Segment), as the command line's --segment flags do.

// segmentChannels are the channels a segment may choose.
var segmentChannels = []string{"telegram", "whatsapp"}

// segmentForm is the segment part of a form: what is chosen and what can be.
type segmentForm struct {
	Lang     string
	Seg      models.Segment
	From, To string // the sign-up dates as typed (2026-11-01)
	Error    string

	Channels    []string
	Partners    []models.Partner // empty for partner staff: their own partner is implied
	Occupations []string
	Provinces   []validate.Province
	Regencies   []validate.Regency // of the chosen provinces
	Langs       []string
	Coverage    []string
}

// readSegment reads the segment fields of a form. Values that are not among the choices
// (a tampered form) are left out; a date that cannot be read is an error to show, the rest of
// the form kept.
func (c *Console) readSegment(r *http.Request) (models.Segment, segmentForm) {
	_ = r.ParseForm()
	f := r.Form
	keep := func(values []string, ok func(string) bool) []string {
		var out []string
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" && ok(v) && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	in := func(list []string) func(string) bool { return func(v string) bool { return slices.Contains(list, v) } }
	seg := models.Segment{
		Channels:    keep(f["channel"], in(segmentChannels)),
		Partners:    keep(f["partner"], func(string) bool { return true }), // the service matches codes
		Occupations: keep(f["occupation"], in(c.tariff.Occupations())),
		Provinces:   keep(f["province"], func(v string) bool { _, ok := validate.ProvinceByCode(v); return ok }),
		Regencies:   keep(f["regency"], func(v string) bool { _, ok := validate.RegencyByCode(v); return ok }),
		Langs:       keep(f["lang"], in(langs)),
		Coverage:    keep(f["coverage"], in(staff.CoverageStates)),
		Unfinished:  f.Get("unfinished") != "",
	}
	if id, err := strconv.ParseInt(f.Get("partner_id"), 10, 64); err == nil {
		// Kept from a partner's draft; for partner staff the service sets their own anyway.
		seg.PartnerID = &id
	}
	sf := segmentForm{Lang: c.lang(r), From: strings.TrimSpace(f.Get("from")), To: strings.TrimSpace(f.Get("to"))}
	loc := c.loc()
	for _, d := range []struct {
		value string
		dst   **time.Time
	}{{sf.From, &seg.SignedUpFrom}, {sf.To, &seg.SignedUpTo}} {
		if d.value == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.value, loc)
		if err != nil {
			sf.Error = locales.Text(c.lang(r), "console.segment.bad_date", "date", d.value)
			continue
		}
		*d.dst = &t
	}
	if seg.SignedUpFrom != nil && seg.SignedUpTo != nil && seg.SignedUpTo.Before(*seg.SignedUpFrom) {
		sf.Error = locales.Text(c.lang(r), "console.segment.dates_reversed")
	}
	sf.Seg = seg
	return seg, sf
}

// segmentChoices fills in what a segment form offers the staff member.
func (c *Console) segmentChoices(ctx context.Context, a staff.Actor, sf segmentForm) (segmentForm, error) {
	sf.Channels, sf.Langs, sf.Coverage = segmentChannels, langs, staff.CoverageStates
	sf.Occupations = c.tariff.Occupations()
	sf.Provinces = validate.Provinces()
	if sf.Seg.PartnerID == nil && a.Role != models.RolePartner {
		ps, err := c.svc.Partners(ctx, a)
		if err != nil {
			return sf, err
		}
		sf.Partners = ps
	}
	sf.Regencies = regenciesOf(sf.Seg.Provinces)
	return sf, nil
}

func regenciesOf(provinces []string) []validate.Regency {
	var out []validate.Regency
	for _, p := range provinces {
		out = append(out, validate.RegenciesOf(p)...)
	}
	return out
}

// regencies answers the composer when the provinces chosen change: the kabupaten and kota of
// those provinces, the ones already ticked kept ticked.
func (c *Console) regencies(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	_, sf := c.readSegment(r)
	sf.Regencies = regenciesOf(sf.Seg.Provinces)
	c.part(w, r, "error", "regencies-part", c.view(r, a, "", "console.nav.broadcasts", sf))
}

func (c *Console) loc() *time.Location {
	if c.svc.Config.Location != nil {
		return c.svc.Config.Location
	}
	return time.UTC
}
