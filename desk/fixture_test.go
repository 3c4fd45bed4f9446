package desk

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hotline/api"
	"hotline/assets"
	"hotline/intents"
	"hotline/outreach"
	"hotline/roster"
	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

const (
	cadre      = roster.StaffID(11) // 翟各庄村
	otherCadre = roster.StaffID(12) // 梁家务村
	leader     = roster.StaffID(21) // 东片区
	water      = roster.StaffID(31)
	center     = roster.StaffID(41)
	resident   = int64(900001)
)

func testRoster() *roster.Roster {
	return &roster.Roster{
		Villages: []roster.Village{{Name: "翟各庄村", Area: "东片区", Households: 300}, {Name: "马各庄村", Area: "东片区"},
			{Name: "梁家务村", Area: "西片区"}},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: cadre, Role: roster.VillageCadre, Villages: []string{"翟各庄村"}, Phone: "13900001111"},
			{Name: "王强", TelegramID: otherCadre, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "李东", TelegramID: leader, Role: roster.AreaLeader, Area: "东片区"},
			{Name: "水务站", TelegramID: water, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Water}},
			{Name: "中心", TelegramID: center, Role: roster.Center},
		},
	}
}

type fixture struct {
	t       *testing.T
	db      *storage.DB
	srv     *httptest.Server
	desk    *Server
	svc     *tickets.Service
	sign    *signin.Service
	a       *assets.Assets
	now     time.Time
	numbers map[string]string
}

// newFixture serves the desk over a small township: a registered
// resident and tickets in 翟各庄村 (roads, water) and 梁家务村 (roads).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), numbers: map[string]string{}}
	clock := func() time.Time { return f.now }
	log := slog.New(slog.DiscardHandler)
	f.svc = tickets.New(routing.DefaultPolicy(), clock, log, nil)
	f.a = assets.New(0, testRoster(), nil)
	if f.sign, err = signin.New("http://127.0.0.1:8080", clock); err != nil {
		t.Fatal(err)
	}
	cfg, err := outreach.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	out := outreach.New(db, assets.Fixed{A: f.a}, f.svc, cfg, clock, log)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range f.a.Roster.Staff {
			if err := tx.MarkStarted(ctx, int64(s.TelegramID), f.now); err != nil {
				return err
			}
		}
		for i, v := range []string{"翟各庄村", "翟各庄村", "梁家务村"} {
			id := resident + int64(i)
			if _, err := tx.EnsureResident(ctx, id, "张大爷", f.now); err != nil {
				return err
			}
			if err := tx.MarkStarted(ctx, id, f.now); err != nil {
				return err
			}
			if err := tx.SetResidentPhone(ctx, id, "13812345678"); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, id, v, f.now); err != nil {
				return err
			}
		}
		for _, o := range []struct {
			name, village, text string
			cat                 taxonomy.Category
		}{
			{"zroad", "翟各庄村", "村口的路灯坏了 <script>alert(1)</script>", taxonomy.Roads},
			{"zwater", "翟各庄村", "[照片] 自来水管爆了", taxonomy.Water},
			{"lroad", "梁家务村", "[位置] 39.12345,116.54321 路面塌了一个坑", taxonomy.Roads},
		} {
			f.now = f.now.Add(time.Minute)
			tk, err := f.svc.Open(ctx, tx, f.a, tickets.OpenInput{ResidentID: resident, Text: o.text,
				Intent: intents.Result{Category: o.cat, Urgency: taxonomy.Normal, Village: o.village, Confidence: 0.87, Source: "embedded"}})
			if err != nil {
				return err
			}
			f.numbers[o.name] = tk.Number
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Minute) // a minute after the last ticket
	f.desk, err = New(Config{Config: api.Config{DB: db, Assets: assets.Fixed{A: f.a}, Tickets: f.svc, SignIn: f.sign,
		Now: clock, Log: log}, Outreach: out, Local: true})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.desk)
	t.Cleanup(f.srv.Close)
	return f
}

// browser is a client with its own cookies, signed in or not.
type browser struct {
	f    *fixture
	c    *http.Client
	csrf string
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// link mints a sign-in link for who, as /web does, and returns its path.
func (f *fixture) link(who roster.StaffID) string {
	f.t.Helper()
	var link string
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		link, err = f.sign.Link(context.Background(), tx, who)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return strings.TrimPrefix(link, "http://127.0.0.1:8080")
}

// signIn signs a new browser in as who through a link.
func (f *fixture) signIn(who roster.StaffID) *browser {
	f.t.Helper()
	b := f.browser()
	if code, _ := b.post(f.link(who), nil); code != http.StatusSeeOther {
		f.t.Fatalf("sign in as %d: %d", who, code)
	}
	_, body := b.get("/desk/tickets")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		f.t.Fatalf("no CSRF token on the page:\n%s", body)
	}
	b.csrf = m[1]
	return b
}

func (b *browser) get(path string) (int, string) {
	b.f.t.Helper()
	resp, err := b.c.Get(b.f.srv.URL + path)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// post sends a form; with the browser's CSRF token unless form sets one.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form[signin.CSRFField]; !set && b.csrf != "" {
		form.Set(signin.CSRFField, b.csrf)
	}
	resp, err := b.c.PostForm(b.f.srv.URL+path, form)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (f *fixture) ticket(name string) storage.Ticket {
	f.t.Helper()
	var t storage.Ticket
	err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		t, err = tx.TicketByNumber(context.Background(), f.numbers[name])
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return t
}
