// Package web is the staff console: server-rendered pages at /console on bpubot's HTTP server,
// for branch and partner staff with a browser or only a phone. It is another face of the staff
// service (bot/staff): every page and every button calls the service's operations, which check
// the role and write the audit log; this package adds only what is the web's own: log-in and
// sessions (in the database, shared by every serve process), cross-origin protection, the
// pages, the charts (SVG drawn here) and the posters (bot/poster).
//
// The files: web.go (Console, routes, middleware), auth.go (log-in, log-out, sessions, the
// language switch), render.go (templates, what every page gets), segment.go (the segment form
// of broadcasts and exports), chart.go (SVG charts), and one file per section: dashboard.go,
// workers.go, broadcasts.go, handoffs.go, partners.go, exports.go.
package web

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"bpubot/bot/staff"
	"bpubot/flows/tariff"
	"bpubot/locales"
	"bpubot/models"

	"github.com/alexedwards/scs/v2"
)

// Prefix is where the console lives on the HTTP server.
const Prefix = "/console"

// Config is the console's part of bpubot's configuration.
type Config struct {
	// SecureCookie marks the session cookie Secure: browsers send it over HTTPS only. Turn it
	// off only to use the console over plain HTTP on a trusted network (or localhost).
	SecureCookie bool
	// SessionLifetime is how long a log-in lasts at most; SessionIdle how long it lasts unused.
	SessionLifetime time.Duration
	SessionIdle     time.Duration
	// LoginFailures is how many wrong passwords an account may have, LoginAddressFailures how
	// many a network address may have, within LoginWindow, before log-ins are refused until
	// the window has passed.
	LoginFailures        int
	LoginAddressFailures int
	LoginWindow          time.Duration
	// TelegramBot (the bot's username) and WhatsAppNumber (+62…) make partners' sign-up links
	// and posters; either may be empty.
	TelegramBot    string
	WhatsAppNumber string
	// Lang is the language of a browser that has not chosen one.
	Lang string
}

// DefaultConfig is the configuration without a file.
func DefaultConfig() Config {
	return Config{SecureCookie: true, SessionLifetime: 12 * time.Hour, SessionIdle: 2 * time.Hour,
		LoginFailures: 5, LoginAddressFailures: 20, LoginWindow: 15 * time.Minute, Lang: locales.Default}
}

// Console serves the pages. Build it with New.
type Console struct {
	svc      *staff.Service
	tariff   *tariff.Tariff
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	sessions *scs.SessionManager
	pages    map[string]map[string]*pageTemplate // lang -> page -> template
	static   fs.FS
	handler  http.Handler
}

// New builds the console on the staff service (its database holds the sessions).
func New(svc *staff.Service, tf *tariff.Tariff, cfg Config, log *slog.Logger) (*Console, error) {
	if log == nil {
		log = slog.Default()
	}
	if tf == nil {
		tf = tariff.Default()
	}
	if !locales.Supported(cfg.Lang) {
		cfg.Lang = locales.Default
	}
	c := &Console{svc: svc, tariff: tf, cfg: cfg, log: log, now: time.Now}
	if svc.Clock != nil {
		c.now = svc.Clock.Now
	}
	var err error
	if c.pages, err = parsePages(c); err != nil {
		return nil, err
	}
	if c.static, err = fs.Sub(assets, "static"); err != nil {
		return nil, err
	}
	c.sessions = scs.New()
	// Expiry is judged by the wall clock, as scs sets it.
	c.sessions.Store = &models.SessionStore{DB: svc.DB}
	c.sessions.Lifetime, c.sessions.IdleTimeout = cfg.SessionLifetime, cfg.SessionIdle
	c.sessions.Cookie.Name = "bpubot_console"
	c.sessions.Cookie.Path = Prefix
	c.sessions.Cookie.HttpOnly = true
	// Gone when the browser closes: consoles are opened on shared office computers.
	c.sessions.Cookie.Persist = false
	c.sessions.Cookie.Secure = cfg.SecureCookie
	c.sessions.Cookie.SameSite = http.SameSiteLaxMode
	c.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		c.log.Error("console session failed", "path", r.URL.Path, "err", err)
		http.Error(w, locales.Text(c.lang(r), "console.error.failed"), http.StatusInternalServerError)
	}
	c.handler = c.routes()
	return c, nil
}

// Mount adds the console to mux.
func (c *Console) Mount(mux *http.ServeMux) {
	mux.Handle(Prefix+"/", c.handler)
	mux.Handle("GET "+Prefix, http.RedirectHandler(Prefix+"/", http.StatusMovedPermanently))
}

// ServeHTTP serves the console's routes (everything under Prefix).
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.handler.ServeHTTP(w, r) }

