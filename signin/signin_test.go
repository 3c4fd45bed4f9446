package signin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hotline/storage"
)

type fixture struct {
	db  *storage.DB
	s   *Service
	now time.Time
}

func newFixture(t *testing.T, public string) *fixture {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	if f.s, err = New(public, func() time.Time { return f.now }); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) update(t *testing.T, fn func(tx *storage.Tx) error) error {
	t.Helper()
	return f.db.Update(context.Background(), fn)
}

func (f *fixture) link(t *testing.T) string {
	t.Helper()
	var link string
	if err := f.update(t, func(tx *storage.Tx) error {
		var err error
		link, err = f.s.Link(context.Background(), tx, 42)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, token, _ := strings.Cut(link, LinkPath)
	return token
}

func (f *fixture) redeem(t *testing.T, token string) (Session, error) {
	t.Helper()
	var sess Session
	err := f.update(t, func(tx *storage.Tx) error {
		var err error
		sess, err = f.s.Redeem(context.Background(), tx, token)
		return err
	})
	return sess, err
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:8080", "ftp://x", "http://"} {
		if _, err := New(u, time.Now); err == nil {
			t.Errorf("New(%q): want an error", u)
		}
	}
}

func TestLinkOnceWithinTenMinutes(t *testing.T) {
	f := newFixture(t, "https://desk.example/sub/")
	ctx := context.Background()
	var full string
	if err := f.update(t, func(tx *storage.Tx) error {
		var err error
		full, err = f.s.Link(ctx, tx, 42)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(full, "https://desk.example/sub/desk/login/") {
		t.Fatalf("link = %s", full)
	}
	token := strings.TrimPrefix(full, "https://desk.example/sub"+LinkPath)
	// Looking at it does not spend it.
	for range 2 {
		if err := f.db.View(ctx, func(tx *storage.Tx) error {
			id, err := f.s.CheckLink(ctx, tx, token)
			if err == nil && id != 42 {
				t.Errorf("link is %d's", id)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	f.now = f.now.Add(LinkTTL - time.Second)
	sess, err := f.redeem(t, token)
	if err != nil || sess.StaffID != 42 || !sess.Expires.Equal(f.now.Add(SessionTTL)) || sess.CSRF == "" {
		t.Fatalf("redeem: %+v, %v", sess, err)
	}
	if _, err := f.redeem(t, token); !errors.Is(err, ErrUsed) {
		t.Fatalf("second use: %v", err)
	}
	late := f.link(t)
	f.now = f.now.Add(LinkTTL)
	if _, err := f.redeem(t, late); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired link: %v", err)
	}
	id, _, _ := strings.Cut(late, ".")
	for _, bad := range []string{"", "nodot", id + ".wrongsecret", "x.y", late + "x", strings.Repeat("a.", 100)} {
		if _, err := f.redeem(t, bad); !errors.Is(err, ErrUnknown) {
			t.Errorf("redeem %q: %v", bad, err)
		}
	}
	// Only the hash is stored.
	if err := f.db.View(ctx, func(tx *storage.Tx) error {
		c, err := tx.Credential(ctx, storage.CredentialLink, id)
		if err == nil && strings.Contains(string(c.Hash), strings.SplitN(late, ".", 2)[1]) {
			t.Error("the secret is stored")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func TestSessionAndSignOut(t *testing.T) {
	f := newFixture(t, "http://127.0.0.1:8080")
	ctx := context.Background()
	sess, err := f.redeem(t, f.link(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.s.Secure() {
		t.Error("http is not Secure")
	}
	get := func(s Session) error {
		return f.db.View(ctx, func(tx *storage.Tx) error {
			_, err := f.s.Session(ctx, tx, s.Token)
			return err
		})
	}
	if err := get(sess); err != nil {
		t.Fatal(err)
	}
	if _, err := f.redeem(t, sess.Token); !errors.Is(err, ErrUnknown) {
		t.Errorf("a session used as a link: %v", err)
	}
	if !sess.ValidCSRF(sess.CSRF) || sess.ValidCSRF("") || sess.ValidCSRF(sess.CSRF+"x") {
		t.Error("CSRF check")
	}
	other, err := f.redeem(t, f.link(t))
	if err != nil || other.CSRF == sess.CSRF {
		t.Fatalf("two sessions share a CSRF token: %v", err)
	}
	if err := f.update(t, func(tx *storage.Tx) error { return f.s.SignOut(ctx, tx, sess) }); err != nil {
		t.Fatal(err)
	}
	if err := get(sess); !errors.Is(err, ErrUsed) {
		t.Fatalf("after sign-out: %v", err)
	}
	f.now = f.now.Add(SessionTTL)
	if err := get(other); !errors.Is(err, ErrExpired) {
		t.Fatalf("after 12 h: %v", err)
	}
}

func TestTokens(t *testing.T) {
	f := newFixture(t, "http://127.0.0.1:8080")
	ctx := context.Background()
	var token string
	if err := f.update(t, func(tx *storage.Tx) error {
		var err error
		token, err = f.s.CreateToken(ctx, tx, 7, "12345 平台")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(1000 * time.Hour) // tokens do not expire
	var list []storage.Credential
	if err := f.db.View(ctx, func(tx *storage.Tx) error {
		id, err := f.s.Token(ctx, tx, token)
		if err != nil || id != 7 {
			t.Fatalf("token is %d's, %v", id, err)
		}
		list, err = f.s.Tokens(ctx, tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Note != "12345 平台" || list[0].StaffID != 7 {
		t.Fatalf("list = %+v", list)
	}
	id := list[0].ID
	if err := f.update(t, func(tx *storage.Tx) error { return f.s.RevokeToken(ctx, tx, id) }); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{id, "nope"} {
		if err := f.update(t, func(tx *storage.Tx) error { return f.s.RevokeToken(ctx, tx, bad) }); err == nil {
			t.Errorf("revoke %q again: want an error", bad)
		}
	}
	if err := f.db.View(ctx, func(tx *storage.Tx) error {
		_, err := f.s.Token(ctx, tx, token)
		return err
	}); !errors.Is(err, ErrUsed) {
		t.Fatalf("revoked token: %v", err)
	}
}

func TestIdentify(t *testing.T) {
	f := newFixture(t, "https://desk.example")
	ctx := context.Background()
	sess, err := f.redeem(t, f.link(t))
	if err != nil {
		t.Fatal(err)
	}
	var token string
	if err := f.update(t, func(tx *storage.Tx) error {
		token, err = f.s.CreateToken(ctx, tx, 7, "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	f.s.SetCookie(rec, sess)
	cookie := rec.Result().Cookies()[0]
	if !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteStrictMode || cookie.MaxAge != 12*3600 {
		t.Fatalf("cookie = %+v", cookie)
	}
	req := func(method, auth string, withCookie bool, form url.Values, header string) *http.Request {
		r := httptest.NewRequest(method, "/x", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if withCookie {
			r.AddCookie(cookie)
		}
		if header != "" {
			r.Header.Set(CSRFHeader, header)
		}
		return r
	}
	for _, c := range []struct {
		name string
		r    *http.Request
		who  int64
		want error
	}{
		{"nothing", req("GET", "", false, nil, ""), 0, ErrRefused},
		{"session GET", req("GET", "", true, nil, ""), 42, nil},
		{"session POST without CSRF", req("POST", "", true, nil, ""), 42, ErrCSRF},
		{"session POST with a wrong CSRF", req("POST", "", true, url.Values{CSRFField: {"x"}}, ""), 42, ErrCSRF},
		{"session POST with the CSRF field", req("POST", "", true, url.Values{CSRFField: {sess.CSRF}}, ""), 42, nil},
		{"session POST with the CSRF header", req("POST", "", true, nil, sess.CSRF), 42, nil},
		{"token", req("POST", "Bearer "+token, false, nil, ""), 7, nil},
		{"token wins over a cookie", req("POST", "Bearer "+token, true, nil, ""), 7, nil},
		{"bad token", req("GET", "Bearer x.y", false, nil, ""), 0, ErrRefused},
		{"not bearer", req("GET", "Basic abc", true, nil, ""), 0, ErrRefused},
	} {
		got, err := f.s.Identify(ctx, f.db, c.r)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if int64(got.StaffID) != c.who && err == nil {
			t.Errorf("%s: caller %d, want %d", c.name, got.StaffID, c.who)
		}
	}
}

// An admin types a token's id after "hotline token revoke": it must never
// look like a flag (the CI once drew an id beginning with "-").
func TestIDsAreSafeOnACommandLine(t *testing.T) {
	ok := regexp.MustCompile(`^[0-9a-f]{24}$`)
	for range 2000 {
		if id := newID(); !ok.MatchString(id) {
			t.Fatalf("id %q is not 24 hex digits", id)
		}
	}
}
