package web

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"bpubot/bot/staff"
	"bpubot/locales"
	"bpubot/models"
)

// Broadcasts: the list, the composer with a live count of recipients, the preview, confirm
// (now or at a time), the report with progress refreshed while it sends, and cancel.

type broadcastsView struct {
	Broadcasts []staff.Broadcast
}

func (c *Console) broadcasts(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	bs, err := c.svc.ListBroadcasts(r.Context(), a, 100)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, http.StatusOK, "broadcasts", c.view(r, a, "broadcasts", "console.broadcasts.title", broadcastsView{bs}))
}

type buttonChoice struct{ Value, Label string }

type composerView struct {
	ID             int64 // 0 for a new broadcast
	TextID, TextEN string
	Buttons        []string
	ButtonChoices  []buttonChoice
	Segment        segmentForm
	MaxText        int
	Error          string
}

func (c *Console) composerOf(r *http.Request, a staff.Actor, cv composerView) (composerView, error) {
	lang := c.lang(r)
	for value, key := range staff.Buttons {
		cv.ButtonChoices = append(cv.ButtonChoices, buttonChoice{value, locales.Text(lang, key)})
	}
	sort.Slice(cv.ButtonChoices, func(i, j int) bool { return cv.ButtonChoices[i].Value < cv.ButtonChoices[j].Value })
	cv.MaxText = staff.MaxBroadcastText
	var err error
	cv.Segment, err = c.segmentChoices(r.Context(), a, cv.Segment)
	return cv, err
}

func (c *Console) showComposer(w http.ResponseWriter, r *http.Request, a staff.Actor, status int, cv composerView) {
	cv, err := c.composerOf(r, a, cv)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, status, "composer", c.view(r, a, "broadcasts", "console.composer.title", cv))
}

// composer is a new broadcast, empty or a copy of an earlier one (?from=ID).
func (c *Console) composer(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	var cv composerView
	if from, err := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64); err == nil {
		b, err := c.svc.GetBroadcast(r.Context(), a, from)
		if err != nil {
			c.fail(w, r, a, err)
			return
		}
		cv = c.draftForm(b)
		cv.ID = 0
	}
	c.showComposer(w, r, a, http.StatusOK, cv)
}

// draftForm fills the composer from a stored broadcast.
func (c *Console) draftForm(b *staff.Broadcast) composerView {
	seg := b.Draft.Segment
	sf := segmentForm{Seg: seg}
	loc := c.loc()
	if seg.SignedUpFrom != nil {
		sf.From = seg.SignedUpFrom.In(loc).Format(time.DateOnly)
	}
	if seg.SignedUpTo != nil {
		sf.To = seg.SignedUpTo.In(loc).Format(time.DateOnly)
	}
	// A partner's broadcast keeps its partner (a hidden field): whoever changes it, it reaches
	// that partner's workers only.
	return composerView{ID: b.ID, TextID: b.Draft.TextID, TextEN: b.Draft.TextEN, Buttons: b.Draft.Buttons, Segment: sf}
}

// readDraft reads the composer's form; what was typed always comes back to the form if it
// cannot be used.
func (c *Console) readDraft(r *http.Request) (staff.Draft, composerView) {
	seg, sf := c.readSegment(r)
	var buttons []string
	for _, b := range r.Form["button"] {
		if _, ok := staff.Buttons[b]; ok && !slices.Contains(buttons, b) {
			buttons = append(buttons, b)
		}
	}
	d := staff.Draft{TextID: r.FormValue("text_id"), TextEN: r.FormValue("text_en"), Buttons: buttons, Segment: seg}
	return d, composerView{TextID: d.TextID, TextEN: d.TextEN, Buttons: buttons, Segment: sf, Error: sf.Error}
}

// segmentCount answers the composer whenever the segment changes: how many workers it
// reaches, by channel, and how many are left out.
func (c *Console) segmentCount(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	seg, sf := c.readSegment(r)
	cv := countView{Error: sf.Error}
	if cv.Error == "" {
		counts, err := c.svc.CountSegment(r.Context(), a, seg)
		if err != nil {
			if !staff.Known(err) {
				c.fail(w, r, a, err)
				return
			}
			cv.Error = staff.ErrorText(c.lang(r), err)
		}
		cv.add(counts)
	}
	c.part(w, r, "composer", "count", c.view(r, a, "broadcasts", "console.composer.title", cv))
}

type countView struct {
	Counts                          []models.SegmentCount
	Recipients, OptedOut, Unreached int64
	Error                           string
}

func (cv *countView) add(counts []models.SegmentCount) {
	for _, n := range counts {
		if n.Recipients > 0 {
			cv.Counts = append(cv.Counts, n)
		}
		cv.Recipients += n.Recipients
		cv.OptedOut += n.OptedOut
		cv.Unreached += n.Unreachable
	}
}

// createBroadcast stores the draft and previews it, then shows the preview.
func (c *Console) createBroadcast(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	d, cv := c.readDraft(r)
	if cv.Error != "" {
		c.showComposer(w, r, a, http.StatusUnprocessableEntity, cv)
		return
	}
	b, err := c.svc.CreateBroadcast(r.Context(), a, d)
	if err == nil {
		_, err = c.svc.PreviewBroadcast(r.Context(), a, b.ID)
	}
	if c.composerFailed(w, r, a, err, cv) {
		return
	}
	back(w, r, "/broadcasts/"+strconv.FormatInt(b.ID, 10))
}

