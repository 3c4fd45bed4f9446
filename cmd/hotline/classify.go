package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"hotline/intents"
	"hotline/roster"
)

// runClassify is "hotline classify [--villages FILE] [--db PATH] [--model
// FILE]": JSON Lines in on stdin, the same lines with category, urgency,
// village and confidence out on stdout.
func runClassify(ctx context.Context, io stdio, args []string) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	villages := fs.String("villages", "", "villages table (.csv or .xlsx) for village names (default: the roster in --db)")
	model := fs.String("model", "", "model file from 'hotline intents train' (default: the embedded model)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: hotline classify [--villages FILE] [--db PATH] [--model FILE] < in.jsonl > out.jsonl")
		fmt.Fprintln(fs.Output(), `each input line is an object with "text" and optionally "resident_village"`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := newClassifier(ctx, io, *villages, *db, *model)
	if err != nil {
		return err
	}
	return intents.ClassifyLines(ctx, c, io.in, io.out)
}

// parseFlags parses args and rejects leftover arguments; a usage problem
// has already been printed when it returns errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// newClassifier builds the embedded classifier over the model at
// modelPath (the embedded one if "") and the villages of villagesPath, or
// of the roster in the database when villagesPath is "". A database that
// does not exist is not created for this: the demo roster stands in, and
// io.err says so.
func newClassifier(ctx context.Context, io stdio, villagesPath, dbPath, modelPath string) (*intents.Embedded, error) {
	var r *roster.Roster
	var err error
	switch _, statErr := os.Stat(dbPath); {
	case villagesPath != "":
		r, err = roster.Load(villagesPath, "")
	case errors.Is(statErr, fs.ErrNotExist):
		fmt.Fprintf(io.err, "no database at %s: using the demo roster's villages (give --villages or --db)\n", dbPath)
		r = roster.Demo()
	default:
		r, err = openRoster(ctx, dbPath)
	}
	if err != nil {
		return nil, err
	}
	m, err := loadModel(modelPath)
	if err != nil {
		return nil, err
	}
	return intents.NewEmbedded(m, intents.NewGazetteer(r.Villages)), nil
}
