package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hotline/botsim"
	"hotline/loadgen"
	"hotline/signin"
	"hotline/storage"
)

// The desk in a real browser: Debian's chromium, headless, driven by
// chromedp against the whole local-mode service (bot, botsim, desk).

// chromiumPath finds the browser; the test skips without one, and CI
// installs it (.ci/run: apt-get install -y chromium).
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserCtx starts a fresh headless chromium for the test, with the
// flags that work on a CI machine: no sandbox (CI runs as root), no GPU,
// nothing fetched in the background, a new profile.
func browserCtx(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("chromium is not installed (apt-get install -y chromium); .ci/run installs it so that this test runs there")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// deskWorld is the local-mode service with helpers to act in the chat.
type deskWorld struct {
	t     *testing.T
	s     *service
	watch *apiWatch
	db    string
}

func newDeskWorld(t *testing.T) *deskWorld {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	watch := newAPIWatch()
	db := filepath.Join(t.TempDir(), "desk.db")
	s, err := startServe(ctx, serveConfig{DB: db, Addr: "127.0.0.1:0", RosterEvery: time.Hour, wrapAPI: watch.wrap}, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := s.Wait(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &deskWorld{t: t, s: s, watch: watch, db: db}
}

func (w *deskWorld) user(id int64) botsim.User {
	for _, u := range w.s.sim.Users() {
		if u.ID == id {
			return u
		}
	}
	w.t.Fatalf("no user %d", id)
	return botsim.User{}
}

// say sends text as a user and waits for a bot message containing want.
func (w *deskWorld) say(id int64, text, want string) botsim.Message {
	w.t.Helper()
	w.s.sim.SendText(w.user(id), text)
	return w.waitFor(id, want)
}

func (w *deskWorld) waitFor(id int64, want string) botsim.Message {
	w.t.Helper()
	var m botsim.Message
	w.watch.waitFor(w.t, fmt.Sprintf("%q in chat %d", want, id), func() bool {
		var ok bool
		m, ok = botMessage(w.s.sim, id, want)
		return ok
	})
	return m
}

func (w *deskWorld) press(id int64, m botsim.Message, label string) {
	w.t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == label {
				if _, err := w.s.sim.SendCallback(w.user(id), m.ID, b.CallbackData); err != nil {
					w.t.Fatal(err)
				}
				return
			}
		}
	}
	w.t.Fatalf("no button %q on %q", label, m.Plain)
}

// report registers a resident in village and reports text; it returns
// the ticket number from the receipt.
func (w *deskWorld) report(id int64, area, village, text string) string {
	w.t.Helper()
	w.register(id, area, village)
	return w.number(w.say(id, text, "工单编号"))
}

// register registers a resident in village.
func (w *deskWorld) register(id int64, area, village string) {
	w.t.Helper()
	w.press(id, w.say(id, "/start", "哪个片区"), area)
	w.press(id, w.waitFor(id, "请选择您住的村"), village)
	w.press(id, w.waitFor(id, "70 岁以上"), "跳过")
	w.waitFor(id, "登记完成")
}

// number is the ticket number a receipt gives.
func (w *deskWorld) number(receipt botsim.Message) string {
	w.t.Helper()
	n := regexp.MustCompile(`\d{4}-\d{6}`).FindString(receipt.Plain)
	if n == "" {
		w.t.Fatalf("no number in %q", receipt.Plain)
	}
	return n
}

// webLink asks the bot for a sign-in link as staff member id.
func (w *deskWorld) webLink(id int64) string {
	w.t.Helper()
	m := w.say(id, "/web", "工作台登录链接")
	link := regexp.MustCompile(`https?://\S+/desk/login/\S+`).FindString(m.Plain)
	if link == "" {
		w.t.Fatalf("no link in %q", m.Plain)
	}
	return link
}

// signIn opens a link and presses 登录工作台.
func signIn(link string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("signin")),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.CSS("header.top nav")),
	)
}

// text reads the text of the page's main element.
func text(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	deskResident  = 900000001 // 张大爷
	deskResident2 = 900000002 // 李奶奶
	deskCadre     = 100000001 // 曾令发, cadre of 翟各庄村
	deskCadre2    = 100000002 // 王建国, cadre of 东寺庄村
	deskCentre    = 400000001 // 韩晓雪, the centre
)