// composerFailed shows the composer again with what was typed and what is wrong, or the
// error page; false when there was no error.
func (c *Console) composerFailed(w http.ResponseWriter, r *http.Request, a staff.Actor, err error, cv composerView) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, staff.ErrInvalid):
		cv.Error = staff.ErrorText(c.lang(r), err)
		c.showComposer(w, r, a, http.StatusUnprocessableEntity, cv)
	default:
		c.fail(w, r, a, err)
	}
	return true
}

func (c *Console) editBroadcast(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	b, ok := c.broadcastOf(w, r, a)
	if !ok {
		return
	}
	if b.Status != models.BroadcastDraft {
		c.fail(w, r, a, staff.ErrState)
		return
	}
	c.showComposer(w, r, a, http.StatusOK, c.draftForm(b))
}

func (c *Console) updateBroadcast(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	d, cv := c.readDraft(r)
	cv.ID = id
	if cv.Error != "" {
		c.showComposer(w, r, a, http.StatusUnprocessableEntity, cv)
		return
	}
	_, err := c.svc.UpdateBroadcast(r.Context(), a, id, d)
	if err == nil {
		_, err = c.svc.PreviewBroadcast(r.Context(), a, id)
	}
	if c.composerFailed(w, r, a, err, cv) {
		return
	}
	back(w, r, "/broadcasts/"+strconv.FormatInt(id, 10))
}

func (c *Console) broadcastOf(w http.ResponseWriter, r *http.Request, a staff.Actor) (*staff.Broadcast, bool) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return nil, false
	}
	b, err := c.svc.GetBroadcast(r.Context(), a, id)
	if err != nil {
		c.fail(w, r, a, err)
		return nil, false
	}
	return b, true
}

type broadcastView struct {
	B       staff.Broadcast
	Segment string
	Preview *staff.Preview // a draft's
	Report  *staff.Report  // once confirmed
	Done    bool           // nothing more will change: stop refreshing
	Refresh bool           // the report alone, asked for by the page: the status above it too
	Percent int64          // of the messages queued, how many are settled
	MinAt   string         // the earliest time a schedule may name (datetime-local)
	WATime  string
}

// broadcast is a broadcast's page: a draft's preview with the buttons to send, change or
// drop it; a confirmed one's report, refreshed while it sends.
func (c *Console) broadcast(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	p, err := c.svc.BroadcastPage(r.Context(), a, id)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	bv := broadcastView{B: *p.Broadcast, Preview: p.Preview, Report: p.Report}
	if p.Preview != nil && p.Preview.WhatsAppTime > 0 {
		bv.WATime = staff.DurationText(c.lang(r), p.Preview.WhatsAppTime)
	}
	c.showBroadcast(w, r, a, bv, "layout")
}

func (c *Console) showBroadcast(w http.ResponseWriter, r *http.Request, a staff.Actor, bv broadcastView, part string) {
	lang := c.lang(r)
	bv.Segment = staff.SegmentText(lang, bv.B.Draft.Segment, c.loc())
	bv.MinAt = c.now().In(c.loc()).Format("2006-01-02T15:04")
	if rep := bv.Report; rep != nil {
		bv.B = rep.Broadcast
		bv.Done = bv.B.Status == models.BroadcastDone || bv.B.Status == models.BroadcastCancelled
		if rep.Queued > 0 {
			bv.Percent = min(100, (rep.Queued-rep.Pending)*100/rep.Queued)
		}
	}
	v := c.view(r, a, "broadcasts", "console.broadcast.title", bv)
	v.Title = locales.Text(lang, "console.broadcast.title", "id", bv.B.ID)
	c.execute(w, r, http.StatusOK, "broadcast", part, v)
}

// broadcastProgress is the report part of the page, which htmx asks for every few seconds
// while the broadcast is scheduled or sending.
func (c *Console) broadcastProgress(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	rep, err := c.svc.BroadcastProgress(r.Context(), a, id)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.showBroadcast(w, r, a, broadcastView{B: rep.Broadcast, Report: rep, Refresh: true}, "report")
}

// sendBroadcast confirms a previewed draft: now, or at the time given.
func (c *Console) sendBroadcast(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	var at *time.Time
	if s := strings.TrimSpace(r.PostFormValue("at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, c.loc())
		if err != nil {
			c.flash(r, "console.broadcast.bad_time", "time", s)
			back(w, r, "/broadcasts/"+strconv.FormatInt(id, 10))
			return
		}
		at = &t
	}
	b, err := c.svc.ConfirmBroadcast(r.Context(), a, id, at)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	if b.Status == models.BroadcastScheduled {
		c.flash(r, "console.broadcast.scheduled", "time", formatTime(c.lang(r), *b.ScheduledAt, c.loc()))
	} else {
		c.flash(r, "console.broadcast.sending")
	}
	back(w, r, "/broadcasts/"+strconv.FormatInt(id, 10))
}

func (c *Console) cancelBroadcast(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	id, ok := c.pathID(w, r, a)
	if !ok {
		return
	}
	if _, err := c.svc.CancelBroadcast(r.Context(), a, id); err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.flash(r, "console.broadcast.cancelled")
	back(w, r, "/broadcasts/"+strconv.FormatInt(id, 10))
}

// formatTime is a date and time as staff read them: "6 Oktober 2025 14.05".
func formatTime(lang string, t time.Time, loc *time.Location) string {
	return locales.Date(lang, t.In(loc)) + " " + locales.Clock(t.In(loc))
}