// routes: every page and action behind the staff session, except log-in, the language
// switch and the static files; every state-changing request behind the cross-origin check.
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Prefix+"/login", c.loginPage)
	mux.HandleFunc("POST "+Prefix+"/login", c.login)
	mux.HandleFunc("POST "+Prefix+"/logout", c.logout)
	mux.HandleFunc("POST "+Prefix+"/lang", c.switchLang)

	c.page(mux, "GET /{$}", c.dashboard)
	c.page(mux, "GET /workers", c.workers)
	c.page(mux, "GET /workers/{id}", c.worker)
	c.page(mux, "POST /workers/{id}/reveal", c.reveal)
	c.page(mux, "GET /broadcasts", c.broadcasts)
	c.page(mux, "GET /broadcasts/new", c.composer)
	c.page(mux, "GET /broadcasts/count", c.segmentCount)
	c.page(mux, "POST /broadcasts", c.createBroadcast)
	c.page(mux, "GET /broadcasts/{id}", c.broadcast)
	c.page(mux, "GET /broadcasts/{id}/edit", c.editBroadcast)
	c.page(mux, "POST /broadcasts/{id}", c.updateBroadcast)
	c.page(mux, "GET /broadcasts/{id}/progress", c.broadcastProgress)
	c.page(mux, "POST /broadcasts/{id}/send", c.sendBroadcast)
	c.page(mux, "POST /broadcasts/{id}/cancel", c.cancelBroadcast)
	c.page(mux, "GET /handoffs", c.handoffs)
	c.page(mux, "GET /handoffs/queue", c.handoffQueue)
	c.page(mux, "GET /handoffs/{id}", c.handoff)
	c.page(mux, "GET /handoffs/{id}/messages", c.handoffMessages)
	c.page(mux, "POST /handoffs/{id}/take", c.takeHandoff)
	c.page(mux, "POST /handoffs/{id}/reply", c.replyHandoff)
	c.page(mux, "POST /handoffs/{id}/close", c.closeHandoff)
	c.page(mux, "GET /partners", c.partners)
	c.page(mux, "POST /partners", c.addPartner)
	c.page(mux, "POST /partners/{code}/disable", c.disablePartner)
	c.page(mux, "POST /partners/{code}/enable", c.enablePartner)
	c.page(mux, "GET /partners/{code}/poster.png", c.posterPNG)
	c.page(mux, "GET /partners/{code}/poster.pdf", c.posterPDF)
	c.page(mux, "GET /exports", c.exports)
	c.page(mux, "GET /exports/count", c.exportCount)
	c.page(mux, "GET /exports/members", c.exportMembers)
	c.page(mux, "GET /regencies", c.regencies)
	mux.HandleFunc(Prefix+"/", c.notFound)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(c.crossOrigin))
	// Static files need no session (and no database round trip); for the rest, sessions load
	// first, so the page that refuses a cross-origin request knows its reader.
	top := http.NewServeMux()
	static := http.StripPrefix(Prefix+"/static/", http.FileServerFS(c.static))
	top.Handle("GET "+Prefix+"/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		static.ServeHTTP(w, r)
	}))
	top.Handle(Prefix+"/", c.sessions.LoadAndSave(csrf.Handler(mux)))
	return headers(top)
}

// staffHandler is a page or action for a logged-in staff member.
type staffHandler func(w http.ResponseWriter, r *http.Request, a staff.Actor)

// page registers a staff page: without a session, or for someone no longer on the staff, it
// sends the browser to log in (htmx requests are told to go there).
func (c *Console) page(mux *http.ServeMux, pattern string, h staffHandler) {
	method, path, _ := strings.Cut(pattern, " ")
	mux.HandleFunc(method+" "+Prefix+path, func(w http.ResponseWriter, r *http.Request) {
		a, err := c.actor(r)
		if err != nil {
			if !errors.Is(err, staff.ErrNotStaff) {
				c.fail(w, r, staff.Actor{}, err)
				return
			}
			c.toLogin(w, r)
			return
		}
		h(w, r, a)
	})
}

// actor is the staff member of the request's session, read again from the database.
func (c *Console) actor(r *http.Request) (staff.Actor, error) {
	id := c.sessions.GetInt64(r.Context(), sessionStaff)
	if id == 0 {
		return staff.Actor{}, staff.ErrNotStaff
	}
	a, err := c.svc.ActorByID(r.Context(), id)
	if errors.Is(err, staff.ErrNotStaff) {
		// Disabled, or their password removed, since they logged in: the session ends.
		_ = c.sessions.Destroy(r.Context())
	}
	return a, err
}

func (c *Console) toLogin(w http.ResponseWriter, r *http.Request) {
	to := Prefix + "/login"
	if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// headers adds what every answer of the console carries: pages hold personal data, so no
// cache keeps them and no other site frames them; scripts and styles only from the console.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if !strings.HasPrefix(r.URL.Path, Prefix+"/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin answers a state-changing request from another site (a forged form): refused,
// and logged without anything the request carried but its path and origin.
func (c *Console) crossOrigin(w http.ResponseWriter, r *http.Request) {
	c.log.Warn("console: cross-origin request refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"),
		"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	c.errorPage(w, r, staff.Actor{}, http.StatusForbidden, locales.Text(c.lang(r), "console.error.cross_origin"))
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	a, _ := c.actor(r)
	c.errorPage(w, r, a, http.StatusNotFound, locales.Text(c.lang(r), "console.error.not_found"))
}

// fail answers an error of the service: what staff gave that cannot be used, what the role
// may not, what is not there (or not theirs), what the state does not allow; anything else is
// logged and answered with an apology.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, a staff.Actor, err error) {
	lang := c.lang(r)
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, staff.ErrInvalid):
		status = http.StatusUnprocessableEntity
	case errors.Is(err, staff.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, staff.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, staff.ErrState), errors.Is(err, staff.ErrTakenByOther):
		status = http.StatusConflict
	case errors.Is(err, context.Canceled):
		return // the browser went away
	default:
		c.log.Error("console page failed", "path", r.URL.Path, "actor", a.Name, "err", err)
		c.errorPage(w, r, a, status, locales.Text(lang, "console.error.failed"))
		return
	}
	c.errorPage(w, r, a, status, staff.ErrorText(lang, err))
}