func TestDeskInBrowser(t *testing.T) {
	ctx := browserCtx(t)
	w := newDeskWorld(t)
	for _, id := range []int64{deskCadre, deskCadre2, deskCentre} {
		w.say(id, "/start", "您好")
	}
	lamp := w.report(deskResident, "东片区", "翟各庄村", "翟各庄村口的路灯坏了一个星期了，晚上老人出门很危险")
	other := w.report(deskResident2, "东片区", "东寺庄村", "东寺庄村西头的垃圾好几天没人清运了")

	seedForScreenshots(t, w)

	// Sign in as the centre through a /web link: 总览 opens, and its charts
	// are drawn by the embedded ECharts (a canvas with pixels).
	link := w.webLink(deskCentre)
	if body := text(t, ctx, signIn(link), chromedp.WaitVisible(chromedp.CSS(`#trend[data-drawn="1"] canvas`))); !strings.Contains(body, "今日新增") {
		t.Fatalf("after sign-in: %q", body)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const c = document.querySelector("#trend canvas");
		if (!c || c.width === 0 || c.height === 0) return false;
		const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
		return false;
	})()`))
	if err != nil || !drawn {
		t.Fatalf("the trend chart is not drawn: %v", err)
	}
	shot(t, ctx, "overview")

	// Filter the queue to 翟各庄村: the lamp ticket, not the other.
	lampLink := chromedp.CSS(`a[href="/desk/tickets/` + lamp + `"]`)
	err = chromedp.Do(ctx, chromedp.Navigate(w.s.URL()+"desk/tickets"), chromedp.WaitVisible(chromedp.ID("filters")))
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
	shot(t, ctx, "queue")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`select[name="village"]`), "翟各庄村"),
		chromedp.Submit(chromedp.ID("filters")),
		chromedp.WaitVisible(lampLink),
	)
	if err != nil {
		t.Fatalf("filter: %v", err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#queue tbody")))
	if err != nil || !strings.Contains(rows, lamp) || strings.Contains(rows, other) {
		t.Fatalf("filtered queue: %q, %v", rows, err)
	}

	// Open the ticket and transfer it to 王建国.
	err = chromedp.Do(ctx,
		chromedp.Click(lampLink),
		chromedp.WaitVisible(chromedp.ID("act-transfer")),
		chromedp.SetValue(chromedp.CSS(`#act-transfer select[name="to"]`), fmt.Sprint(deskCadre2)),
		chromedp.Click(chromedp.CSS(`#act-transfer button`)),
		chromedp.WaitVisible(chromedp.CSS("p.done")),
	)
	if err != nil {
		t.Fatalf("transfer: %v", err)
	}
	if handler, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("handler"))); err != nil || !strings.Contains(handler, "王建国") {
		t.Fatalf("handler after transfer: %q, %v", handler, err)
	}
	shot(t, ctx, "ticket")
	if os.Getenv("HOTLINE_SCREENSHOTS") != "" { // the same page on a phone
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		shot(t, ctx, "ticket-phone")
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}
	// The bot tells the new handler, the former one and the resident.
	w.waitFor(deskCadre2, lamp)
	w.waitFor(deskCadre, "已被转派")
	w.waitFor(deskResident, "已转给")

	// What the resident sends besides words: the photo drawn, the voice
	// message playable, the place with its coordinates.
	checkMediaInBrowser(t, ctx, w, w.sendMedia(deskResident))

	// A POST without the CSRF token is refused, even from the desk's page.
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch("/desk/tickets/%s", {method: "POST",
		headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "action=urge"}).then(r => r.status)`, lamp),
		chromedp.EvalAwaitPromise))
	if err != nil || status != 403 {
		t.Fatalf("POST without CSRF: %d, %v", status, err)
	}

	// The used link is refused; so is an expired one (minted by a clock
	// an hour behind).
	if msg := text(t, ctx, chromedp.Navigate(link)); !strings.Contains(msg, "已经用过") {
		t.Fatalf("used link: %q", msg)
	}
	if msg := text(t, ctx, chromedp.Navigate(expiredLink(t, w))); !strings.Contains(msg, "已过期") {
		t.Fatalf("expired link: %q", msg)
	}

	// A cadre's session cannot open another village's ticket.
	cadre := browserTab(t, ctx)
	msg := text(t, cadre, signIn(w.webLink(deskCadre)), chromedp.Navigate(w.s.URL()+"desk/tickets/"+other))
	if !strings.Contains(msg, "没有找到") || strings.Contains(msg, "垃圾") {
		t.Fatalf("cadre on another village's ticket: %q", msg)
	}
}

// shot saves a screenshot of the page as name.png in the directory
// HOTLINE_SCREENSHOTS names (the README's picture is made so); without it,
// nothing.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HOTLINE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// seedForScreenshots fills the service's database with a generated year
// of tickets when screenshots are asked for, so that the pictures show a
// township at work.
func seedForScreenshots(t *testing.T, w *deskWorld) {
	t.Helper()
	if os.Getenv("HOTLINE_SCREENSHOTS") == "" {
		return
	}
	store, err := storage.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := loadgen.Generate(context.Background(), store, loadgen.Options{Tickets: 2000, Residents: 400, End: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

// browserTab is a new tab with its own cookies (a second person).
func browserTab(t *testing.T, parent context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return ctx
}

// expiredLink mints a link whose ten minutes ended an hour ago, through
// the same code as /web, in the running service's database.
func expiredLink(t *testing.T, w *deskWorld) string {
	t.Helper()
	store, err := storage.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	past, err := signin.New(strings.TrimSuffix(w.s.URL(), "/"), func() time.Time { return time.Now().Add(-time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	var link string
	err = store.Update(context.Background(), func(tx *storage.Tx) error {
		link, err = past.Link(context.Background(), tx, deskCentre)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return link
}
