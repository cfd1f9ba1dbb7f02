package web

import (
	"errors"
	"net/http"
	"strconv"

	"bpubot/bot/staff"
	"bpubot/models"
)

// Handoffs: the queue of workers who asked for a person (refreshed by itself), and one
// request's page, where staff take it, answer (relayed to the worker's own chat) and close it,
// with what the worker writes appearing as they write it.

type handoffsView struct {
	Status   string // open or closed
	Handoffs []staff.Handoff
}

func (c *Console) handoffList(w http.ResponseWriter, r *http.Request, a staff.Actor, part string) {
	status := r.URL.Query().Get("status")
	if status != models.HandoffClosed {
		status = models.HandoffOpen
	}
	hs, err := c.svc.Handoffs(r.Context(), a, status, 200)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.execute(w, r, http.StatusOK, "handoffs", part, c.view(r, a, "handoffs", "console.handoffs.title", handoffsView{status, hs}))
}

func (c *Console) handoffs(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.handoffList(w, r, a, "layout")
}

// handoffQueue is the list part of the page, asked for every few seconds.
func (c *Console) handoffQueue(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.handoffList(w, r, a, "queue")
}

type handoffView struct {
	H      *staff.Handoff
	Mine   bool // taken by the staff member looking
	Reply  string
	Error  string
	Member *int64
}

func (c *Console) handoffOf(w http.ResponseWriter, r *http.Request, a staff.Actor) (int64, *staff.Handoff, bool) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return 0, nil, false
	}
	h, err := c.svc.GetHandoff(r.Context(), a, id)
	if err != nil {
		c.fail(w, r, a, err)
		return 0, nil, false
	}
	return id, h, true
}

func (c *Console) showHandoff(w http.ResponseWriter, r *http.Request, a staff.Actor, status int, hv handoffView, part string) {
	hv.Mine = hv.H.TakenBy != nil && *hv.H.TakenBy == a.ID
	v := c.view(r, a, "handoffs", "console.handoff.title", hv)
	c.execute(w, r, status, "handoff", part, v)
}

func (c *Console) handoff(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	if _, h, ok := c.handoffOf(w, r, a); ok {
		c.showHandoff(w, r, a, http.StatusOK, handoffView{H: h}, "layout")
	}
}

// handoffMessages is the conversation part of the page, asked for every few seconds: what
// the worker wrote appears without reloading.
func (c *Console) handoffMessages(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	if _, h, ok := c.handoffOf(w, r, a); ok {
		c.showHandoff(w, r, a, http.StatusOK, handoffView{H: h}, "conversation")
	}
}

// handoffAction runs one of take, close on a request and goes back to its page.
func (c *Console) handoffAction(w http.ResponseWriter, r *http.Request, a staff.Actor, do func(id int64) error, done string) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	if err := do(id); err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.flash(r, done, "id", id)
	back(w, r, "/handoffs/"+strconv.FormatInt(id, 10))
}

func (c *Console) takeHandoff(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.handoffAction(w, r, a, func(id int64) error { return c.svc.TakeHandoff(r.Context(), a, id) }, "console.handoff.taken")
}

func (c *Console) closeHandoff(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.handoffAction(w, r, a, func(id int64) error { return c.svc.CloseHandoff(r.Context(), a, id) }, "console.handoff.closed")
}

// replyHandoff relays the staff member's answer to the worker. An answer that cannot go (empty,
// too long, the request closed meanwhile) comes back in the form with what is wrong.
func (c *Console) replyHandoff(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	text := r.PostFormValue("text")
	err := c.svc.ReplyHandoff(r.Context(), a, id, text)
	if err == nil {
		c.flash(r, "console.handoff.sent")
		back(w, r, "/handoffs/"+strconv.FormatInt(id, 10))
		return
	}
	if !errors.Is(err, staff.ErrInvalid) && !errors.Is(err, staff.ErrState) {
		c.fail(w, r, a, err)
		return
	}
	h, gerr := c.svc.GetHandoff(r.Context(), a, id)
	if gerr != nil {
		c.fail(w, r, a, gerr)
		return
	}
	c.showHandoff(w, r, a, http.StatusUnprocessableEntity, handoffView{H: h, Reply: text, Error: staff.ErrorText(c.lang(r), err)}, "layout")
}
