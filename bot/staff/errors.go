package staff

import (
	"errors"

	"bpubot/locales"
)

// ErrorText is what staff read for an error of the service, in lang: the problem with what they
// gave, or why it cannot be done. Any other error (the database, a bug) is a short apology;
// the caller logs it.
func ErrorText(lang string, err error) string {
	var inv *InvalidError
	switch {
	case errors.As(err, &inv):
		return locales.Text(lang, inv.Key, inv.Args...)
	case errors.Is(err, ErrForbidden):
		return locales.Text(lang, "staff.err_forbidden")
	case errors.Is(err, ErrNotStaff):
		return locales.Text(lang, "staff.not_staff")
	case errors.Is(err, ErrNotFound):
		return locales.Text(lang, "staff.err_not_found")
	case errors.Is(err, ErrState):
		return locales.Text(lang, "staff.err_state")
	case errors.Is(err, ErrBadLogin):
		return locales.Text(lang, "staff.err_bad_login")
	case errors.Is(err, ErrTakenByOther):
		return locales.Text(lang, "staff.err_taken_by_other")
	}
	return locales.Text(lang, "staff.err_failed")
}

// Known reports whether err is one of the service's own answers rather than a failure.
func Known(err error) bool {
	var inv *InvalidError
	return errors.As(err, &inv) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotStaff) ||
		errors.Is(err, ErrNotFound) || errors.Is(err, ErrState) || errors.Is(err, ErrBadLogin) || errors.Is(err, ErrTakenByOther)
}
