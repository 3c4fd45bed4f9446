package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline/roster"
)

// Kinds of credential.
const (
	CredentialLink    = "link"    // one-time sign-in link from the bot's /web
	CredentialSession = "session" // a desk session in a browser
	CredentialToken   = "token"   // an API token for another system
)

// Credential is a stored sign-in secret. Only the SHA-256 of its secret
// half is kept; package signin makes and checks them.
type Credential struct {
	ID        string
	Kind      string
	Hash      []byte
	StaffID   roster.StaffID
	Note      string
	CreatedAt time.Time
	ExpiresAt time.Time // zero: until revoked
	EndedAt   time.Time // zero: still usable
}

const credentialCols = `id, kind, hash, staff_id, note, created_at, expires_at, ended_at`

func scanCredential(sc scanner) (Credential, error) {
	var c Credential
	var created, expires, ended sql.NullString
	if err := sc.Scan(&c.ID, &c.Kind, &c.Hash, &c.StaffID, &c.Note, &created, &expires, &ended); err != nil {
		return Credential{}, err
	}
	c.CreatedAt, c.ExpiresAt, c.EndedAt = parseTime(created), parseTime(expires), parseTime(ended)
	return c, nil
}

// AddCredential stores c.
func (t *Tx) AddCredential(ctx context.Context, c Credential) error {
	_, err := t.exec(ctx, `INSERT INTO credentials (id, kind, hash, staff_id, note, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Kind, c.Hash, c.StaffID, c.Note, fmtTime(c.CreatedAt), nullTime(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("add %s: %w", c.Kind, err)
	}
	return nil
}

// Credential returns the credential of kind with id, or ErrNotFound.
func (t *Tx) Credential(ctx context.Context, kind, id string) (Credential, error) {
	c, err := scanCredential(t.tx.QueryRowContext(ctx, `SELECT `+credentialCols+` FROM credentials WHERE id = ? AND kind = ?`, id, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return Credential{}, ErrNotFound
	}
	if err != nil {
		return Credential{}, fmt.Errorf("read %s: %w", kind, err)
	}
	return c, nil
}

// EndCredential marks a credential used, signed out or revoked at at. It
// reports false when it had already ended (or never existed), so of two
// requests racing with one link only one gets true.
func (t *Tx) EndCredential(ctx context.Context, kind, id string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE credentials SET ended_at = ? WHERE id = ? AND kind = ? AND ended_at IS NULL`, fmtTime(at), id, kind)
	if err != nil {
		return false, fmt.Errorf("end %s: %w", kind, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("end %s: %w", kind, err)
	}
	return n == 1, nil
}

// Credentials lists the credentials of a kind, oldest first.
func (t *Tx) Credentials(ctx context.Context, kind string) ([]Credential, error) {
	return queryAll(ctx, t.tx, "list "+kind+"s", scanCredential,
		`SELECT `+credentialCols+` FROM credentials WHERE kind = ? ORDER BY created_at, id`, kind)
}

// PurgeCredentials deletes links and sessions that expired before before:
// they can never be used again. Tokens are kept, revoked ones too, so that
// the list shows what existed.
func (t *Tx) PurgeCredentials(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM credentials WHERE kind IN (?, ?) AND expires_at < ?`,
		CredentialLink, CredentialSession, fmtTime(before))
	if err != nil {
		return 0, fmt.Errorf("purge credentials: %w", err)
	}
	return res.RowsAffected()
}
