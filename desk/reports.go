package desk

import (
	"errors"
	"net/http"
	"net/url"

	"hotline/api"
	"hotline/notice"
	"hotline/reports"
	"hotline/storage"
	"hotline/tickets"
	"hotline/workbook"
)

// 报表: the 日调度, 周专题 and 月综合 of the visitor's scope and the latest
// year-end evaluation, on screen and as the same workbooks the command
// line writes (rates as numbers). Package reports computes, package
// workbook lays the sheets out; nothing here counts.

// reportKinds are the reports a page offers, in order.
var reportKinds = []reports.PeriodKind{reports.Daily, reports.Weekly, reports.Monthly}

// yearEnd is the kind parameter of the year-end evaluation.
const yearEnd = "yearend"

// reportsData is the reports page.
type reportsData struct {
	base
	Kind     string
	Kinds    []reportLink
	Digest   *reports.Digest
	Sections []notice.RateSection
	// Scoreboard is the 12345 scorecard of the weekly and monthly digests.
	Scoreboard *reports.Scoreboard
	YearEnd    *reports.YearEnd
	NoYear     bool // no year-end evaluation has run
	Download   string
}

type reportLink struct {
	Kind, Name, Link string
}

// report reads the report a request asks for: a digest of the visitor's
// scope, or the year-end evaluation, which covers the whole township and
// is for those who see it (the centre and admins).
func (s *Server) report(r *http.Request, v *visit) (reportsData, error) {
	kind := r.URL.Query().Get("kind")
	if kind == "" {
		kind = string(reports.Daily)
	}
	d := reportsData{base: v.base(r, "报表", "reports"), Kind: kind,
		Download: "/desk/reports.xlsx?" + url.Values{"kind": {kind}}.Encode()}
	for _, k := range reportKinds {
		d.Kinds = append(d.Kinds, reportLink{string(k), notice.DigestTitle(k), "/desk/reports?kind=" + string(k)})
	}
	scope := tickets.ScopeOf(v.staff)
	if scope.All {
		d.Kinds = append(d.Kinds, reportLink{yearEnd, "年终评议", "/desk/reports?kind=" + yearEnd})
	}
	err := s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		if kind == yearEnd {
			if !scope.All {
				return errNoPage
			}
			y, err := reports.LatestYearEnd(v.ctx, tx, v.a.Roster, 0, notice.Zone)
			if errors.Is(err, reports.ErrNoYearEnd) {
				d.NoYear = true
				return nil
			}
			d.YearEnd = &y
			return err
		}
		p, err := reports.PeriodFor(reports.PeriodKind(kind), v.now, notice.Zone)
		if err != nil {
			return api.ErrBadRequest
		}
		dg, err := reports.DigestOf(v.ctx, tx, scope, p)
		if err != nil {
			return err
		}
		dg.Generated = v.now
		d.Digest, d.Sections = &dg, notice.RateSections(dg)
		if p.Kind == reports.Daily {
			return nil
		}
		sb, err := reports.LoadScoreboard(v.ctx, tx, scope, p, s.cfg.Weights(), v.a.Roster)
		d.Scoreboard = &sb
		return err
	})
	return d, err
}

func (s *Server) reports(r *http.Request, v *visit) error {
	d, err := s.report(r, v)
	if err != nil {
		return err
	}
	return s.render(v.w, http.StatusOK, "reports", d)
}

// reportBook downloads the report as .xlsx.
func (s *Server) reportBook(r *http.Request, v *visit) error {
	d, err := s.report(r, v)
	if err != nil {
		return err
	}
	name := "报表-" + d.Kind + "-" + v.now.In(notice.Zone).Format("20060102") + ".xlsx"
	v.w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	v.w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	switch {
	case d.Digest != nil:
		return workbook.Digest(v.w, *d.Digest, d.Scoreboard, notice.Zone)
	case d.YearEnd != nil:
		return workbook.YearEnd(v.w, *d.YearEnd, notice.Zone)
	}
	return errNoPage // no year-end evaluation to download
}
