package web

import (
	"net/http"

	"bpubot/bot/staff"
	"bpubot/flows/validate"
	"bpubot/locales"
	"bpubot/models"
)

// dashboardDays is how many days the enrolments chart shows.
const dashboardDays = 30

type dashboardPage struct {
	D          *staff.Dashboard
	PerDay     columnChart
	Partners   barChart
	Occupation barChart
	Province   barChart
	Channels   barChart
	Funnel     barChart
	Coverage   barChart
	Active     int64
	Behind     int64 // in arrears or lapsed
}

func (c *Console) dashboard(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	d, err := c.svc.Dashboard(r.Context(), a, dashboardDays)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	lang := c.lang(r)
	t := func(key string, args ...any) string { return locales.Text(lang, key, args...) }
	p := dashboardPage{D: d, PerDay: newColumnChart(lang, t("console.dashboard.per_day", "n", dashboardDays), d.PerDay)}
	items := func(counts []models.KeyCount, label func(string) string) []barItem {
		out := make([]barItem, len(counts))
		for i, k := range counts {
			out[i] = barItem{Label: label(k.Key), N: k.N}
		}
		return out
	}
	other := t("console.dashboard.other")
	p.Partners = newBarChart(t("console.dashboard.by_partner"), items(d.ByPartner, func(code string) string {
		if code == "" {
			return t("console.dashboard.no_partner")
		}
		return code
	}), 8, other)
	p.Occupation = newBarChart(t("console.dashboard.by_occupation"), items(d.ByOccupation, func(code string) string {
		if code == "" {
			return t("console.dashboard.unknown")
		}
		return t("occupation." + code)
	}), 10, other)
	p.Province = newBarChart(t("console.dashboard.by_province"), items(d.ByProvince, func(code string) string {
		if pr, ok := validate.ProvinceByCode(code); ok {
			return pr.Display(lang)
		}
		return t("console.dashboard.unknown")
	}), 10, other)
	p.Channels = newBarChart(t("console.dashboard.by_channel"), items(d.ByChannel, func(ch string) string {
		return t("console.channel." + ch)
	}), 0, other)
	var funnel []barItem
	for _, s := range d.Funnel {
		label := t("console.funnel." + s.Step)
		if s.At > 0 {
			label = t("console.dashboard.funnel_at", "step", label, "n", s.At)
		}
		funnel = append(funnel, barItem{Label: label, N: s.Reached})
	}
	funnel = append(funnel, barItem{Label: t("console.funnel.finished"), N: d.Finished, Class: "good"})
	p.Funnel = newBarChart(t("console.dashboard.funnel"), funnel, 0, other)
	var cover []barItem
	for _, k := range d.Coverage {
		cover = append(cover, barItem{Label: t("console.coverage." + k.Key), N: k.N, Class: coverageClass[k.Key]})
		switch k.Key {
		case "active", "sponsored":
			p.Active += k.N
		case "arrears", "lapsed":
			p.Behind += k.N
		}
	}
	p.Coverage = newBarChart(t("console.dashboard.coverage"), cover, 0, other)
	c.render(w, r, http.StatusOK, "dashboard", c.view(r, a, "dashboard", "console.dashboard.title", p))
}

// coverageClass colours coverage states alike wherever they show.
var coverageClass = map[string]string{"pending": "muted", "active": "good", "arrears": "warn", "lapsed": "bad", "sponsored": "good"}
