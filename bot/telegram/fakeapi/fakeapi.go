// Package fakeapi is an in-process stand-in for the Telegram Bot API, for bpubot's tests and
// its load command. It speaks what github.com/go-telegram/bot sends: POST /bot<token>/<method>
// with a multipart form body whose object fields (reply_markup, commands, allowed_updates) are
// JSON. It keeps what the bot sent, per chat; hands workers' updates to the bot through
// getUpdates, or posts them to the webhook the bot set; fails calls on request; and, like
// Telegram, answers 429 with retry_after when the bot sends faster than its limit.
//
// Only the methods bpubot uses are implemented: getMe, getUpdates, setWebhook, deleteWebhook,
// setMyCommands, sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery.
package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Token is the bot token the fake accepts unless Options say otherwise.
const Token = "123456:fake-token"

// BotID is the fake bot's user id (the number before the colon of Token).
const BotID = 123456

// Options configure a Server.
type Options struct {
	Token string
	// RateLimit, when above 0, is how many sendMessage calls the fake accepts in any one-second
	// window, over all chats; beyond it the call gets a 429 with retry_after 1, as Telegram's
	// bulk limit does.
	RateLimit int
	// DropHistory keeps only the last message of each chat (the load command: many users).
	DropHistory bool
	// ChatInterval, when above 0, is the least time Telegram wants between two messages to one
	// chat; sends closer together are counted (Violations), not refused.
	ChatInterval time.Duration
	// DeliverTo, when set, is where webhook updates are posted whatever URL the bot set: the
	// load balancer or TLS proxy in front of the bot's processes.
	DeliverTo string
}

// Server is the fake Bot API. Its zero value is not usable: call New.
type Server struct {
	// URL is the server URL to give the bot (telegram.server_url).
	URL   string
	Token string

	opts Options
	srv  *httptest.Server
	http *http.Client // for webhook deliveries

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced whenever anything is recorded
	nextUpdate  int64
	updates     []update // waiting for getUpdates, in order
	polls       int      // getUpdates calls seen
	offset      int64    // the highest getUpdates offset seen: every update before it is confirmed
	chats       map[int64]*chat
	nextMsgID   int
	calls       map[string]int
	fail        func(Call) *Error
	onSend      func(Message)
	webhook     string
	secret      string
	allowed     []string
	commands    map[string][]Command      // by language_code ("" for the default)
	sends       []time.Time               // arrival times of accepted sendMessage calls
	windowStart int                       // first of sends less than a second old, for RateLimit
	rejected    int                       // 429s given for going over RateLimit
	early       int                       // sends to a chat before the retry_after it was given ran out
	tooClose    int                       // sends to a chat less than ChatInterval after the last one
	answers     map[string]CallbackAnswer // answerCallbackQuery calls, by callback query id
	closed      bool
}

// CallbackAnswer is the bot's answer to a pressed button (answerCallbackQuery).
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
}

type chat struct {
	messages   []Message
	retryUntil time.Time // a 429 was given to this chat; nothing may come before this
	lastSend   time.Time
}

type update struct {
	id   int64
	body []byte
}

// Message is what the bot sent to a chat, as it now stands (edits applied).
type Message struct {
	ID      int
	ChatID  int64
	Text    string
	Buttons []Button // the inline keyboard, row by row, flattened
	// ContactButton, ReplyButtons and RemoveKeyboard describe a reply keyboard: a "share my
	// contact" button, other buttons' texts, or the removal of the keyboard.
	ContactButton  bool
	ReplyButtons   []string
	RemoveKeyboard bool
	Edited         bool
	At             time.Time
}

// Button is one inline keyboard button.
type Button struct {
	Text string
	Data string
}

// Data returns the callback data of the button labelled text, or "".
func (m Message) Data(text string) string {
	for _, b := range m.Buttons {
		if b.Text == text {
			return b.Data
		}
	}
	return ""
}

// HasData reports whether the inline keyboard has a button with callback data data.
func (m Message) HasData(data string) bool {
	return slices.ContainsFunc(m.Buttons, func(b Button) bool { return b.Data == data })
}

