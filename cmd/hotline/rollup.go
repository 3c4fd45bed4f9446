package main

import (
	"context"
	"flag"
	"fmt"

	"hotline/storage"
)

// runRollup is "hotline rollup rebuild": the reports' rollup recounted
// from the tickets, after ticket rows were repaired by hand (the service
// keeps it in every ticket change and fills it at start when it is
// empty). Safe beside serve: one write transaction, which waits its turn
// and holds up serve's writes while it runs (about 15 s at a million
// tickets).
func runRollup(ctx context.Context, io stdio, args []string) error {
	fs := flag.NewFlagSet("rollup", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: hotline rollup rebuild [--db PATH]")
		fs.PrintDefaults()
	}
	if len(args) == 0 || args[0] != "rebuild" {
		fs.Usage()
		return errUsage
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.RebuildRollup(ctx); err != nil {
		return fmt.Errorf("rebuild the rollup of %s: %w", *db, err)
	}
	fmt.Fprintf(io.out, "rebuilt the reports' rollup of %s\n", *db)
	return nil
}
