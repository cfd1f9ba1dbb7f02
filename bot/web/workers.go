package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"bpubot/bot/staff"
	"bpubot/models"
)

// workersPage is how many workers a page of the list shows.
const workersPage = 50

type workersView struct {
	Q        string
	Partner  string
	Partners []models.Partner // to filter by; empty for partner staff
	Workers  []staff.Worker
	Next     string // the address of the next page, "" on the last
	Error    string
}

// workers lists workers, NIK and phone masked: a search by name, NIK or phone number, and a
// partner.
func (c *Console) workers(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	q := r.URL.Query()
	wv := workersView{Q: strings.TrimSpace(q.Get("q")), Partner: q.Get("partner")}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	query := staff.WorkerQuery{Search: wv.Q, AfterID: after, Limit: workersPage}
	if wv.Partner != "" {
		query.Segment.Partners = []string{wv.Partner}
	}
	if a.Role != models.RolePartner {
		ps, err := c.svc.Partners(r.Context(), a)
		if err != nil {
			c.fail(w, r, a, err)
			return
		}
		wv.Partners = ps
	}
	list, err := c.svc.Workers(r.Context(), a, query)
	switch {
	case err == nil:
		wv.Workers = list
	case staff.Known(err):
		// A search that cannot be used (a phone number that is not one): say so on the page.
		wv.Error = staff.ErrorText(c.lang(r), err)
	default:
		c.fail(w, r, a, err)
		return
	}
	if len(list) == workersPage {
		next := q
		next.Set("after", strconv.FormatInt(list[len(list)-1].MemberID, 10))
		wv.Next = Prefix + "/workers?" + next.Encode()
	}
	c.render(w, r, http.StatusOK, "workers", c.view(r, a, "workers", "console.workers.title", wv))
}

type workerView struct {
	P        *staff.WorkerPage
	Revealed *staff.Revealed
	Reason   string
	Error    string
}

// pathID is the number in the address ({id}); a page that is not there when it is not one.
func (c *Console) pathID(w http.ResponseWriter, r *http.Request, a staff.Actor) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.fail(w, r, a, staff.ErrNotFound)
		return 0, false
	}
	return id, true
}

// worker is one worker's page: enrollment, coverage, payments, reminders, requests.
func (c *Console) worker(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	c.workerPage(w, r, a, workerView{})
}

func (c *Console) workerPage(w http.ResponseWriter, r *http.Request, a staff.Actor, wv workerView) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	p, err := c.svc.WorkerPage(r.Context(), a, id)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	wv.P = p
	status := http.StatusOK
	if wv.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	c.render(w, r, status, "worker", c.view(r, a, "workers", "console.worker.title", wv))
}

// reveal shows an admin the worker's NIK and phone in full, for a reason that goes to the
// audit log with it. Nothing is stored: leaving the page hides them again.
func (c *Console) reveal(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	rv, err := c.svc.RevealWorker(r.Context(), a, id, reason)
	wv := workerView{Revealed: rv, Reason: reason}
	if err != nil {
		if !errors.Is(err, staff.ErrInvalid) {
			c.fail(w, r, a, err)
			return
		}
		wv.Error = staff.ErrorText(c.lang(r), err)
	}
	c.workerPage(w, r, a, wv)
}
