package payments

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"bpubot/flows/tariff"
	"bpubot/models"
)

// Webhook headers.
const (
	HeaderTimestamp = "X-Bpubot-Timestamp" // Unix seconds when the provider signed the request
	HeaderSignature = "X-Bpubot-Signature" // "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>"
)

// Webhook is POST /api/payments: the payment provider reports one payment.
//
// The provider signs each request with the shared secret: HMAC-SHA256 over the timestamp, a
// dot and the raw body, sent as HeaderSignature with the timestamp in HeaderTimestamp. A bad
// or missing signature, or a timestamp further than Window from now either way, gets 401 and
// nothing else. A body that is not a payment gets 400 with the reason; a payment already
// recorded under its reference, or the same signed request again, gets 200 "duplicate"; a new
// one 201 "recorded". Every payment goes through Intake.Record like a line of an import.
//
// Body, JSON:
//
//	{"reference": "TRX-2026-000123", "nik": "3201011203900001", "amount": 25200,
//	 "first_month": "2026-01", "last_month": "2026-03", "paid_at": "2026-01-05T10:30:00+07:00"}
//
// member_id may stand for nik; "months": 3 for first_month and last_month (three months from
// the first unpaid).
type Webhook struct {
	Intake  *Intake
	Secret  []byte
	Window  time.Duration // replay window, e.g. 5 minutes
	MaxBody int64         // bytes
	Log     *slog.Logger
}

// webhookBody is the payment a provider sends.
type webhookBody struct {
	Reference  string `json:"reference"`
	NIK        string `json:"nik"`
	MemberID   int64  `json:"member_id"`
	Amount     int64  `json:"amount"`
	Months     int    `json:"months"`
	FirstMonth string `json:"first_month"`
	LastMonth  string `json:"last_month"`
	PaidAt     string `json:"paid_at"`
}

type webhookReply struct {
	Status     string `json:"status,omitempty"` // recorded, duplicate
	Error      string `json:"error,omitempty"`  // a problem code
	Message    string `json:"message,omitempty"`
	Reference  string `json:"reference,omitempty"`
	PaymentID  int64  `json:"payment_id,omitempty"`
	MemberID   int64  `json:"member_id,omitempty"`
	FirstMonth string `json:"first_month,omitempty"`
	LastMonth  string `json:"last_month,omitempty"`
	Amount     int64  `json:"amount,omitempty"`
}

// Sign returns the HeaderSignature value for a body sent at ts: what the provider computes.
func Sign(secret []byte, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.reply(w, http.StatusRequestEntityTooLarge, webhookReply{Error: "body_too_large", Message: "body over " + strconv.FormatInt(h.MaxBody, 10) + " bytes"})
		return
	case err != nil:
		h.reply(w, http.StatusBadRequest, webhookReply{Error: "unreadable", Message: "the body could not be read"})
		return
	}
	now := h.Intake.now()
	sig, ok := h.verify(r.Header, body, now)
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	ctx := r.Context()
	db := h.Intake.DB.WithContext(ctx)
	seen, err := models.WebhookRequestSeen(db, sig)
	if err != nil {
		h.fail(w, err)
		return
	}
	if seen {
		h.reply(w, http.StatusOK, webhookReply{Status: "duplicate"})
		return
	}
	l, perr := parseWebhookBody(body)
	if perr != nil {
		h.reply(w, http.StatusBadRequest, webhookReply{Error: perr.Code, Message: perr.Text("en")})
		return
	}
	res, err := h.Intake.Record(ctx, Batch{Source: models.PaymentWebhook, Actor: "provider", Lines: []Line{l}}, nil)
	if ps, ok := AsProblems(err); ok {
		h.reply(w, http.StatusBadRequest, webhookReply{Error: ps[0].Code, Message: ps[0].Text("en"), Reference: l.Reference})
		return
	} else if err != nil {
		h.fail(w, err)
		return
	}
	if err := models.RememberWebhookRequest(db, sig, l.Reference, now, 2*h.Window); err != nil {
		// The payment is recorded; a replay will find its reference instead.
		h.Log.Warn("payments webhook: could not remember a request signature", "reference", l.Reference, "err", err)
	}
	if len(res.Written) == 0 {
		h.reply(w, http.StatusOK, webhookReply{Status: "duplicate", Reference: l.Reference})
		return
	}
	p := res.Written[0]
	h.Log.Info("payment recorded from the provider", "reference", p.Reference, "payment", p.ID, "member", p.MemberID)
	h.reply(w, http.StatusCreated, webhookReply{Status: "recorded", Reference: p.Reference, PaymentID: p.ID, MemberID: p.MemberID,
		FirstMonth: YearMonth(p.FirstMonth).String(), LastMonth: YearMonth(p.LastMonth).String(), Amount: p.Amount})
}

// verify checks the signature and the timestamp's window, in constant time for the signature.
// It returns the signature as sent, to remember it.
func (h *Webhook) verify(hdr http.Header, body []byte, now time.Time) (string, bool) {
	raw, sig := hdr.Get(HeaderTimestamp), hdr.Get(HeaderSignature)
	secs, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || !strings.HasPrefix(sig, "sha256=") {
		return "", false
	}
	ts := time.Unix(secs, 0)
	if !hmac.Equal([]byte(sig), []byte(Sign(h.Secret, ts, body))) {
		return "", false
	}
	if d := now.Sub(ts); d > h.Window || d < -h.Window {
		return "", false
	}
	return sig, true
}

// parseWebhookBody reads a payment; unknown fields are refused, so a misspelt field fails
// loudly instead of being dropped.
func parseWebhookBody(body []byte) (Line, *Problem) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var b webhookBody
	if err := dec.Decode(&b); err != nil {
		return Line{}, &Problem{Code: "body_invalid", Args: []any{"reason", err.Error()}}
	}
	if dec.More() {
		return Line{}, &Problem{Code: "body_invalid", Args: []any{"reason", "more than one JSON value"}}
	}
	l := Line{NIK: b.NIK, MemberID: b.MemberID, Amount: b.Amount, Count: b.Months, Reference: strings.TrimSpace(b.Reference)}
	switch {
	case b.FirstMonth != "" && b.Months != 0:
		return Line{}, &Problem{Code: "body_invalid", Args: []any{"reason", "give months, or first_month and last_month, not both"}}
	case b.FirstMonth != "":
		var err error
		if l.First, err = tariff.ParseYearMonth(b.FirstMonth); err != nil {
			return Line{}, &Problem{Code: codeMonthsInvalid, Args: []any{"value", b.FirstMonth}}
		}
		l.Last = l.First
		if b.LastMonth != "" {
			if l.Last, err = tariff.ParseYearMonth(b.LastMonth); err != nil {
				return Line{}, &Problem{Code: codeMonthsInvalid, Args: []any{"value", b.LastMonth}}
			}
		}
	}
	if b.PaidAt == "" {
		return Line{}, &Problem{Code: codePaidAtMissing}
	}
	t, err := time.Parse(time.RFC3339, b.PaidAt)
	if err != nil {
		return Line{}, &Problem{Code: codePaidAtInvalid, Args: []any{"value", b.PaidAt}}
	}
	l.PaidAt = t
	return l, nil
}

func (h *Webhook) reply(w http.ResponseWriter, status int, body webhookReply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (h *Webhook) fail(w http.ResponseWriter, err error) {
	h.Log.Error("payments webhook failed", "err", err)
	h.reply(w, http.StatusInternalServerError, webhookReply{Error: "internal", Message: "try again later"})
}
