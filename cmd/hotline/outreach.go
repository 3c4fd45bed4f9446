package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/outreach"
	"hotline/reports"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// campaignsFlag registers --campaigns (env HOTLINE_CAMPAIGNS).
func campaignsFlag(fs *flag.FlagSet) *string {
	return fs.String("campaigns", os.Getenv("HOTLINE_CAMPAIGNS"), "campaigns file over the built-in ones (env HOTLINE_CAMPAIGNS)")
}

// openOutreach opens the database and an outreach service over its roster.
func openOutreach(ctx context.Context, io stdio, dbPath, campaigns string) (*outreach.Service, *assets.Assets, *storage.DB, error) {
	cfg, err := outreach.LoadConfig(campaigns)
	if err != nil {
		return nil, nil, nil, err
	}
	store, err := storage.Open(ctx, dbPath)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := assets.Load(ctx, store)
	if err != nil {
		store.Close()
		return nil, nil, nil, err
	}
	a := assets.New(0, r, nil)
	log := newLogger(io.err, os.Getenv("HOTLINE_LOG_FORMAT"), slog.LevelWarn)
	tk := tickets.New(routing.DefaultPolicy(), time.Now, log, nil)
	return outreach.New(store, assets.Fixed{A: a}, tk, cfg, time.Now, log), a, store, nil
}

const outreachUsage = `usage:
  hotline outreach list
  hotline outreach preview NAME
  hotline outreach run NAME [--slot 2026-11-28T17:30]
  hotline outreach broadcast --segment SEG --text TEXT [--checkin CATEGORY]
(all take --db PATH and --campaigns FILE)`

// outreachCmd is one run of "hotline outreach": its flags and what they opened.
type outreachCmd struct {
	io                     stdio
	svc                    *outreach.Service
	a                      *assets.Assets
	store                  *storage.DB
	loc                    *time.Location
	now                    time.Time
	name                   string
	slot                   string
	segment, text, checkin string
}

