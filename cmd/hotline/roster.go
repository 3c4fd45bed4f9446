package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"hotline/assets"
	"hotline/roster"
	"hotline/storage"
)

// runRoster is "hotline roster import --villages FILE [--staff FILE]".
func runRoster(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(io.err, "usage: hotline roster import [--db PATH] --villages FILE [--staff FILE]")
		return errUsage
	}
	fs := flag.NewFlagSet("roster import", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	villages := fs.String("villages", "", "villages table (.csv or .xlsx)")
	staff := fs.String("staff", "", "staff table (.csv or .xlsx)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *villages == "" {
		fmt.Fprintln(io.err, "roster import: --villages is required")
		return errUsage
	}
	r, err := roster.Load(*villages, *staff)
	if err != nil {
		var verr *roster.ValidationError
		if errors.As(err, &verr) {
			for _, p := range verr.Problems {
				fmt.Fprintln(io.err, p.String())
			}
			return fmt.Errorf("rejected: %d problem(s); the roster in force is unchanged", len(verr.Problems))
		}
		return err
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	source := *villages
	if *staff != "" {
		source += " + " + *staff
	}
	if err := assets.Import(ctx, store, r, *staff != "", source, time.Now()); err != nil {
		return err
	}
	if len(r.Staff) > 0 && len(r.Centers()) == 0 {
		// Not a contract violation, but "other" tickets and escalations
		// past the area leader would then have nowhere to go.
		fmt.Fprintln(io.err, "warning: the roster has no center (市民诉求处置中心) staff; tickets in \"other\" and escalations past the area leader cannot be routed")
	}
	communities := 0
	for _, v := range r.Villages {
		if v.Kind == "community" {
			communities++
		}
	}
	fmt.Fprintf(io.out, "imported roster into %s: %d villages and %d communities in %d 片区, %d staff\n",
		store.Path(), len(r.Villages)-communities, communities, len(r.Areas()), len(r.Staff))
	return nil
}

// openRoster opens the database at dbPath only to read its roster.
func openRoster(ctx context.Context, dbPath string) (*roster.Roster, error) {
	store, err := storage.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	return assets.Load(ctx, store)
}
