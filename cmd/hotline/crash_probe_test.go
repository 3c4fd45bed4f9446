package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"hotline/botsim"
)

// How TestServeKilledMidIntake kills serve: as the bot acknowledges
// updates, or as Telegram accepts a message whose answer the bot never
// gets.

// killAtAck releases a burst of messages and kills serve as soon as the
// bot has confirmed them to the stand-in: from then on only the journal
// has them, and most are still being handled. With every message out it
// kills at once.
func killAtAck(t *testing.T, p *serveProc, probe *botProbe, sim *botsim.Server, feed *feeder, guard time.Duration) string {
	t.Helper()
	if !feed.release() {
		p.kill(t)
		return "with every message out"
	}
	last := feed.lastID
	probe.waitWithin(t, fmt.Sprintf("the bot confirming update %d", last), guard, func() bool { return probe.acked >= last })
	// The request that confirms them is being served: the stand-in
	// forgets them in a moment, then waits in the long poll, which wakes
	// nobody. Nothing else is released meanwhile, so none is left then.
	for sim.PendingUpdates() > 0 {
		runtime.Gosched()
	}
	p.kill(t)
	return fmt.Sprintf("as the bot confirmed updates up to %d", last)
}

// killAtSend kills serve while the stand-in answers a message it
// accepted: Telegram has it, the outbox row is still pending, and the
// next run must send it again. It returns that message.
func killAtSend(t *testing.T, p *serveProc, probe *botProbe, guard time.Duration) sentMsg {
	t.Helper()
	probe.armKill(func() { p.cmd.Process.Kill() })
	probe.waitWithin(t, "a send to kill serve at", guard, func() bool { return probe.kill == nil })
	<-p.done
	return probe.killed
}

// botProbe wakes the test's waits after every Bot API call. It notes
// which updates the bot acknowledged: a getUpdates with offset n confirms
// every update below n, which Telegram then forgets, so from that moment
// the service alone has them. Armed with a kill, it kills serve at the
// next message the stand-in accepts, before the answer leaves: Telegram
// has the message, the service never hears of it.
type botProbe struct {
	*apiWatch
	// Under apiWatch.mu:
	acked  int64  // the highest update id confirmed
	kill   func() // armed: called at the next accepted sendMessage
	killed sentMsg
}

// sentMsg is a message the bot sent to a chat.
type sentMsg struct {
	chat int64
	text string
}

func newBotProbe() *botProbe { return &botProbe{apiWatch: newAPIWatch()} }

func (p *botProbe) wrap(h http.Handler) http.Handler {
	next := p.apiWatch.wrap(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/getUpdates"):
			p.noteOffset(r)
		case strings.HasSuffix(r.URL.Path, "/sendMessage") && p.armed():
			form := formOf(r)
			sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
			next.ServeHTTP(sw, r)
			if sw.code == http.StatusOK {
				chat, _ := strconv.ParseInt(form.Get("chat_id"), 10, 64)
				p.fire(sentMsg{chat: chat, text: form.Get("text")})
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// noteOffset reads a getUpdates request's offset and wakes the waits: a
// long poll answers only when updates come, long after it confirmed the
// last ones.
func (p *botProbe) noteOffset(r *http.Request) {
	offset, _ := strconv.ParseInt(formOf(r).Get("offset"), 10, 64)
	p.mu.Lock()
	defer p.mu.Unlock()
	if offset-1 > p.acked {
		p.acked = offset - 1
	}
	p.cond.Broadcast()
}

// armKill arms the probe to call kill at the next accepted send.
func (p *botProbe) armKill(kill func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.kill = kill
}

func (p *botProbe) armed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.kill != nil
}

// fire kills, once, while the stand-in's answer to m is not yet written.
func (p *botProbe) fire(m sentMsg) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.kill == nil {
		return // another send was first
	}
	p.kill()
	p.kill, p.killed = nil, m
	p.cond.Broadcast()
}

// formOf parses a Bot API request's parameters, leaving its body for the
// stand-in.
func formOf(r *http.Request) url.Values {
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil // the stand-in refuses it
	}
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	_ = c.ParseMultipartForm(1 << 20) // a form-encoded body: ErrNotMultipart, after ParseForm read it
	return c.Form
}

// statusWriter notes the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}
