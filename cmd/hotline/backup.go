package main

import (
	"context"
	"flag"
	"fmt"

	"hotline/storage"
)

// runBackup is "hotline backup --out FILE": a consistent copy of the
// database, safe to take while serve runs (see storage.Backup and the
// README's restore steps).
func runBackup(ctx context.Context, io stdio, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	out := fs.String("out", "", "file to write the copy to (replaced whole once the copy is complete and checked)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: hotline backup [--db PATH] --out FILE")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(io.err, "backup: --out is required")
		return errUsage
	}
	res, err := storage.Backup(ctx, *db, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.out, "backed up %s to %s: %d pages, %.1f MB, checked\n", *db, *out, res.Pages, float64(res.Bytes)/1e6)
	return nil
}
