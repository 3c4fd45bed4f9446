package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hotline/intents"
	"hotline/roster"
)

const intentsUsage = `usage:
  hotline intents train --data FILE [--text COLS] [--label COL] --out MODEL [--villages FILE] [--split all|train|heldout]
  hotline intents cv    --data FILE [--text COLS] [--label COL] [--folds 5] [--villages FILE] [--split all|train|heldout]
  hotline intents eval  --data FILE [--text COLS] [--label COL] [--villages FILE] [--db PATH] [--model MODEL]
                        [--split all|train|heldout] [--robust=false] [--mistakes]

FILE is .csv (UTF-8, or GBK/GB18030 as Excel on Chinese Windows saves it),
.xlsx (first sheet), .jsonl, or a directory of .jsonl files. Columns are
found by name whatever their case or width:
  --text COLS   comma-separated columns joined as the message (default text),
                e.g. --text title,detail
  --label COL   the column holding the label (default category); any label
                set works for train and cv, eval compares with the taxonomy
  Columns id, urgency, village and resident_village are read when present;
  eval prints n/a for a measure whose column is missing.
  --split       all (default) uses every row; train or heldout keep only
                that part of a fixed split (a hash of each row's id puts 20%
                in heldout, the same on every machine). Train on train and
                eval on heldout to measure on messages the model never saw.
eval prints, besides the clean scores, the same messages varied as residents
write them (polite endings, traditional characters, no punctuation,
homophones, pinyin, anger). Commands that only read a model never create a
database: without --villages, eval and classify read the roster of an
existing --db, or the demo roster when there is none.`

// runIntents is "hotline intents train|cv|eval".
func runIntents(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(io.err, intentsUsage)
		return errUsage
	}
	switch args[0] {
	case "train":
		return runIntentsTrain(ctx, io, args[1:])
	case "cv":
		return runIntentsCV(ctx, io, args[1:])
	case "eval":
		return runIntentsEval(ctx, io, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(io.out, intentsUsage)
		return nil
	}
	fmt.Fprintf(io.err, "intents: unknown subcommand %q\n%s\n", args[0], intentsUsage)
	return errUsage
}

// dataFlags are the flags that say which labelled data to read.
type dataFlags struct {
	data, text, label, split, villages *string
}

func addDataFlags(fs *flag.FlagSet, villagesHelp string) dataFlags {
	return dataFlags{
		data:     fs.String("data", "", "labelled data: .csv, .jsonl, .xlsx or a directory of .jsonl"),
		text:     fs.String("text", "text", "comma-separated text columns, joined"),
		label:    fs.String("label", "category", "label column"),
		split:    fs.String("split", "all", "all rows, or only the train or heldout part of the fixed 80/20 split by a hash of each id"),
		villages: fs.String("villages", "", villagesHelp),
	}
}

// read loads the examples the flags select.
func (d dataFlags) read() ([]intents.Example, error) {
	var cols intents.Columns
	for _, c := range strings.Split(*d.text, ",") {
		if c = strings.ToLower(strings.TrimSpace(c)); c != "" {
			cols.Text = append(cols.Text, c)
		}
	}
	cols.Label = strings.ToLower(strings.TrimSpace(*d.label))
	ex, err := intents.ReadExamples(*d.data, cols)
	if err != nil {
		return nil, err
	}
	ex, err = intents.SelectSplit(ex, *d.split)
	if err != nil {
		return nil, err
	}
	if len(ex) == 0 {
		return nil, fmt.Errorf("%s: no labelled examples", *d.data)
	}
	return ex, nil
}

// gazetteer is the villages file's gazetteer, or nil without one.
func (d dataFlags) gazetteer() (*intents.Gazetteer, error) {
	if *d.villages == "" {
		return nil, nil
	}
	r, err := roster.Load(*d.villages, "")
	if err != nil {
		return nil, err
	}
	return intents.NewGazetteer(r.Villages), nil
}

// parseDataFlags parses and checks that --data is given.
func parseDataFlags(fs *flag.FlagSet, d dataFlags, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *d.data == "" {
		fmt.Fprintf(fs.Output(), "%s: --data is required\n", fs.Name())
		fs.Usage()
		return errUsage
	}
	return nil
}

func newIntentsFlagSet(name string, io stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("intents "+name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), intentsUsage)
		fs.PrintDefaults()
	}
	return fs
}

func runIntentsTrain(ctx context.Context, io stdio, args []string) error {
	fs := newIntentsFlagSet("train", io)
	d := addDataFlags(fs, "villages table whose names are masked in training (optional)")
	out := fs.String("out", "", "model file to write")
	if err := parseDataFlags(fs, d, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(io.err, "intents train: --out is required")
		fs.Usage()
		return errUsage
	}
	ex, err := d.read()
	if err != nil {
		return err
	}
	opts := intents.DefaultTrainOptions()
	if opts.Gazetteer, err = d.gazetteer(); err != nil {
		return err
	}
	m, err := intents.Train(ex, opts)
	if err != nil {
		return err
	}
	if err := writeModel(m, *out); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "trained on %d examples: %d labels, urgency %v, temperature %.3f; wrote %s\n",
		len(ex), len(m.Labels()), m.HasUrgency(), m.Temperature(), *out)
	return nil
}

// writeModel writes the model next to path and renames it into place, so
// a failed write never leaves half a model where a server would load it.
func writeModel(m *intents.Model, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := m.Save(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func runIntentsCV(ctx context.Context, io stdio, args []string) error {
	fs := newIntentsFlagSet("cv", io)
	d := addDataFlags(fs, "villages table whose names are masked in training (optional)")
	folds := fs.Int("folds", 5, "number of folds")
	if err := parseDataFlags(fs, d, args); err != nil {
		return err
	}
	if *folds < 2 {
		fmt.Fprintln(io.err, "intents cv: --folds must be at least 2")
		return errUsage
	}
	ex, err := d.read()
	if err != nil {
		return err
	}
	opts := intents.DefaultTrainOptions()
	opts.CalibrationShare = -1 // confidence plays no part in accuracy
	if opts.Gazetteer, err = d.gazetteer(); err != nil {
		return err
	}
	r, err := intents.CrossValidate(ctx, ex, *folds, opts)
	if err != nil {
		return err
	}
	return r.Write(io.out)
}

func runIntentsEval(ctx context.Context, io stdio, args []string) error {
	fs := newIntentsFlagSet("eval", io)
	db := dbFlag(fs)
	d := addDataFlags(fs, "villages table for village names (default: the roster in --db)")
	model := fs.String("model", "", "model file from 'hotline intents train' (default: the embedded model)")
	mistakes := fs.Bool("mistakes", false, "list every misclassified message")
	robust := fs.Bool("robust", true, "also score the messages varied as residents write them")
	if err := parseDataFlags(fs, d, args); err != nil {
		return err
	}
	ex, err := d.read()
	if err != nil {
		return err
	}
	c, err := newClassifier(ctx, io, *d.villages, *db, *model)
	if err != nil {
		return err
	}
	r, err := intents.Evaluate(ctx, c, ex)
	if err != nil {
		return err
	}
	if *robust {
		if r.Robustness, err = intents.Robustness(ctx, c, ex); err != nil {
			return err
		}
	}
	return r.Write(io.out, *mistakes)
}