// runOutreach is "hotline outreach list|preview|run|broadcast".
func runOutreach(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(io.err, outreachUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	run := map[string]func(context.Context, *outreachCmd) error{
		"list": outreachList, "preview": outreachPreview, "run": outreachRun, "broadcast": outreachBroadcast,
	}[sub]
	if run == nil {
		fmt.Fprintln(io.err, outreachUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("outreach "+sub, flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	campaigns := campaignsFlag(fs)
	c := &outreachCmd{io: io, now: time.Now()}
	fs.StringVar(&c.slot, "slot", "", "run: the scheduled time, e.g. 2026-11-28T17:30 (township time)")
	fs.StringVar(&c.segment, "segment", "", "broadcast: who, e.g. village:翟各庄村 or area:东片区,tag:alone")
	fs.StringVar(&c.text, "text", "", "broadcast: the notice")
	fs.StringVar(&c.checkin, "checkin", "", "broadcast: add 正常/有问题 buttons; answers open tickets of this category")
	if (sub == "preview" || sub == "run") && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c.name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if c.name == "" && fs.NArg() > 0 {
		c.name = fs.Arg(0)
	}
	var err error
	if c.svc, c.a, c.store, err = openOutreach(ctx, io, *db, *campaigns); err != nil {
		return err
	}
	defer c.store.Close()
	c.loc = c.svc.Config().Location()
	return run(ctx, c)
}

// outreachList lists the campaigns with their segment's size and next
// fire times.
func outreachList(ctx context.Context, c *outreachCmd) error {
	for _, cp := range c.svc.Config().Campaigns {
		size := "—"
		if _, n, err := c.svc.Preview(ctx, cp, c.now, 0); err == nil && cp.Seg().String() != "" {
			size = fmt.Sprint(n)
		}
		next := []string{"manual"}
		if s := cp.Sched(); s != nil {
			next = nil
			for _, t := range s.NextN(c.now, 3) {
				next = append(next, t.In(c.loc).Format("2006-01-02 15:04"))
			}
		}
		fmt.Fprintf(c.io.out, "%-20s %-9s %s segment=%s size=%-6s next: %s\n", cp.ID, cp.Kind, pad(cp.Title, 16),
			pad(orDashStr(cp.Segment), 22), size, strings.Join(next, ", "))
	}
	return nil
}

// campaign is the campaign the command names.
func (c *outreachCmd) campaign() (outreach.Campaign, error) {
	if c.name == "" {
		fmt.Fprintln(c.io.err, outreachUsage)
		return outreach.Campaign{}, errUsage
	}
	cp, ok := c.svc.Config().Campaign(c.name)
	if !ok {
		return cp, fmt.Errorf("unknown campaign %q (hotline outreach list shows them)", c.name)
	}
	return cp, nil
}

// outreachPreview shows what a campaign would send now, queuing nothing.
func outreachPreview(ctx context.Context, c *outreachCmd) error {
	cp, err := c.campaign()
	if err != nil {
		return err
	}
	switch {
	case cp.Kind == storage.CampaignDigest:
		// A digest goes to the centre: what it would say now is the preview.
		var d reports.Digest
		if err := c.store.View(ctx, func(tx *storage.Tx) error {
			d, err = reports.LoadDigest(ctx, tx, reports.PeriodKind(cp.Digest), c.now, c.loc)
			return err
		}); err != nil {
			return err
		}
		fmt.Fprintf(c.io.out, "%s (%s), to the centre:\n", cp.ID, cp.Title)
		printDigest(c.io.out, d, c.loc)
		return nil
	case !outreach.ToResidents(cp):
		fmt.Fprintf(c.io.out, "%s (%s): %s\n", cp.ID, cp.Title, outreach.Reaches(cp))
		return nil
	}
	first, n, err := c.svc.Preview(ctx, cp, c.now, 10)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.io.out, "%s (%s)\n%s\n\nrecipients: %d\n", cp.ID, cp.Title, cp.Text, n)
	for _, r := range first {
		fmt.Fprintf(c.io.out, "  %d %s %s %s\n", r.ID, r.Name, r.Village, notice.MaskPhone(r.Phone))
	}
	return nil
}

// outreachRun runs a campaign for a slot (now by default).
func outreachRun(ctx context.Context, c *outreachCmd) error {
	cp, err := c.campaign()
	if err != nil {
		return err
	}
	slot := c.now.In(c.loc).Truncate(time.Minute)
	if c.slot != "" {
		if slot, err = time.ParseInLocation("2006-01-02T15:04", c.slot, c.loc); err != nil {
			fmt.Fprintf(c.io.err, "outreach run: --slot %q: want 2006-01-02T15:04\n", c.slot)
			return errUsage
		}
	}
	res, err := c.svc.RunNow(ctx, cp, slot)
	if err != nil {
		return err
	}
	state := "ran"
	if !res.Created {
		state = "already recorded"
	}
	fmt.Fprintf(c.io.out, "%s @ %s: %s, status %s, %d message(s) queued now, %d recipient(s) in all\n",
		cp.ID, slot.Format("2006-01-02T15:04"), state, res.Run.Status, res.Queued, res.Run.Recipients)
	return nil
}

// outreachBroadcast records a one-off notice and queues it.
func outreachBroadcast(ctx context.Context, c *outreachCmd) error {
	var run storage.Run
	if err := c.store.Update(ctx, func(tx *storage.Tx) error {
		var err error
		run, err = c.svc.Broadcast(ctx, tx, c.a, 0, c.segment, c.text, c.checkin)
		return err
	}); err != nil {
		return err
	}
	n, err := c.svc.ResumeRuns(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.io.out, "broadcast %d to %s: %d message(s) queued\n", run.ID, run.Segment, n)
	return nil
}

// pad fills s to w terminal columns. fmt pads by runes, but a Chinese
// character takes two columns, so titles and village names would push the
// columns after them out of line.
func pad(s string, w int) string {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x2E80 { // CJK and full-width forms
			n++
		}
	}
	return s + strings.Repeat(" ", max(w-n, 0))
}

func orDashStr(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
