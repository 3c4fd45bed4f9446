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

// runOutreach is "hotline outreach list|preview|run|broadcast".
func runOutreach(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(io.err, outreachUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("outreach "+sub, flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	campaigns := campaignsFlag(fs)
	slotFlag := fs.String("slot", "", "run: the scheduled time, e.g. 2026-11-28T17:30 (township time)")
	segment := fs.String("segment", "", "broadcast: who, e.g. village:翟各庄村 or area:东片区,tag:alone")
	text := fs.String("text", "", "broadcast: the notice")
	checkin := fs.String("checkin", "", "broadcast: add 正常/有问题 buttons; answers open tickets of this category")
	var name string
	if (sub == "preview" || sub == "run") && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	svc, a, store, err := openOutreach(ctx, io, *db, *campaigns)
	if err != nil {
		return err
	}
	defer store.Close()
	cfg := svc.Config()
	loc := cfg.Location()
	now := time.Now()
	switch sub {
	case "list":
		for _, c := range cfg.Campaigns {
			size := "—"
			if _, n, err := svc.Preview(ctx, c, now, 0); err == nil && c.Seg().String() != "" {
				size = fmt.Sprint(n)
			}
			var next []string
			if s := c.Sched(); s != nil {
				for _, t := range s.NextN(now, 3) {
					next = append(next, t.In(loc).Format("2006-01-02 15:04"))
				}
			} else {
				next = []string{"manual"}
			}
			fmt.Fprintf(io.out, "%-20s %-9s %s segment=%s size=%-6s next: %s\n", c.ID, c.Kind, pad(c.Title, 16),
				pad(orDashStr(c.Segment), 22), size, strings.Join(next, ", "))
		}
		return nil
	case "preview", "run":
		if name == "" {
			fmt.Fprintln(io.err, outreachUsage)
			return errUsage
		}
		c, ok := cfg.Campaign(name)
		if !ok {
			return fmt.Errorf("unknown campaign %q (hotline outreach list shows them)", name)
		}
		if sub == "preview" && c.Kind == storage.CampaignDigest {
			// A digest goes to the centre: what it would say now is the preview.
			var d reports.Digest
			if err := store.View(ctx, func(tx *storage.Tx) error {
				d, err = reports.LoadDigest(ctx, tx, reports.PeriodKind(c.Digest), now, loc)
				return err
			}); err != nil {
				return err
			}
			fmt.Fprintf(io.out, "%s (%s), to the centre:\n", c.ID, c.Title)
			printDigest(io.out, d, loc)
			return nil
		}
		if sub == "preview" && !outreach.ToResidents(c) {
			fmt.Fprintf(io.out, "%s (%s): %s\n", c.ID, c.Title, outreach.Reaches(c))
			return nil
		}
		if sub == "preview" {
			first, n, err := svc.Preview(ctx, c, now, 10)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.out, "%s (%s)\n%s\n\nrecipients: %d\n", c.ID, c.Title, c.Text, n)
			for _, r := range first {
				fmt.Fprintf(io.out, "  %d %s %s %s\n", r.ID, r.Name, r.Village, notice.MaskPhone(r.Phone))
			}
			return nil
		}
		slot := now.In(loc).Truncate(time.Minute)
		if *slotFlag != "" {
			if slot, err = time.ParseInLocation("2006-01-02T15:04", *slotFlag, loc); err != nil {
				fmt.Fprintf(io.err, "outreach run: --slot %q: want 2006-01-02T15:04\n", *slotFlag)
				return errUsage
			}
		}
		res, err := svc.RunNow(ctx, c, slot)
		if err != nil {
			return err
		}
		state := "ran"
		if !res.Created {
			state = "already recorded"
		}
		fmt.Fprintf(io.out, "%s @ %s: %s, status %s, %d message(s) queued now, %d recipient(s) in all\n",
			c.ID, slot.Format("2006-01-02T15:04"), state, res.Run.Status, res.Queued, res.Run.Recipients)
		return nil
	case "broadcast":
		var run storage.Run
		if err := store.Update(ctx, func(tx *storage.Tx) error {
			var err error
			run, err = svc.Broadcast(ctx, tx, a, 0, *segment, *text, *checkin)
			return err
		}); err != nil {
			return err
		}
		n, err := svc.ResumeRuns(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.out, "broadcast %d to %s: %d message(s) queued\n", run.ID, run.Segment, n)
		return nil
	}
	fmt.Fprintln(io.err, outreachUsage)
	return errUsage
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
