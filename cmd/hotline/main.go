// Command hotline is the township's resident hotline: one binary whose
// subcommands run the service and its administration tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// stdio is where a subcommand reads and writes; tests pass buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, io stdio, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the hotline (default; local mode without TELEGRAM_BOT_TOKEN)", runServe},
		{"roster", "import the roster: roster import --villages FILE [--staff FILE]", runRoster},
		{"classify", "classify JSON Lines from stdin", runClassify},
		{"intents", "train, cross-validate and evaluate the classifier: intents train|cv|eval", runIntents},
		{"outreach", "proactive campaigns: outreach list|preview|run|broadcast", runOutreach},
		{"report", "digests: report daily|weekly|monthly|yearend [--xlsx FILE]", runReport},
		{"backup", "copy the database safely while serve runs: backup --out FILE", runBackup},
		{"rollup", "recount the reports' rollup from the tickets: rollup rebuild", runRollup},
		{"gen", "fill a database with generated tickets: gen --tickets N --db FILE", runGen},
		{"token", "API tokens: token create --staff ID [--note TEXT] | list | revoke ID", runToken},
		{"import", "12345 work orders in: import 12345 FILE (.xlsx or CSV, UTF-8 or GBK)", runImport},
		{"export", "12345 results out: export 12345 --from DAY --to DAY --out FILE.xlsx", runExport},
	}
}

// errUsage marks an error that has already been explained to the user.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, stdio{os.Stdin, os.Stdout, os.Stderr}, os.Args[1:]))
}

// run dispatches to a subcommand and turns its error into an exit status.
func run(ctx context.Context, io stdio, args []string) int {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, io, args)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(io.err, "hotline %s: %v\n", name, err)
			return 1
		}
	}
	fmt.Fprintf(io.err, "hotline: unknown command %q\n\ncommands:\n", name)
	for _, c := range commands() {
		fmt.Fprintf(io.err, "  %-9s %s\n", c.name, c.summary)
	}
	return 2
}

// dbFlag registers the --db flag every subcommand takes.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("HOTLINE_DB")
	if def == "" {
		def = "hotline.db"
	}
	return fs.String("db", def, "SQLite database file (env HOTLINE_DB)")
}
