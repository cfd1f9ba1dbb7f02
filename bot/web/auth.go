package web

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"bpubot/bot/staff"
	"bpubot/locales"
	"bpubot/models"
)

// Session keys.
const (
	sessionStaff = "staff_id"
	sessionFlash = "flash"
)

// langCookie holds the language a browser chose, logged in or not.
const langCookie = "bpubot_lang"

// lang is the language of the request: the browser's choice, else the configured one.
func (c *Console) lang(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil && locales.Supported(ck.Value) {
		return ck.Value
	}
	return c.cfg.Lang
}

// switchLang remembers the language chosen and goes back to the page it was chosen on.
func (c *Console) switchLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if !locales.Supported(lang) {
		lang = c.cfg.Lang
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: Prefix, MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: c.cfg.SecureCookie, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

// localPath is where to go back to: a console address, never another site ("//evil",
// "https://evil", "/console\evil" all become the dashboard).
func localPath(p string) string {
	if !strings.HasPrefix(p, Prefix+"/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return Prefix + "/"
	}
	return p
}

type loginForm struct {
	Name string
	Next string
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := c.actor(r); err == nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "login", c.view(r, staff.Actor{}, "", "console.login.title",
		loginForm{Next: r.URL.Query().Get("next")}))
}

// login checks a name and password with the staff service. Before that, the refused attempts
// of the last LoginWindow are counted, for the account and for the address: over either limit
// the attempt is refused without checking the password, so guessing stays slow however many
// processes serve the console (the counts are in the database).
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	name, password := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	form := loginForm{Name: name, Next: r.PostFormValue("next")}
	lang := c.lang(r)
	refuse := func(status int, msg string) {
		v := c.view(r, staff.Actor{}, "", "console.login.title", form)
		v.Error = msg
		c.render(w, r, status, "login", v)
	}
	if name == "" || password == "" {
		refuse(http.StatusUnprocessableEntity, locales.Text(lang, "console.login.missing"))
		return
	}
	account, address := strings.ToLower(name), clientAddress(r)
	db := c.svc.DB.WithContext(r.Context())
	now := c.now()
	byAccount, byAddress, err := models.LoginFailures(db, account, address, now.Add(-c.cfg.LoginWindow))
	if err != nil {
		c.fail(w, r, staff.Actor{}, err)
		return
	}
	if byAccount >= int64(c.cfg.LoginFailures) || byAddress >= int64(c.cfg.LoginAddressFailures) {
		why := "account"
		if byAccount < int64(c.cfg.LoginFailures) {
			why = "address"
		}
		c.svc.AuditLoginLimited(r.Context(), name, why)
		w.Header().Set("Retry-After", "900")
		refuse(http.StatusTooManyRequests, locales.Text(lang, "console.login.too_many", "minutes", int(c.cfg.LoginWindow/time.Minute)))
		return
	}
	a, err := c.svc.Login(r.Context(), name, password)
	if errors.Is(err, staff.ErrBadLogin) {
		if err := models.RecordLoginFailure(db, account, address, now); err != nil {
			c.log.Error("recording a refused console log-in failed", "err", err)
		}
		refuse(http.StatusUnauthorized, staff.ErrorText(lang, err))
		return
	}
	if err != nil {
		c.fail(w, r, staff.Actor{}, err)
		return
	}
	if err := models.ClearLoginFailures(db, account); err != nil {
		c.log.Error("clearing console log-in failures failed", "err", err)
	}
	// A new token at log-in: a session id planted before it is worth nothing after.
	if err := c.sessions.RenewToken(r.Context()); err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.sessions.Put(r.Context(), sessionStaff, a.ID)
	http.Redirect(w, r, localPath(form.Next), http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if a, err := c.actor(r); err == nil {
		c.svc.AuditLogout(r.Context(), a)
	}
	if err := c.sessions.Destroy(r.Context()); err != nil {
		c.fail(w, r, staff.Actor{}, err)
		return
	}
	c.sessions.Put(r.Context(), sessionFlash, locales.Text(c.lang(r), "console.login.logged_out"))
	http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
}

// clientAddress is the address a request came from. Behind a proxy that is the proxy's:
// limits per address then count everyone together, and the per-account limit still holds.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
