package staff

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The admin HTTP API: the same operations as the command line and Telegram, for scripts and
// other systems, with a bearer token per staff member (`bpubot staff token NAME`).
//
//	GET  /api/broadcasts              list, newest first (?limit=)
//	POST /api/broadcasts              create a draft: {"text_id", "text_en", "buttons", "segment"}
//	GET  /api/broadcasts/{id}         the broadcast and its delivery report
//	POST /api/broadcasts/{id}/preview recipients by channel and the exact messages
//	POST /api/broadcasts/{id}/send    confirm: now, or {"at": "2026-12-01T09:00:00+07:00"}
//	POST /api/broadcasts/{id}/cancel  cancel, also while sending
//	GET  /api/broadcasts/{id}/report  the delivery report
//
// Answers are JSON; an error is {"error": "..."} in the staff language, with 401 (no or a bad
// token), 403 (the role may not), 404, 409 (not in a state that allows it) or 422 (bad input).

// MountAPI adds the API's routes to mux.
func (s *Service) MountAPI(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/broadcasts", s.api(func(ctx context.Context, a Actor, r *http.Request) (int, any, error) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		bs, err := s.ListBroadcasts(ctx, a, limit)
		return http.StatusOK, bs, err
	}))
	mux.HandleFunc("POST /api/broadcasts", s.api(func(ctx context.Context, a Actor, r *http.Request) (int, any, error) {
		var d Draft
		if err := decodeBody(r, &d); err != nil {
			return 0, nil, err
		}
		b, err := s.CreateBroadcast(ctx, a, d)
		return http.StatusCreated, b, err
	}))
	mux.HandleFunc("GET /api/broadcasts/{id}", s.withID(func(ctx context.Context, a Actor, id int64, _ *http.Request) (int, any, error) {
		r, err := s.BroadcastReport(ctx, a, id)
		return http.StatusOK, r, err
	}))
	mux.HandleFunc("GET /api/broadcasts/{id}/report", s.withID(func(ctx context.Context, a Actor, id int64, _ *http.Request) (int, any, error) {
		r, err := s.BroadcastReport(ctx, a, id)
		return http.StatusOK, r, err
	}))
	mux.HandleFunc("POST /api/broadcasts/{id}/preview", s.withID(func(ctx context.Context, a Actor, id int64, _ *http.Request) (int, any, error) {
		p, err := s.PreviewBroadcast(ctx, a, id)
		return http.StatusOK, p, err
	}))
	mux.HandleFunc("POST /api/broadcasts/{id}/send", s.withID(func(ctx context.Context, a Actor, id int64, r *http.Request) (int, any, error) {
		var body struct {
			At *time.Time `json:"at"`
		}
		if r.ContentLength != 0 {
			if err := decodeBody(r, &body); err != nil {
				return 0, nil, err
			}
		}
		b, err := s.ConfirmBroadcast(ctx, a, id, body.At)
		return http.StatusOK, b, err
	}))
	mux.HandleFunc("POST /api/broadcasts/{id}/cancel", s.withID(func(ctx context.Context, a Actor, id int64, _ *http.Request) (int, any, error) {
		r, err := s.CancelBroadcast(ctx, a, id)
		return http.StatusOK, r, err
	}))
}

type apiFunc func(ctx context.Context, a Actor, r *http.Request) (int, any, error)

// api authenticates the bearer token and writes the answer.
func (s *Service) api(fn apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := s.staffLang()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bpubot"`)
			writeJSON(w, http.StatusUnauthorized, apiError{ErrorText(lang, ErrNotStaff)})
			return
		}
		a, err := s.ActorByToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			s.AuditRefusal(r.Context(), ViaAPI, "token", r.Method+" "+r.URL.Path)
			w.Header().Set("WWW-Authenticate", `Bearer realm="bpubot", error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, apiError{ErrorText(lang, ErrNotStaff)})
			return
		}
		status, body, err := fn(r.Context(), a, r)
		if err != nil {
			if !Known(err) {
				s.log().Error("admin API call failed", "path", r.URL.Path, "actor", a.Name, "err", err)
			}
			writeJSON(w, errorStatus(err), apiError{ErrorText(lang, err)})
			return
		}
		writeJSON(w, status, body)
	}
}

func (s *Service) withID(fn func(ctx context.Context, a Actor, id int64, r *http.Request) (int, any, error)) http.HandlerFunc {
	return s.api(func(ctx context.Context, a Actor, r *http.Request) (int, any, error) {
		id, ok := parseID(r.PathValue("id"))
		if !ok {
			return 0, nil, ErrNotFound
		}
		return fn(ctx, a, id, r)
	})
}

type apiError struct {
	Error string `json:"error"`
}

// errBadJSON is a request body that is not the JSON expected.
var errBadJSON = &InvalidError{Key: "staff.bad_json"}

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errBadJSON
	}
	return nil
}

func errorStatus(err error) int {
	switch {
	case errors.Is(err, ErrInvalid):
		return http.StatusUnprocessableEntity
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrState), errors.Is(err, ErrTakenByOther):
		return http.StatusConflict
	case errors.Is(err, ErrNotStaff), errors.Is(err, ErrBadLogin):
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
