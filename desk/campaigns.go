package desk

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"hotline/api"
	"hotline/notice"
	"hotline/outreach"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// 活动: the campaigns with their next fire times, the runs with what they
// achieved, a preview of a campaign's audience, and one-off notices
// (broadcasts) that show how many residents they reach and ask for
// confirmation before anything is sent. Everything goes through package
// outreach, which decides who may send what to whom.

// campaignsData is the campaigns page.
type campaignsData struct {
	base
	Campaigns []campaignRow
	Runs      []runRow
	Broadcast broadcastForm
	MaySend   bool
	Error     string
}

type campaignRow struct {
	outreach.Campaign
	Next     []time.Time
	Audience int // -1: not sent to residents
}

type runRow struct {
	storage.Run
	Title string
	storage.RunTally
}

// broadcastForm is a notice being written, and on the confirmation page
// how many it reaches.
type broadcastForm struct {
	Segment    string
	Text       string
	Checkin    string
	Categories []taxonomy.Category
	Reach      int
}

// runsShown is how many recent runs the page lists.
const runsShown = 30

func (s *Server) campaignsPage(r *http.Request, v *visit) (campaignsData, error) {
	d := campaignsData{base: v.base(r, "活动", "campaigns"), MaySend: maySend(v.staff),
		Broadcast: broadcastForm{Categories: taxonomy.Categories}}
	if s.cfg.Outreach == nil {
		return d, nil
	}
	cfg := s.cfg.Outreach.Config()
	titles := map[string]string{outreach.BroadcastCampaign: "临时通知"}
	for _, c := range cfg.Campaigns {
		titles[c.ID] = c.Title
		row := campaignRow{Campaign: c, Audience: -1}
		if sc := c.Sched(); sc != nil {
			row.Next = sc.NextN(v.now, 3)
		}
		if c.Seg().String() != "" {
			_, n, err := s.cfg.Outreach.Preview(v.ctx, c, v.now, 0)
			if err != nil {
				return d, err
			}
			row.Audience = n
		}
		d.Campaigns = append(d.Campaigns, row)
	}
	err := s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		runs, err := tx.Runs(v.ctx, storage.RunFilter{Limit: runsShown})
		if err != nil {
			return err
		}
		for _, run := range runs {
			t, err := tx.RunTally(v.ctx, run.ID)
			if err != nil {
				return err
			}
			d.Runs = append(d.Runs, runRow{Run: run, Title: titles[run.Campaign], RunTally: t})
		}
		return nil
	})
	return d, err
}

// maySend reports whether to offer the broadcast form; outreach checks
// each notice (an area leader only inside their 片区).
func maySend(st roster.Staff) bool {
	return st.Role == roster.Center || st.Role == roster.Admin || st.Role == roster.AreaLeader
}

func (s *Server) campaigns(r *http.Request, v *visit) error {
	d, err := s.campaignsPage(r, v)
	if err != nil {
		return err
	}
	return s.render(v.w, http.StatusOK, "campaigns", d)
}

// previewData is one campaign's preview.
type previewData struct {
	base
	C     outreach.Campaign
	First []storage.Resident // phones masked
	Total int
	Next  []time.Time
}

func (s *Server) campaignPreview(r *http.Request, v *visit) error {
	if s.cfg.Outreach == nil {
		return errNoPage
	}
	c, ok := s.cfg.Outreach.Config().Campaign(r.PathValue("id"))
	if !ok {
		return errNoPage
	}
	d := previewData{base: v.base(r, c.Title, "campaigns"), C: c}
	if sc := c.Sched(); sc != nil {
		d.Next = sc.NextN(v.now, 5)
	}
	first, total, err := s.cfg.Outreach.Preview(v.ctx, c, v.now, 20)
	if err != nil {
		return err
	}
	for _, p := range first {
		p.Phone = notice.MaskPhone(p.Phone)
		d.First = append(d.First, p)
	}
	d.Total = total
	return s.render(v.w, http.StatusOK, "preview", d)
}

// broadcast is the notice form: the first post shows how many residents
// it reaches and asks to confirm; the confirmed post sends it.
func (s *Server) broadcast(r *http.Request, v *visit) error {
	if s.cfg.Outreach == nil {
		return errNoPage
	}
	f := broadcastForm{Segment: strings.TrimSpace(r.PostFormValue("segment")), Text: strings.TrimSpace(r.PostFormValue("text")),
		Checkin: r.PostFormValue("checkin"), Categories: taxonomy.Categories}
	if f.Text == "" {
		return s.broadcastRefused(r, v, f, fmt.Errorf("%w: 请填写通知内容", outreach.ErrBadNotice))
	}
	if r.PostFormValue("confirm") != "1" {
		err := s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
			var err error
			f.Reach, err = s.cfg.Outreach.BroadcastAudience(v.ctx, tx, v.a, v.staff.TelegramID, f.Segment)
			return err
		})
		if err != nil {
			return s.broadcastRefused(r, v, f, err)
		}
		return s.render(v.w, http.StatusOK, "confirm", struct {
			base
			F broadcastForm
		}{v.base(r, "确认发送通知", "campaigns"), f})
	}
	err := s.cfg.DB.Update(v.ctx, func(tx *storage.Tx) error {
		_, err := s.cfg.Outreach.Broadcast(v.ctx, tx, v.a, v.staff.TelegramID, f.Segment, f.Text, f.Checkin)
		return err
	})
	if err != nil {
		return s.broadcastRefused(r, v, f, err)
	}
	// The run is recorded; its residents are queued now, as the bot does
	// after /notify (the follow-up job would within its interval).
	if _, err := s.cfg.Outreach.ResumeRuns(v.ctx); err != nil {
		s.cfg.Log.Warn("desk: broadcast fan-out; the follow-up job will resume it", "err", err)
	}
	s.notify()
	return see(v.w, r, "/desk/campaigns", "broadcast")
}

// broadcastRefused shows the campaigns page again with the notice as
// written and why it cannot be sent.
func (s *Server) broadcastRefused(r *http.Request, v *visit, f broadcastForm, err error) error {
	code := http.StatusBadRequest
	switch {
	case errors.Is(err, outreach.ErrForbidden):
		code = http.StatusForbidden
	case !errors.Is(err, outreach.ErrBadNotice) && !errors.Is(err, api.ErrBadRequest):
		return err
	}
	d, perr := s.campaignsPage(r, v)
	if perr != nil {
		return perr
	}
	d.Broadcast, d.Error = f, noticeRefusal(code, err)
	return s.render(v.w, code, "campaigns", d)
}

func noticeRefusal(code int, err error) string {
	if code == http.StatusForbidden {
		return "您不能给这个范围的居民发通知（包片领导只能发给本片区）。"
	}
	return "通知没有发出：" + err.Error()
}
