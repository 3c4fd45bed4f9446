// Package signin lets staff into the desk and other systems into the API
// without passwords. A staff member asks the bot for a one-time link
// (/web); the link opens a browser session; the session carries a CSRF
// token for every form it posts. Other systems use API tokens made on the
// command line. Every credential is "id.secret": the id finds its row and
// only a SHA-256 of the secret is stored, compared in constant time. A
// credential names a staff member; their rights are looked up in the
// roster in force at each request, so someone removed from the roster
// loses access at once.
package signin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"hotline/roster"
	"hotline/storage"
)

// How long credentials last.
const (
	LinkTTL    = 10 * time.Minute
	SessionTTL = 12 * time.Hour
)

// LinkPath is where sign-in links point, followed by the link's token.
const LinkPath = "/desk/login/"

// Why a credential is refused. Each wraps ErrRefused.
var (
	ErrRefused = errors.New("not signed in")
	ErrUnknown = fmt.Errorf("%w: unknown or malformed credential", ErrRefused)
	ErrExpired = fmt.Errorf("%w: expired", ErrRefused)
	ErrUsed    = fmt.Errorf("%w: already used, signed out or revoked", ErrRefused)
)

// Service makes and checks credentials.
type Service struct {
	base   *url.URL
	secure bool
	now    func() time.Time
}

// New returns a service whose links point at publicURL (the desk's address
// as staff's browsers reach it, e.g. https://hotline.example.gov.cn).
func New(publicURL string, now func() time.Time) (*Service, error) {
	u, err := url.Parse(publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("public URL %q is not an http(s) URL", publicURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return &Service{base: u, secure: u.Scheme == "https", now: now}, nil
}

// Secure reports whether the desk is served over https, so that its
// cookies must be Secure.
func (s *Service) Secure() bool { return s.secure }

// URL is the public address of path on the desk.
func (s *Service) URL(path string) string { return s.base.String() + path }

// Link mints a one-time sign-in link for a staff member in tx, valid for
// LinkTTL. Expired links and sessions are cleared on the way.
func (s *Service) Link(ctx context.Context, tx *storage.Tx, staff roster.StaffID) (string, error) {
	now := s.now()
	if _, err := tx.PurgeCredentials(ctx, now); err != nil {
		return "", err
	}
	token, err := s.add(ctx, tx, storage.CredentialLink, staff, "", now.Add(LinkTTL))
	if err != nil {
		return "", err
	}
	return s.URL(LinkPath + token), nil
}

// CheckLink reports whose a link is without spending it: the page a link
// opens asks for a click before signing in, so that a preview fetched by a
// chat app does not use the link up.
func (s *Service) CheckLink(ctx context.Context, tx *storage.Tx, token string) (roster.StaffID, error) {
	c, err := s.check(ctx, tx, storage.CredentialLink, token)
	return c.StaffID, err
}

// Session is a signed-in browser.
type Session struct {
	Token   string // the cookie's value
	StaffID roster.StaffID
	Expires time.Time
	CSRF    string // to send back with every POST
}

// Redeem spends a link and opens a session for its staff member.
func (s *Service) Redeem(ctx context.Context, tx *storage.Tx, link string) (Session, error) {
	c, err := s.check(ctx, tx, storage.CredentialLink, link)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	ok, err := tx.EndCredential(ctx, storage.CredentialLink, c.ID, now)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, ErrUsed // spent by another request in between
	}
	exp := now.Add(SessionTTL)
	token, err := s.add(ctx, tx, storage.CredentialSession, c.StaffID, "", exp)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, StaffID: c.StaffID, Expires: exp, CSRF: csrfOf(token)}, nil
}

// Session returns the session of a cookie's value.
func (s *Service) Session(ctx context.Context, tx *storage.Tx, token string) (Session, error) {
	c, err := s.check(ctx, tx, storage.CredentialSession, token)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, StaffID: c.StaffID, Expires: c.ExpiresAt, CSRF: csrfOf(token)}, nil
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, tx *storage.Tx, sess Session) error {
	id, _, _ := strings.Cut(sess.Token, ".")
	_, err := tx.EndCredential(ctx, storage.CredentialSession, id, s.now())
	return err
}

// ValidCSRF reports whether token is the session's CSRF token.
func (sess Session) ValidCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) == 1
}

// csrfOf derives a session's CSRF token from its secret: the server keeps
// nothing more, and nobody without the cookie can compute it.
func csrfOf(session string) string {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("hotline desk csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// add stores a new credential and returns its token.
func (s *Service) add(ctx context.Context, tx *storage.Tx, kind string, staff roster.StaffID, note string, expires time.Time) (string, error) {
	id, secret := newID(), random(32)
	sum := sha256.Sum256([]byte(secret))
	err := tx.AddCredential(ctx, storage.Credential{ID: id, Kind: kind, Hash: sum[:], StaffID: staff, Note: note,
		CreatedAt: s.now(), ExpiresAt: expires})
	if err != nil {
		return "", err
	}
	return id + "." + secret, nil
}

// check finds the credential of kind a token names and checks its secret,
// expiry and end.
func (s *Service) check(ctx context.Context, tx *storage.Tx, kind, token string) (storage.Credential, error) {
	id, secret, ok := strings.Cut(token, ".")
	if !ok || id == "" || secret == "" || len(token) > 128 {
		return storage.Credential{}, ErrUnknown
	}
	c, err := tx.Credential(ctx, kind, id)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Credential{}, ErrUnknown
	}
	if err != nil {
		return storage.Credential{}, err
	}
	sum := sha256.Sum256([]byte(secret))
	switch {
	case subtle.ConstantTimeCompare(sum[:], c.Hash) != 1:
		return storage.Credential{}, ErrUnknown
	case !c.EndedAt.IsZero():
		return c, ErrUsed
	case !c.ExpiresAt.IsZero() && !s.now().Before(c.ExpiresAt):
		return c, ErrExpired
	}
	return c, nil
}

// newID is a credential's public id: hex, because admins type it after
// "token revoke", and a base64 id may begin with "-" and be taken for a flag.
func newID() string { return hex.EncodeToString(randomBytes(12)) }

// random is n random bytes, URL-safe.
func random(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}
