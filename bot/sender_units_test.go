package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

func TestVisibleLen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"<b>中</b>&amp;😀", 4},
		{"&#128512;&#x4e2d;", 3},
		{"a<b", 3},    // a stray '<' is text
		{"&nbsp;", 1}, // unknown references count as one character
		{"a & b", 5},
		{`<a href="https://x.cn/?a=1&amp;b=2">地图</a>`, 2},
		{"Tom&#39;s &#34;灯&#34;", 9}, // what html.EscapeString writes
		{"<b/>x", 1},
		{"a<!-- c -->", 11}, // no tag Telegram knows: counted as text
		{`<tg-emoji emoji-id="1">👍</tg-emoji>`, 2},
	}
	for _, tt := range tests {
		if got := visibleLen(tt.in); got != tt.want {
			t.Errorf("visibleLen(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSplitHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"fits", "abc", 10, []string{"abc"}},
		{"at newlines", "line1\nline2\nline3", 12, []string{"line1\nline2\n", "line3"}},
		{"newline inside an element", "<b>aaaa\nbbbb</b>", 6, []string{"<b>aaaa\n</b>", "<b>bbbb</b>"}},
		{"nested elements reopen in order", "<b><i>aaaa\nbb</i>c</b>", 5, []string{"<b><i>aaaa\n</i></b>", "<b><i>bb</i>c</b>"}},
		{"references stay whole", "a&amp;b&amp;c", 3, []string{"a&amp;b", "&amp;c"}},
		{"at spaces when no newline", "aa bb cc", 5, []string{"aa ", "bb cc"}},
		{"hard split", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"surrogate pairs", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"blank parts dropped", "abc\n\n\n   ", 3, []string{"abc"}},
		{"link reopened with its attribute", `<a href="https://x.cn/a">链接文字很长</a>`, 3,
			[]string{`<a href="https://x.cn/a">链接文</a>`, `<a href="https://x.cn/a">字很长</a>`}},
		{"tags cost nothing", "<b>ab</b><i>cd</i>", 4, []string{"<b>ab</b><i>cd</i>"}},
		{"numeric references stay whole", "a&#39;b&#34;c", 3, []string{"a&#39;b", "&#34;c"}},
		{"a self-closing tag is not reopened", "ab<b/>cd", 2, []string{"ab<b/>", "cd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitHTML(tt.in, tt.max)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("splitHTML(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestSplitHTMLLongMessage(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "<b>%d</b> 号：<i>路灯</i> &amp; 水管 😀\n", i)
	}
	b.WriteString(strings.Repeat("长", 5000)) // one line longer than a message
	text := b.String()
	parts := splitHTML(text, maxTextUnits)
	var joined strings.Builder
	for i, p := range parts {
		if n := visibleLen(p); n > maxTextUnits || n == 0 {
			t.Fatalf("part %d has %d units", i, n)
		}
		if strings.Count(p, "<b>") != strings.Count(p, "</b>") || strings.Count(p, "<i>") != strings.Count(p, "</i>") {
			t.Fatalf("part %d has unbalanced tags", i)
		}
		joined.WriteString(p)
	}
	strip := strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "")
	if strip.Replace(joined.String()) != strip.Replace(text) {
		t.Fatal("parts do not add up to the text")
	}
	if len(parts) < 5 {
		t.Fatalf("%d parts", len(parts))
	}
}

func TestLimiter(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	// A chat's bucket: a burst of three, then one a second.
	b := newLimiter(Rate{Every: time.Second, Burst: 3})
	for i := range 3 {
		if got, ok := b.readyAt(t0, 0); !ok || !got.Equal(t0) {
			t.Fatalf("burst %d ready at %v", i, got)
		}
		b.accepted(t0)
	}
	if got, _ := b.readyAt(t0, 0); !got.Equal(at(time.Second)) {
		t.Fatalf("after a burst ready at %v", got)
	}
	if b.idle(at(2 * time.Second)) {
		t.Fatal("bucket idle too early")
	}
	if !b.idle(at(3 * time.Second)) {
		t.Fatal("bucket not idle after refilling")
	}
	unlimited := newLimiter(Rate{})
	unlimited.accepted(t0)
	if got, ok := unlimited.readyAt(t0, 100); !ok || !got.Equal(t0) || !unlimited.idle(t0) {
		t.Fatal("zero rate limited")
	}

	// Requests in flight count as arrived: with five tokens, five may be
	// out at once and a sixth must wait for a completion.
	g := newLimiter(Rate{Every: 40 * time.Millisecond, Burst: 5})
	if got, ok := g.readyAt(t0, 4); !ok || !got.Equal(t0) {
		t.Fatalf("fifth in flight: %v %v", got, ok)
	}
	if _, ok := g.readyAt(t0, 5); ok {
		t.Fatal("a sixth request started beside five in flight")
	}
	// Counted at completion: four complete at 100 ms, the bucket holds one
	// token, and with one still in flight the next waits 40 ms.
	for range 4 {
		g.accepted(at(100 * time.Millisecond))
	}
	if got, ok := g.readyAt(at(100*time.Millisecond), 1); !ok || !got.Equal(at(140*time.Millisecond)) {
		t.Fatalf("after four completions, with one in flight: %v %v", got, ok)
	}
}

func TestAdaptiveRate(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a := newAdaptive(Rate{Every: 40 * time.Millisecond, Burst: 5})
	if a.rate() != 25 {
		t.Fatalf("rate = %v", a.rate())
	}
	// One storm, one cut: refusals of calls that started before the cut
	// are the same storm.
	if !a.cut(t0, t0.Add(-time.Second)) {
		t.Fatal("first 429 did not cut")
	}
	if a.cut(t0.Add(10*time.Millisecond), t0.Add(-500*time.Millisecond)) {
		t.Fatal("a call started before the cut cut again")
	}
	if r := a.rate(); r != 25*cutFactor || a.lim.Burst() != 4 || !a.changed {
		t.Fatalf("after a cut: rate %v burst %d", r, a.lim.Burst())
	}
	if !a.cut(t0.Add(time.Second), t0.Add(500*time.Millisecond)) {
		t.Fatal("a later storm did not cut")
	}
	for i := range 100 {
		at := t0.Add(time.Duration(i+1) * time.Hour)
		a.cut(at, at.Add(-time.Minute)) // each a new storm
	}
	if later := t0.Add(200 * time.Hour); a.cut(later, t0.Add(100*time.Hour)) {
		t.Fatal("a call started at the last cut cut again")
	}
	if a.rate() != floorRate || a.lim.Burst() != 1 {
		t.Fatalf("floor: rate %v burst %d", a.rate(), a.lim.Burst())
	}
	// Raised back slowly: at 20/s, ten seconds of accepted messages add
	// about one a second.
	a.set(t0, 20)
	for range 200 {
		a.raise(t0)
	}
	if r := a.rate(); r < 20.9 || r > 21.1 {
		t.Fatalf("after 200 accepted at 20/s: %v", r)
	}
	for range 100_000 {
		a.raise(t0)
	}
	if a.rate() != 25 || a.lim.Burst() != 5 {
		t.Fatalf("never above the configured rate: %v, burst %d", a.rate(), a.lim.Burst())
	}
	if none := newAdaptive(Rate{}); none.cut(t0, t0) || none.rate() != 0 {
		t.Fatal("an unlimited bot adapted")
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want verdict
		wait time.Duration
	}{
		{"ok", nil, verdictOK, 0},
		{"429", &tg.TooManyRequestsError{RetryAfter: 9}, verdictFlood, 9 * time.Second},
		{"wrapped 429", fmt.Errorf("send: %w", &tg.TooManyRequestsError{RetryAfter: 0}), verdictFlood, time.Second},
		{"403", fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden), verdictBlocked, 0},
		{"400", fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest), verdictRejected, 0},
		{"migrated group", &tg.MigrateError{MigrateToChatID: -1001}, verdictRejected, 0},
		{"permanent", &permanentError{"x"}, verdictRejected, 0},
		{"500", errors.New("error response from telegram for method sendMessage, 500 Internal Server Error"), verdictTransient, 0},
		{"401", fmt.Errorf("%w, Unauthorized", tg.ErrorUnauthorized), verdictTransient, 0},
	}
	for _, tt := range tests {
		if v, w := judge(tt.err); v != tt.want || w != tt.wait {
			t.Errorf("%s: judge = %v %v, want %v %v", tt.name, v, w, tt.want, tt.wait)
		}
	}
}
