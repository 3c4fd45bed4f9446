package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"hotline/reports"
	"hotline/storage"
	"hotline/workbook"
)

const reportUsage = `usage:
  hotline report daily|weekly|monthly [--db PATH] [--xlsx FILE] [--at 2026-11-28T17:30]
  hotline report yearend [--db PATH] [--xlsx FILE] [--year 2026]`

// runReport is "hotline report daily|weekly|monthly|yearend [--xlsx FILE]".
// Package reports computes; this prints it for a terminal and, with
// --xlsx, writes it as a workbook.
func runReport(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 || !slices.Contains([]string{"daily", "weekly", "monthly", "yearend"}, args[0]) {
		fmt.Fprintln(io.err, reportUsage)
		return errUsage
	}
	kind := args[0]
	fs := flag.NewFlagSet("report "+kind, flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	campaigns := campaignsFlag(fs)
	xlsx := fs.String("xlsx", "", "also write the report as a workbook")
	atFlag := fs.String("at", "", "digests: make the digest as of this time (default now)")
	year := fs.Int("year", 0, "yearend: the evaluation of this year (default the latest)")
	weightsFlag := fs.String("weights", os.Getenv("HOTLINE_SCORE_WEIGHTS"),
		"digests: the 12345 score's weights, e.g. response=30,resolution=35,satisfaction=35,contact=0,partly=0.5,basic=0.8 (env HOTLINE_SCORE_WEIGHTS)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	weights, err := reports.ParseWeights(*weightsFlag)
	if err != nil {
		fmt.Fprintf(io.err, "report: --weights: %v\n", err)
		return errUsage
	}
	svc, a, store, err := openOutreach(ctx, io, *db, *campaigns)
	if err != nil {
		return err
	}
	defer store.Close()
	loc := svc.Config().Location()
	if kind == "yearend" {
		var y reports.YearEnd
		if err := store.View(ctx, func(tx *storage.Tx) error {
			y, err = reports.LatestYearEnd(ctx, tx, a.Roster, *year, loc)
			return err
		}); err != nil {
			if errors.Is(err, reports.ErrNoYearEnd) {
				return fmt.Errorf("%w (start one with: hotline outreach run year-end-evaluation)", err)
			}
			return err
		}
		return output(io, *xlsx, func() { printYearEnd(io.out, y, loc) }, func(f *os.File) error { return workbook.YearEnd(f, y, loc) })
	}
	at := time.Now()
	if *atFlag != "" {
		if at, err = time.ParseInLocation("2006-01-02T15:04", *atFlag, loc); err != nil {
			fmt.Fprintf(io.err, "report: --at %q: want 2006-01-02T15:04\n", *atFlag)
			return errUsage
		}
	}
	var d reports.Digest
	var sb reports.Scoreboard
	if err := store.View(ctx, func(tx *storage.Tx) error {
		if d, err = reports.LoadDigest(ctx, tx, reports.PeriodKind(kind), at, loc); err != nil {
			return err
		}
		sb, err = reports.LoadScoreboard(ctx, tx, storage.Scope{All: true}, d.Period, weights, a.Roster)
		return err
	}); err != nil {
		return err
	}
	return output(io, *xlsx, func() { printDigest(io.out, d, loc); printScoreboard(io.out, sb, d.Period.Kind) },
		func(f *os.File) error { return workbook.Digest(f, d, &sb, loc) })
}

// output prints a report and, when path is set, writes its workbook there.
func output(io stdio, path string, print func(), write func(*os.File) error) error {
	print()
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := errors.Join(write(f), f.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(io.out, "wrote %s\n", path)
	return nil
}
