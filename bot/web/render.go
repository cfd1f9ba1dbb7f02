package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"bpubot/bot/staff"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/locales"
	"bpubot/models"
)

//go:embed templates static
var assets embed.FS

// langs are the console's languages; the first is the default.
var langs = []string{"id", "en"}

// pageTemplate is one page: the layout, the shared parts and the page's own file.
type pageTemplate struct{ t *template.Template }

// parsePages parses every page once per language, with that language's texts bound to t.
func parsePages(c *Console) (map[string]map[string]*pageTemplate, error) {
	files, err := assets.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*pageTemplate{}
	for _, lang := range langs {
		out[lang] = map[string]*pageTemplate{}
		for _, f := range files {
			name := strings.TrimSuffix(f.Name(), ".html")
			if name == "layout" || name == "parts" {
				continue
			}
			t, err := template.New(name).Funcs(c.funcs(lang)).ParseFS(assets,
				"templates/layout.html", "templates/parts.html", "templates/"+f.Name())
			if err != nil {
				return nil, err
			}
			out[lang][name] = &pageTemplate{t}
		}
	}
	return out, nil
}

// funcs are what templates call, in one language. Keys given to t are in locales' console
// section (or another section where the text is the chat's own: occupations, packages).
func (c *Console) funcs(lang string) template.FuncMap {
	loc := c.loc()
	return template.FuncMap{
		"t": func(key string, args ...any) string { return locales.Text(lang, key, args...) },
		// tv is t for a key made of a prefix and a value, e.g. "console.role." and "admin".
		"tv":    func(prefix, value string) string { return locales.Text(lang, prefix+value) },
		"money": locales.Money,
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return locales.Date(lang, t.In(loc))
		},
		"datetime": func(t any) string {
			var v time.Time
			switch x := t.(type) {
			case time.Time:
				v = x
			case *time.Time:
				if x == nil {
					return ""
				}
				v = *x
			}
			if v.IsZero() {
				return ""
			}
			return formatTime(lang, v, loc)
		},
		"month": func(n int) string {
			return locales.Month(lang, time.Date(n/100, time.Month(n%100), 1, 0, 0, 0, 0, time.UTC))
		},
		"province": func(code string) string {
			if p, ok := validate.ProvinceByCode(code); ok {
				return p.Display(lang)
			}
			return code
		},
		"regency": func(code string) string {
			if r, ok := validate.RegencyByCode(code); ok {
				return r.Display(lang)
			}
			return code
		},
		"occupation": func(code string) string {
			if code == "" {
				return "–"
			}
			return locales.Text(lang, "occupation."+code)
		},
		"has": func(list []string, v string) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
		"deref": func(p any) any {
			switch v := p.(type) {
			case *int64:
				if v != nil {
					return *v
				}
			case *string:
				if v != nil {
					return *v
				}
			}
			return ""
		},
		"ym": func(m tariff.YearMonth) string { return locales.Month(lang, m.Start()) },
		"pct": func(n, of int64) int64 {
			if of <= 0 {
				return 0
			}
			return n * 100 / of
		},
	}
}

// view is what every page gets.
type view struct {
	Lang  string
	Langs []string
	Actor staff.Actor
	Title string
	Nav   string // the section, for the menu
	Flash string
	Error string
	Path  string // the page's address, to come back to after switching language
	Data  any
}

// Can reports whether the page's staff member may do op (the menu and buttons show only what
// the role allows; the service checks again).
func (v view) Can(op string) bool { return staff.Can(v.Actor, staff.Op(op)) }

// IsPartner reports whether the staff member is a partner's, who sees their own workers only.
func (v view) IsPartner() bool { return v.Actor.Role == models.RolePartner }

func (c *Console) view(r *http.Request, a staff.Actor, nav, titleKey string, data any) view {
	lang := c.lang(r)
	return view{Lang: lang, Langs: langs, Actor: a, Nav: nav, Title: locales.Text(lang, titleKey), Path: r.URL.RequestURI(),
		Flash: c.sessions.PopString(r.Context(), sessionFlash), Data: data}
}

// render writes a whole page, or, for an htmx request that names a part, only that part.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	c.execute(w, r, status, page, "layout", v)
}

// part writes one named part of a page (an htmx fragment).
func (c *Console) part(w http.ResponseWriter, r *http.Request, page, name string, v view) {
	c.execute(w, r, http.StatusOK, page, name, v)
}

func (c *Console) execute(w http.ResponseWriter, r *http.Request, status int, page, name string, v view) {
	pt, ok := c.pages[v.Lang][page]
	if !ok {
		panic(fmt.Sprintf("web: no page %q", page)) // a typo in this package, caught by its tests
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, name, v); err != nil {
		c.log.Error("console template failed", "page", page, "part", name, "err", err)
		http.Error(w, locales.Text(v.Lang, "console.error.failed"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage answers with an error: a page, or for htmx a message put where the page shows
// messages.
func (c *Console) errorPage(w http.ResponseWriter, r *http.Request, a staff.Actor, status int, msg string) {
	v := c.view(r, a, "", "console.error.title", nil)
	v.Error = msg
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Retarget", "#messages")
		w.Header().Set("HX-Reswap", "innerHTML")
		c.execute(w, r, http.StatusOK, "error", "messages", v)
		return
	}
	c.render(w, r, status, "error", v)
}

// flash leaves a message for the next page the staff member sees.
func (c *Console) flash(r *http.Request, key string, args ...any) {
	c.sessions.Put(r.Context(), sessionFlash, locales.Text(c.lang(r), key, args...))
}

// back sends the browser to a page after an action (POST, redirect, GET).
func back(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, Prefix+path, http.StatusSeeOther)
}
