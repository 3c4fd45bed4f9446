package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
	"hotline/table"
	"hotline/tickets"
	"hotline/workorders"
)

const importUsage = "usage: hotline import 12345 FILE [--db PATH] [--model FILE]   (FILE: .xlsx or CSV, UTF-8 or GBK)"

// runImport is "hotline import 12345 FILE": the district platform's work
// orders in, all of the file or nothing.
func runImport(ctx context.Context, io stdio, args []string) error {
	if len(args) < 2 || args[0] != "12345" {
		fmt.Fprintln(io.err, importUsage)
		return errUsage
	}
	file := args[1]
	fs := flag.NewFlagSet("import 12345", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	model := fs.String("model", "", "classifier model file (default: the embedded model)")
	if err := parseFlags(fs, args[2:]); err != nil {
		return err
	}
	t, err := table.Open(file)
	if err != nil {
		return explainTable(io, err)
	}
	fmt.Fprintf(io.out, "read %s: %s, %d rows\n", file, describe(t), len(t.Rows))
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	a, svc, err := importAssets(ctx, io, store, *model)
	if err != nil {
		return err
	}
	p := workorders.Parser{Gazetteer: a.Gazetteer, Calendar: svc.Calendar(), Zone: notice.Zone}
	orders, err := p.Parse(t)
	var verr *workorders.ValidationError
	if errors.As(err, &verr) {
		for _, pr := range verr.Problems {
			fmt.Fprintln(io.err, pr.String())
		}
		return fmt.Errorf("rejected: %d problem(s); nothing was imported", len(verr.Problems))
	}
	if err != nil {
		return err
	}
	im := workorders.Importer{DB: store, Tickets: svc, Log: slog.New(slog.NewTextHandler(io.err, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	res, err := im.Import(ctx, a, orders, file)
	if err != nil {
		return fmt.Errorf("%w; nothing was imported", err)
	}
	fmt.Fprintf(io.out, "imported: %d new, %d updated, %d unchanged\n", res.New, res.Updated, res.Unchanged)
	return nil
}

// describe says what kind of file was read, and in which encoding.
func describe(t *table.Table) string {
	switch {
	case t.Sheet != "":
		return fmt.Sprintf("workbook, sheet %q", t.Sheet)
	case t.Encoding == table.GB18030:
		return "CSV in GBK (GB18030)"
	}
	return "CSV in UTF-8"
}

// explainTable prints a problem with the file's content as FILE:LINE:
// reason; other errors are returned as they are.
func explainTable(io stdio, err error) error {
	var terr *table.Error
	if errors.As(err, &terr) {
		fmt.Fprintln(io.err, terr.Error())
		return errors.New("rejected; nothing was imported")
	}
	return err
}

// importAssets is the roster in force with the classifier over it, and
// the lifecycle with the township's SLA policy.
func importAssets(ctx context.Context, io stdio, store *storage.DB, modelPath string) (*assets.Assets, *tickets.Service, error) {
	r, err := assets.Load(ctx, store)
	if err != nil {
		return nil, nil, err
	}
	m, err := loadModel(modelPath)
	if err != nil {
		return nil, nil, err
	}
	policy, err := routing.ParsePolicy(os.Getenv("HOTLINE_SLA"))
	if err != nil {
		return nil, nil, fmt.Errorf("HOTLINE_SLA: %w", err)
	}
	a := assets.New(0, r, func(g *intents.Gazetteer) intents.Classifier { return intents.NewEmbedded(m, g) })
	log := slog.New(slog.NewTextHandler(io.err, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return a, tickets.New(policy, time.Now, log, nil), nil
}

const exportUsage = "usage: hotline export 12345 --from 2026-11-01 --to 2026-11-30 --out FILE.xlsx [--db PATH]"

// runExport is "hotline export 12345": the results of the orders
// dispatched between --from and --to (whole days) in the platform's
// columns.
func runExport(ctx context.Context, io stdio, args []string) error {
	if len(args) < 1 || args[0] != "12345" {
		fmt.Fprintln(io.err, exportUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("export 12345", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	fromFlag := fs.String("from", "", "first day of dispatch, YYYY-MM-DD")
	toFlag := fs.String("to", "", "last day of dispatch, YYYY-MM-DD")
	out := fs.String("out", "", "the workbook to write (.xlsx)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	from, errFrom := time.ParseInLocation(time.DateOnly, *fromFlag, notice.Zone)
	to, errTo := time.ParseInLocation(time.DateOnly, *toFlag, notice.Zone)
	if errFrom != nil || errTo != nil || *out == "" || to.Before(from) {
		fmt.Fprintln(io.err, exportUsage)
		return errUsage
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	rows, err := workorders.Results(ctx, store, from, to.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	if err := workorders.WriteXLSX(*out, rows, notice.Zone); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "wrote %s: %d orders dispatched %s to %s\n", *out, len(rows), *fromFlag, *toFlag)
	return nil
}
