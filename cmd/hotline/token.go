package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"time"

	"hotline/assets"
	"hotline/roster"
	"hotline/signin"
	"hotline/storage"
)

const tokenUsage = `usage:
  hotline token create --staff TELEGRAM_ID [--note TEXT]
  hotline token list
  hotline token revoke ID
(all take --db PATH)`

// runToken is "hotline token create|list|revoke": API tokens for systems
// that call /api/v1. A token has exactly its staff member's rights in the
// roster in force at each request.
func runToken(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(io.err, tokenUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	staff := fs.Int64("staff", 0, "create: the staff member's Telegram id, whose rights the token has")
	note := fs.String("note", "", "create: what the token is for, e.g. 区12345平台")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	// Tokens never name the desk's address; links do, and none is made here.
	sign, err := signin.New("http://127.0.0.1", time.Now)
	if err != nil {
		return err
	}
	switch {
	case sub == "create" && fs.NArg() == 0 && *staff > 0:
		return createToken(ctx, io, store, sign, roster.StaffID(*staff), *note)
	case sub == "list" && fs.NArg() == 0:
		return listTokens(ctx, io, store, sign)
	case sub == "revoke" && fs.NArg() == 1:
		if err := store.Update(ctx, func(tx *storage.Tx) error { return sign.RevokeToken(ctx, tx, fs.Arg(0)) }); err != nil {
			return err
		}
		fmt.Fprintf(io.out, "revoked token %s\n", fs.Arg(0))
		return nil
	}
	fmt.Fprintln(io.err, tokenUsage)
	return errUsage
}

func createToken(ctx context.Context, io stdio, store *storage.DB, sign *signin.Service, id roster.StaffID, note string) error {
	r, err := assets.Load(ctx, store)
	if err != nil {
		return err
	}
	st, ok := r.StaffByID(id)
	if !ok {
		return fmt.Errorf("%d is not in the roster in force", id)
	}
	var token string
	if err := store.Update(ctx, func(tx *storage.Tx) error {
		token, err = sign.CreateToken(ctx, tx, id, note)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "API token for %s (%s, %d); it is shown only now, keep it secret:\n%s\n", st.Name, st.Role.Chinese(), id, token)
	return nil
}

func listTokens(ctx context.Context, io stdio, store *storage.DB, sign *signin.Service) error {
	r, err := assets.Load(ctx, store)
	if err != nil {
		return err
	}
	return store.View(ctx, func(tx *storage.Tx) error {
		list, err := sign.Tokens(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range list {
			who := strconv.FormatInt(int64(c.StaffID), 10)
			if st, ok := r.StaffByID(c.StaffID); ok {
				who += " " + st.Name
			} else {
				who += " (not in the roster: refused)"
			}
			state := "active"
			if !c.EndedAt.IsZero() {
				state = "revoked " + c.EndedAt.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(io.out, "%s  %s  created %s  %s  %s\n", c.ID, who, c.CreatedAt.Local().Format("2006-01-02 15:04"), state, c.Note)
		}
		return nil
	})
}