// Call is one API call as the fake received it.
type Call struct {
	Method string
	ChatID int64
	Form   url.Values
}

// Error is an API error to answer a call with.
type Error struct {
	Code        int
	Description string
	RetryAfter  int // seconds, for 429
}

// Command is one bot command set with setMyCommands.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// New starts a fake Bot API on a local port. Close it when done.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = Token
	}
	s := &Server{
		Token: opts.Token, opts: opts, changed: make(chan struct{}),
		// Update ids go on from where the last fake left off, as they do for one bot in
		// Telegram: a database reused across runs has not seen them.
		nextUpdate: time.Now().UnixMicro(),
		chats:      map[int64]*chat{}, calls: map[string]int{}, commands: map[string][]Command{},
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Config.ReadHeaderTimeout = 10 * time.Second
	s.srv.Start()
	s.URL = s.srv.URL
	return s
}

// Close wakes every waiting getUpdates and shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.notifyLocked()
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Fail decides, for every call, whether it fails and how; nil lets everything through.
func (s *Server) Fail(fn func(Call) *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fn
}

// OnSend is called with every message the bot sends (not edits), after it is recorded.
func (s *Server) OnSend(fn func(Message)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onSend = fn
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wait returns when cond holds, checking it after every change the fake records, or fails
// when ctx ends first. cond must not block.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Answer returns the bot's answer to the press with callback query id, if it answered.
func (s *Server) Answer(id string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.answers[id]
	return a, ok
}

// Messages returns what the bot sent to chatID, oldest first.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	return slices.Clone(c.messages)
}

// Calls counts calls of a method.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Polls counts getUpdates calls: above 0 once the bot is polling.
func (s *Server) Polls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls
}

// Confirmed reports whether the bot has confirmed update id: asked getUpdates for a later offset,
// after which Telegram forgets the update.
func (s *Server) Confirmed(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset > id
}

// Webhook returns the webhook URL and secret token the bot set.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook, s.secret
}

// AllowedUpdates returns the update types the bot asked for, by setWebhook or getUpdates.
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.allowed)
}

// Commands returns the commands set for a language ("" for the default).
func (s *Server) Commands(lang string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[lang])
}

// Violations counts what Telegram would hold against the bot: sends refused for going over
// RateLimit, and sends to a chat before the retry_after it was given ran out.
func (s *Server) Violations() (overLimit, early int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected, s.early
}

// TooClose counts sends to a chat less than ChatInterval after the one before.
func (s *Server) TooClose() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tooClose
}

