package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hotline/botsim"
	"hotline/roster"
	"hotline/storage"
)

// The pieces of TestServeKilledMidIntake: the load, the database it
// starts from, the Bot API stand-in's probe, and serve as a process of
// its own that can be killed.

// crashLoad is how much the crash test puts through serve.
type crashLoad struct {
	messages  int // from residents, spread evenly over them
	residents int
	kills     int
	window    int // messages under way at once (released, not yet answered)
	burst     int // messages released at once
}

// crashSize is small enough for go test ./... (the sender's 25 messages a
// second make most of its time), or with HOTLINE_BENCH_HEAVY=1 the size
// outsiders test at.
func crashSize() crashLoad {
	if os.Getenv("HOTLINE_BENCH_HEAVY") == "1" {
		return crashLoad{messages: 600, residents: 200, kills: 5, window: 100, burst: 20}
	}
	return crashLoad{messages: 150, residents: 50, kills: 3, window: 40, burst: 10}
}

// crashToken is the bot token serve is given for the stand-in.
const crashToken = "424242:crash"

// crashMsg is one message a resident sends.
type crashMsg struct {
	from botsim.User
	text string
}

// crashTexts are reports of several categories. Every message's text is
// its own (the number), and a resident's messages never join another
// resident's ticket: the test checks that no ticket was linked. They are
// all of categories the village's cadre handles: a department handles
// the whole township's, and its chat, one card a second, would be the
// test's bottleneck.
var crashTexts = []string{
	"%d号院门口的路灯坏了",
	"我家这片停电了，第%d排房子都没电",
	"村里第%d条街的路面有个大坑，骑车不好走",
	"%d号楼的暖气不热，屋里才十几度",
	"想问一下第%d期免费体检什么时候开始",
}

// crashMessages are n messages from the residents, round robin, so that
// each resident's come in their order among everyone else's. A
// resident's next message is of the next category: three of one
// category from one village within hours would be a cluster, which
// outreach reports to the cadre and the area leader (more to send, and
// not what this test is about).
func crashMessages(residents []botsim.User, n int) []crashMsg {
	out := make([]crashMsg, n)
	for i := range out {
		round := i / len(residents)
		out[i] = crashMsg{from: residents[i%len(residents)], text: fmt.Sprintf(crashTexts[(i+round)%len(crashTexts)], i+1)}
	}
	return out
}

// prepareCrashDB puts into db what serve with a token does not: the demo
// roster, every staff member having started the bot (so that their cards
// are sent) and n registered residents spread over the villages.
func prepareCrashDB(t *testing.T, db string, n int) []botsim.User {
	t.Helper()
	demo := roster.Demo()
	residents := make([]botsim.User, n)
	now := time.Now()
	withDemoRoster(t, db, func(ctx context.Context, tx *storage.Tx) error {
		for _, st := range demo.Staff {
			if err := tx.MarkStarted(ctx, int64(st.TelegramID), now); err != nil {
				return err
			}
		}
		for i := range residents {
			residents[i] = botsim.User{ID: 9_100_001 + int64(i), FirstName: fmt.Sprintf("居民%d", i+1)}
			if _, err := tx.EnsureResident(ctx, residents[i].ID, residents[i].FirstName, now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, residents[i].ID, demo.Villages[i%len(demo.Villages)].Name, now); err != nil {
				return err
			}
		}
		return nil
	})
	return residents
}

// staffIDs are the demo roster's staff chats, each once.
func staffIDs() []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, st := range roster.Demo().Staff {
		if id := int64(st.TelegramID); !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// feeder releases the residents' messages into the stand-in as the bot
// answers, so that intake goes on through every run and every kill:
// about window messages are under way at a time, judged by the bot's
// sends (two a message: the receipt and the handler's card).
type feeder struct {
	sim    *botsim.Server
	msgs   []crashMsg
	load   crashLoad
	next   int   // the first message not released
	lastID int64 // the update id of the last one released
}

// top releases the bursts that the bot's progress allows.
func (f *feeder) top() {
	want := min(len(f.msgs), f.load.window+f.load.burst*(f.sim.Sent()/(2*f.load.burst)))
	for f.next < want {
		f.release()
	}
}

// release releases one burst now; false when every message is out.
func (f *feeder) release() bool {
	if f.next >= len(f.msgs) {
		return false
	}
	for end := min(f.next+f.load.burst, len(f.msgs)); f.next < end; f.next++ {
		m := f.msgs[f.next]
		f.lastID = f.sim.SendText(m.from, m.text)
	}
	return true
}

// serveProc is "hotline serve" in a process of its own (the test binary
// run as TestHelperServe), polling the stand-in with a token.
type serveProc struct {
	cmd  *exec.Cmd
	log  *lockedBuffer
	done chan struct{} // closed when it exited
	err  error         // how it exited, once done
}

func startServeProc(t *testing.T, db, apiURL string) *serveProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	cmd.Env = append(os.Environ(), "HOTLINE_TEST_SERVE_DB="+db, "TELEGRAM_BOT_TOKEN="+crashToken,
		"TELEGRAM_API_URL="+apiURL, "TELEGRAM_WEBHOOK_URL=", "OLLAMA_MODEL=", "HOTLINE_LOG_FORMAT=")
	p := &serveProc{cmd: cmd, log: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr, cmd.Stdout = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill() // nothing to do once it exited
		<-p.done
		if t.Failed() {
			t.Logf("serve pid %d said:\n%s", cmd.Process.Pid, p.log.tail(40))
		}
	})
	return p
}

// kill ends the process with SIGKILL: no deferred function, no
// shutdown, no last write.
func (p *serveProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// stop asks the process to stop (SIGTERM) and waits for a clean exit.
func (p *serveProc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Fatalf("serve did not stop cleanly: %v", p.err)
		}
	case <-time.After(time.Minute): // a hang, not a speed limit
		t.Fatal("serve did not stop within a minute of SIGTERM")
	}
}

var replayedRe = regexp.MustCompile(`msg="replayed unprocessed updates" count=(\d+)`)

// replayed is how many journalled updates the process replayed at start.
func (p *serveProc) replayed() int {
	m := replayedRe.FindStringSubmatch(p.log.String())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// lockedBuffer is a log that a process writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) tail(n int) string {
	lines := strings.Split(strings.TrimRight(l.String(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// crashDBState is what a killed run left in the database.
type crashDBState struct {
	unprocessed, tickets, pending int
}

func readCrashDB(t *testing.T, db string) crashDBState {
	t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Clean(db))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ids, _, err := store.UnprocessedUpdates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.OutboxBacklog(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = store.View(ctx, func(tx *storage.Tx) error {
		ts, err := tx.Tickets(ctx, storage.TicketFilter{})
		n = len(ts)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return crashDBState{unprocessed: len(ids), tickets: n, pending: b.Pending[storage.LaneTicket]}
}
