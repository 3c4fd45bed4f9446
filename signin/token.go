package signin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/roster"
	"hotline/storage"
)

// API tokens, for systems that call /api/v1 (e.g. the district's 12345
// platform). A token has exactly its staff member's rights.

// CreateToken makes an API token for a staff member and returns it; it is
// shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, tx *storage.Tx, staff roster.StaffID, note string) (string, error) {
	return s.add(ctx, tx, storage.CredentialToken, staff, note, time.Time{})
}

// Token returns whose an API token is.
func (s *Service) Token(ctx context.Context, tx *storage.Tx, token string) (roster.StaffID, error) {
	c, err := s.check(ctx, tx, storage.CredentialToken, token)
	return c.StaffID, err
}

// Tokens lists the API tokens, revoked ones too (their secrets are not
// stored, so this shows only ids, owners and notes).
func (s *Service) Tokens(ctx context.Context, tx *storage.Tx) ([]storage.Credential, error) {
	return tx.Credentials(ctx, storage.CredentialToken)
}

// RevokeToken ends the API token with id for good.
func (s *Service) RevokeToken(ctx context.Context, tx *storage.Tx, id string) error {
	ok, err := tx.EndCredential(ctx, storage.CredentialToken, id, s.now())
	if err != nil {
		return err
	}
	if !ok {
		if _, err := tx.Credential(ctx, storage.CredentialToken, id); errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("no token %q", id)
		}
		return fmt.Errorf("token %q: %w", id, ErrUsed)
	}
	return nil
}
