package web

import (
	"net/http"
	"strconv"

	"bpubot/bot/staff"
)

// Exports: members (one row per enrollment, NIK and phone masked) as CSV or an Excel
// workbook, chosen with the same segment form as broadcasts.

type exportsView struct {
	Segment segmentForm
	Query   string // the form's values, for the download links of the count
}

func (c *Console) exports(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	_, sf := c.readSegment(r)
	sf, err := c.segmentChoices(r.Context(), a, sf)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, http.StatusOK, "exports", c.view(r, a, "exports", "console.exports.title", exportsView{Segment: sf}))
}

type exportCountView struct {
	Rows  int64
	Query string
	Error string
}

// exportCount answers the export form whenever the segment changes: how many rows.
func (c *Console) exportCount(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	seg, sf := c.readSegment(r)
	ev := exportCountView{Error: sf.Error, Query: r.URL.RawQuery}
	if ev.Error == "" {
		n, err := c.svc.CountExport(r.Context(), a, seg)
		if err != nil {
			if !staff.Known(err) {
				c.fail(w, r, a, err)
				return
			}
			ev.Error = staff.ErrorText(c.lang(r), err)
		}
		ev.Rows = n
	}
	c.part(w, r, "exports", "count", c.view(r, a, "exports", "console.exports.title", ev))
}

var exportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// exportMembers downloads the export. The count goes first: it checks the role and the
// segment, so a refusal is a page, not half a file.
func (c *Console) exportMembers(w http.ResponseWriter, r *http.Request, a staff.Actor) {
	format := r.URL.Query().Get("format")
	contentType, ok := exportTypes[format]
	if !ok {
		format, contentType = "csv", exportTypes["csv"]
	}
	seg, sf := c.readSegment(r)
	if sf.Error != "" {
		c.errorPage(w, r, a, http.StatusUnprocessableEntity, sf.Error)
		return
	}
	if _, err := c.svc.CountExport(r.Context(), a, seg); err != nil {
		c.fail(w, r, a, err)
		return
	}
	name := "bpubot-members-" + c.now().In(c.loc()).Format("2006-01-02") + "." + format
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	n, err := c.svc.WriteExport(r.Context(), a, seg, format, w, nil)
	if err != nil {
		// Headers are gone: the download ends short, and the log says why.
		c.log.Error("console export failed", "actor", a.Name, "rows", strconv.FormatInt(n, 10), "err", err)
	}
}