// MaxPerSecond is the most sendMessage calls the fake accepted in any one-second window
// (sliding, by arrival time).
func (s *Server) MaxPerSecond() int {
	s.mu.Lock()
	times := slices.Clone(s.sends)
	s.mu.Unlock()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, lo := 0, 0
	for hi, t := range times {
		for t.Sub(times[lo]) >= time.Second {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// Sent counts accepted sendMessage calls.
func (s *Server) Sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sends)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || token != s.Token {
		writeError(w, &Error{Code: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	form, err := readForm(r)
	if err != nil {
		writeError(w, &Error{Code: http.StatusBadRequest, Description: "Bad Request: " + err.Error()})
		return
	}
	call := Call{Method: method, Form: form}
	call.ChatID, _ = strconv.ParseInt(form.Get("chat_id"), 10, 64)

	s.mu.Lock()
	fail := s.fail
	if method != "getUpdates" {
		s.calls[method]++
		s.notifyLocked()
	}
	s.mu.Unlock()
	if method == "getUpdates" {
		if fail != nil {
			if e := fail(call); e != nil {
				s.mu.Lock()
				s.calls[method]++
				s.notifyLocked()
				s.mu.Unlock()
				writeError(w, e)
				return
			}
		}
		s.getUpdates(w, r, form)
		return
	}
	if fail != nil {
		if e := fail(call); e != nil {
			if e.Code == http.StatusTooManyRequests && call.ChatID != 0 {
				s.retryAfter(call.ChatID, e.RetryAfter)
			}
			writeError(w, e)
			return
		}
	}
	switch method {
	case "getMe":
		writeResult(w, apiUser{ID: BotID, IsBot: true, FirstName: "bpubot", Username: "bpubot_test_bot"})
	case "deleteWebhook":
		s.mu.Lock()
		s.webhook, s.secret = "", ""
		s.mu.Unlock()
		writeResult(w, true)
	case "setWebhook":
		var allowed []string
		_ = json.Unmarshal([]byte(form.Get("allowed_updates")), &allowed)
		s.mu.Lock()
		s.webhook, s.secret, s.allowed = form.Get("url"), form.Get("secret_token"), allowed
		s.notifyLocked()
		s.mu.Unlock()
		writeResult(w, true)
	case "setMyCommands":
		var cmds []Command
		if err := json.Unmarshal([]byte(form.Get("commands")), &cmds); err != nil {
			writeError(w, &Error{Code: 400, Description: "Bad Request: can't parse commands JSON object"})
			return
		}
		s.mu.Lock()
		s.commands[form.Get("language_code")] = cmds
		s.notifyLocked()
		s.mu.Unlock()
		writeResult(w, true)
	case "answerCallbackQuery":
		if form.Get("callback_query_id") == "" {
			writeError(w, &Error{Code: 400, Description: "Bad Request: query is too old and response timeout expired or query ID is invalid"})
			return
		}
		s.mu.Lock()
		if s.answers == nil {
			s.answers = map[string]CallbackAnswer{}
		}
		s.answers[form.Get("callback_query_id")] = CallbackAnswer{Text: form.Get("text"), ShowAlert: form.Get("show_alert") == "true"}
		s.notifyLocked()
		s.mu.Unlock()
		writeResult(w, true)
	case "sendMessage":
		s.sendMessage(w, call)
	case "editMessageText", "editMessageReplyMarkup":
		s.editMessage(w, call)
	default:
		writeError(w, &Error{Code: http.StatusNotFound, Description: "Not Found"})
	}
}

// retryAfter records that chat was told to wait n seconds.
func (s *Server) retryAfter(chatID int64, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat(chatID).retryUntil = time.Now().Add(time.Duration(n) * time.Second)
}

func (s *Server) chat(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{}
		s.chats[id] = c
	}
	return c
}

func (s *Server) sendMessage(w http.ResponseWriter, call Call) {
	text := call.Form.Get("text")
	if call.ChatID == 0 {
		writeError(w, &Error{Code: 400, Description: "Bad Request: chat not found"})
		return
	}
	if strings.TrimSpace(text) == "" {
		writeError(w, &Error{Code: 400, Description: "Bad Request: message text is empty"})
		return
	}
	if n := utf8.RuneCountInString(text); n > 4096 {
		writeError(w, &Error{Code: 400, Description: "Bad Request: message is too long"})
		return
	}
	m := Message{ChatID: call.ChatID, Text: text}
	if err := m.applyMarkup(call.Form.Get("reply_markup")); err != nil {
		writeError(w, &Error{Code: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	s.mu.Lock()
	now := time.Now() // under the lock: sends are recorded in time order
	c := s.chat(call.ChatID)
	if now.Before(c.retryUntil) {
		s.early++
		wait := int(c.retryUntil.Sub(now).Seconds()) + 1
		s.notifyLocked()
		s.mu.Unlock()
		writeError(w, &Error{Code: 429, Description: "Too Many Requests: retry after " + strconv.Itoa(wait), RetryAfter: wait})
		return
	}
	if s.opts.RateLimit > 0 {
		for s.windowStart < len(s.sends) && now.Sub(s.sends[s.windowStart]) >= time.Second {
			s.windowStart++
		}
		if len(s.sends)-s.windowStart >= s.opts.RateLimit {
			s.rejected++
			s.notifyLocked()
			s.mu.Unlock()
			writeError(w, &Error{Code: 429, Description: "Too Many Requests: retry after 1", RetryAfter: 1})
			return
		}
	}
	if s.opts.ChatInterval > 0 && !c.lastSend.IsZero() && now.Sub(c.lastSend) < s.opts.ChatInterval {
		s.tooClose++
	}
	c.lastSend = now
	s.nextMsgID++
	m.ID, m.At = s.nextMsgID, now
	if s.opts.DropHistory {
		c.messages = append(c.messages[:0], m)
	} else {
		c.messages = append(c.messages, m)
	}
	s.sends = append(s.sends, now)
	onSend := s.onSend
	s.notifyLocked()
	s.mu.Unlock()
	if onSend != nil {
		onSend(m)
	}
	writeResult(w, m.apiMessage())
}

func (s *Server) editMessage(w http.ResponseWriter, call Call) {
	id, _ := strconv.Atoi(call.Form.Get("message_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[call.ChatID]
	i := -1
	if c != nil {
		i = slices.IndexFunc(c.messages, func(m Message) bool { return m.ID == id })
	}
	if i < 0 {
		writeError(w, &Error{Code: 400, Description: "Bad Request: message to edit not found"})
		return
	}
	m := c.messages[i]
	if m.ContactButton || len(m.ReplyButtons) > 0 || m.RemoveKeyboard {
		writeError(w, &Error{Code: 400, Description: "Bad Request: message can't be edited"})
		return
	}
	edited := m
	edited.Buttons = nil
	if call.Method == "editMessageText" {
		edited.Text = call.Form.Get("text")
	}
	if err := edited.applyMarkup(call.Form.Get("reply_markup")); err != nil {
		writeError(w, &Error{Code: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	if edited.ContactButton || len(edited.ReplyButtons) > 0 || edited.RemoveKeyboard {
		writeError(w, &Error{Code: 400, Description: "Bad Request: inline keyboard expected"})
		return
	}
	if edited.Text == m.Text && slices.Equal(edited.Buttons, m.Buttons) {
		writeError(w, &Error{Code: 400, Description: "Bad Request: message is not modified"})
		return
	}
	edited.Edited = true
	c.messages[i] = edited
	s.notifyLocked()
	writeResult(w, edited.apiMessage())
}

// applyMarkup reads a reply_markup field as the Bot API does.
func (m *Message) applyMarkup(raw string) error {
	if raw == "" {
		return nil
	}
	var rm struct {
		InlineKeyboard [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
		} `json:"inline_keyboard"`
		Keyboard [][]struct {
			Text           string `json:"text"`
			RequestContact bool   `json:"request_contact"`
		} `json:"keyboard"`
		RemoveKeyboard bool `json:"remove_keyboard"`
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&rm); err != nil {
		return fmt.Errorf("can't parse reply keyboard markup JSON object")
	}
	for _, row := range rm.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return fmt.Errorf("text buttons are unallowed in the inline keyboard")
			}
			if b.CallbackData == nil || len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64 {
				return fmt.Errorf("BUTTON_DATA_INVALID")
			}
			m.Buttons = append(m.Buttons, Button{Text: b.Text, Data: *b.CallbackData})
		}
	}
	for _, row := range rm.Keyboard {
		for _, b := range row {
			if b.RequestContact {
				m.ContactButton = true
			} else {
				m.ReplyButtons = append(m.ReplyButtons, b.Text)
			}
		}
	}
	m.RemoveKeyboard = rm.RemoveKeyboard
	return nil
}

// apiMessage is the Message object the Bot API returns.
func (m Message) apiMessage() apiMessage {
	msg := apiMessage{
		MessageID: m.ID, From: botUser, Chat: apiChat{ID: m.ChatID, Type: "private"},
		Date: m.At.Unix(), Text: m.Text,
	}
	if len(m.Buttons) > 0 {
		rows := make([][1]inlineButton, len(m.Buttons)) // a button a row
		for i, b := range m.Buttons {
			rows[i][0] = inlineButton{Text: b.Text, CallbackData: b.Data}
		}
		msg.ReplyMarkup = &inlineKeyboard{InlineKeyboard: rows}
	}
	if m.Edited {
		msg.EditDate = time.Now().Unix()
	}
	return msg
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, form url.Values) {
	offset, _ := strconv.ParseInt(form.Get("offset"), 10, 64)
	limit, _ := strconv.Atoi(form.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(form.Get("timeout"))
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	var allowed []string
	_ = json.Unmarshal([]byte(form.Get("allowed_updates")), &allowed)
	s.mu.Lock()
	s.polls++
	s.calls["getUpdates"]++
	s.offset = max(s.offset, offset)
	if allowed != nil {
		s.allowed = allowed
	}
	s.notifyLocked()
	s.mu.Unlock()
	for {
		s.mu.Lock()
		if s.webhook != "" {
			s.mu.Unlock()
			writeError(w, &Error{Code: http.StatusConflict, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})
			return
		}
		// An offset confirms every update before it.
		n := 0
		for n < len(s.updates) && s.updates[n].id < offset {
			n++
		}
		s.updates = s.updates[n:]
		batch := s.updates[:min(limit, len(s.updates))]
		ch, closed := s.changed, s.closed
		if len(batch) > 0 || timeout == 0 || closed {
			size := len(`{"ok":true,"result":[]}`) + len(batch)
			for _, u := range batch {
				size += len(u.body)
			}
			buf := make([]byte, 0, size)
			buf = append(buf, `{"ok":true,"result":[`...)
			for i, u := range batch {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, u.body...)
			}
			buf = append(buf, `]}`...)
			s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(buf)
			return
		}
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			timeout = 0
		case <-r.Context().Done():
			return
		}
	}
}

// NewUpdate returns a fresh update id and the update's JSON, made by build from that id,
// without delivering it (Push does both).
func (s *Server) NewUpdate(build func(id int64) any) (int64, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newUpdateLocked(build)
}

func (s *Server) newUpdateLocked(build func(id int64) any) (int64, []byte) {
	s.nextUpdate++
	body, err := json.Marshal(build(s.nextUpdate))
	if err != nil {
		panic(err) // our own types
	}
	return s.nextUpdate, body
}

// Push makes an update and delivers it. As in Telegram, updates queue in the order of their
// ids, which getUpdates relies on: its offset confirms every update before it.
func (s *Server) Push(build func(id int64) any) int64 {
	s.mu.Lock()
	id, body := s.newUpdateLocked(build)
	post := s.deliverLocked(id, body)
	s.mu.Unlock()
	post()
	return id
}

// Deliver hands an update made by NewUpdate to the bot: queued for getUpdates, or posted to
// the webhook when one is set. Delivering an update twice is what Telegram does when it was
// not confirmed.
func (s *Server) Deliver(id int64, body []byte) {
	s.mu.Lock()
	post := s.deliverLocked(id, body)
	s.mu.Unlock()
	post()
}

// deliverLocked queues an update for getUpdates or, when a webhook is set, returns the post
// to make once s.mu is released.
func (s *Server) deliverLocked(id int64, body []byte) (post func()) {
	if s.webhook == "" {
		s.updates = append(s.updates, update{id: id, body: body})
		s.notifyLocked()
		return func() {}
	}
	hook, secret := s.webhook, s.secret
	if s.opts.DeliverTo != "" {
		hook = s.opts.DeliverTo
	}
	return func() { go s.postUntilTaken(hook, secret, body) }
}

// postUntilTaken posts an update to the webhook until it is answered 2xx, as Telegram does,
// with growing waits (up to 5s), for up to about five minutes or until the fake closes.
func (s *Server) postUntilTaken(hook, secret string, body []byte) {
	wait := 100 * time.Millisecond
	for range 80 {
		status, err := s.PostWebhook(context.Background(), hook, secret, body)
		if err == nil && status >= 200 && status < 300 {
			return
		}
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return
		}
		time.Sleep(wait)
		wait = min(2*wait, 5*time.Second)
	}
}

// PostWebhook posts an update body to a webhook URL with a secret token header (none when
// secret is ""), as Telegram does, and returns the status code.
func (s *Server) PostWebhook(ctx context.Context, hook, secret string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// readForm reads a Bot API request body: multipart (what go-telegram/bot sends), URL-encoded,
// or JSON, as the real Bot API accepts all three.
func readForm(r *http.Request) (url.Values, error) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		boundary := params["boundary"]
		if boundary == "" {
			return nil, http.ErrMissingBoundary
		}
		return readMultipart(multipart.NewReader(r.Body, boundary))
	case "application/json":
		var raw map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return nil, err
		}
		form := url.Values{}
		for k, v := range raw {
			var str string
			if json.Unmarshal(v, &str) == nil {
				form.Set(k, str)
			} else {
				form.Set(k, string(v))
			}
		}
		return form, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		return r.PostForm, nil
	}
}

// Limits of a multipart body, those of http.Request.ParseMultipartForm(1 << 20) for values.
const (
	maxFormParts = 1000
	maxFormBytes = 11 << 20
)

// readMultipart reads the values of a multipart form part by part, as they come, without
// http.Request.ParseMultipartForm's copies; file parts (which the fake has no use for) are
// skipped. A body without a single boundary is an empty form: go-telegram/bot sends an empty
// one for methods without parameters.
func readMultipart(mr *multipart.Reader) (url.Values, error) {
	form := url.Values{}
	var buf bytes.Buffer
	left := int64(maxFormBytes)
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			return form, nil
		}
		if errors.Is(err, io.EOF) {
			return url.Values{}, nil // "multipart: NextPart: EOF": no boundary at all
		}
		if err != nil {
			return nil, err
		}
		if parts >= maxFormParts {
			return nil, multipart.ErrMessageTooLarge
		}
		name := p.FormName()
		if name == "" || p.FileName() != "" {
			continue
		}
		buf.Reset()
		n, err := buf.ReadFrom(io.LimitReader(p, left+1))
		if err != nil {
			return nil, err
		}
		if left -= int64(len(name)) + n; left < 0 {
			return nil, multipart.ErrMessageTooLarge
		}
		form[name] = append(form[name], buf.String())
	}
}

// What the fake answers, field by field in the order Telegram writes them.

type apiResult[T any] struct {
	OK     bool `json:"ok"`
	Result T    `json:"result"`
}

type apiError struct {
	OK          bool           `json:"ok"`
	ErrorCode   int            `json:"error_code"`
	Description string         `json:"description"`
	Parameters  *apiParameters `json:"parameters,omitempty"`
}

type apiParameters struct {
	RetryAfter int `json:"retry_after"`
}

// apiUser is a User: the bot (getMe, the sender of its messages) or a simulated person.
type apiUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// botUser is the bot as the sender of its messages.
var botUser = apiUser{ID: BotID, IsBot: true, FirstName: "bpubot"}

// apiChat is the chat of a message the bot sent.
type apiChat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

// apiMessage is a message the bot sent.
type apiMessage struct {
	MessageID   int             `json:"message_id"`
	From        apiUser         `json:"from"`
	Chat        apiChat         `json:"chat"`
	Date        int64           `json:"date"`
	EditDate    int64           `json:"edit_date,omitempty"`
	Text        string          `json:"text"`
	ReplyMarkup *inlineKeyboard `json:"reply_markup,omitempty"`
}

type inlineKeyboard struct {
	InlineKeyboard [][1]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

func writeResult[T any](w http.ResponseWriter, result T) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(apiResult[T]{OK: true, Result: result})
}

func writeError(w http.ResponseWriter, e *Error) {
	body := apiError{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 {
		body.Parameters = &apiParameters{RetryAfter: e.RetryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Code)
	_ = json.NewEncoder(w).Encode(body)
}

// BotAddr finds a free loopback address for the HTTP server of a bot under test: the one the
// fake posts webhook updates to, and the bot's /metrics.
func BotAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
