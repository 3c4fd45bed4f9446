package bot_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"hotline/bot"
	"hotline/botsim"
	"hotline/conversation"
	"hotline/speech"
)

// End to end through the in-process Bot API: emergencies, places, photos
// and voice messages as Telegram delivers them, and what the handler and
// the centre receive.

var (
	deng = botsim.User{ID: 300000004, FirstName: "邓海军"} // safety department
	song = botsim.User{ID: 300000001, FirstName: "宋立军"} // water department
)

// waitFor waits for a bot message in chat that satisfies ok and returns it.
func (w *world) waitFor(chat int64, what string, ok func(botsim.Message) bool) botsim.Message {
	w.t.Helper()
	var found botsim.Message
	w.w.waitFor(w.t, what, func() bool {
		for _, m := range w.sim.Messages(chat) {
			if ok(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

func TestEndToEndEmergencyRegistered(t *testing.T) {
	w := newWorldWith(t, func(*tg.Bot) []conversation.Option {
		return []conversation.Option{conversation.WithConfig(conversation.Config{GasPhone: "0316-5551234"})}
	})
	w.sim.AddUser(deng)
	w.say(deng, "/start")
	w.say(han, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	n := w.sim.BotMessageCount(zhang.ID)
	w.sim.SendText(zhang, "家里煤气好像漏气了，味道很大，怎么办")
	receipt := w.waitMessage(zhang.ID, "工单编号")
	got := w.sim.Messages(zhang.ID)[n:]
	if len(got) != 2 || !strings.Contains(got[0].Plain, "不要开关电灯") || !strings.Contains(got[0].Plain, "燃气公司抢修 0316-5551234") ||
		got[1].ID != receipt.ID {
		t.Fatalf("resident got %q", plains(got))
	}
	number := strings.Fields(strings.SplitN(receipt.Plain, "工单编号：", 2)[1])[0]
	card := w.waitMessage(deng.ID, number)
	if !strings.Contains(card.Plain, "紧急情况") || !strings.Contains(card.Plain, "🔴紧急") {
		t.Errorf("card = %q", card.Plain)
	}
	alert := w.waitMessage(han.ID, "紧急情况")
	if !strings.Contains(alert.Plain, number) || !strings.Contains(alert.Plain, "翟各庄村") {
		t.Errorf("centre alert = %q", alert.Plain)
	}
}

func TestEndToEndEmergencyUnregistered(t *testing.T) {
	w := newWorld(t)
	w.sim.AddUser(deng)
	w.say(deng, "/start")
	w.say(han, "/start")
	w.sim.SendText(li, "梁家务村有人掉河里了 快来人")
	question := w.waitMessage(li.ID, "请选一下您住在哪个片区")
	got := w.sim.Messages(li.ID)
	if len(got) != 3 || !strings.Contains(got[0].Plain, "110") || !strings.Contains(got[0].Plain, "不要跳下去") ||
		!strings.Contains(got[1].Plain, "工单编号") || got[2].ID != question.ID {
		t.Fatalf("resident got %q", plains(got))
	}
	// Drowning is a safety matter: the safety department has it, for the
	// village the words name.
	card := w.waitMessage(deng.ID, "梁家务村有人掉河里了")
	if !strings.Contains(card.Plain, "紧急情况：有人落水") || !strings.Contains(card.Plain, "村庄：梁家务村") {
		t.Errorf("card = %q", card.Plain)
	}
	w.waitMessage(han.ID, "紧急情况：有人落水")
	w.press(li, question, "我住梁家务村")
	w.waitMessage(li.ID, "已登记您住在")
}

func TestEndToEndPlaceAttachesToTheReport(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	w.sim.SendText(zhang, "村口的路灯坏了")
	receipt := w.waitMessage(zhang.ID, "工单编号")
	number := strings.Fields(strings.SplitN(receipt.Plain, "工单编号：", 2)[1])[0]
	card := w.waitMessage(zeng.ID, number)
	w.sim.SendLocation(zhang, 39.80123, 116.81234)
	w.waitMessage(zhang.ID, "位置已补充到工单 "+number)
	w.waitFor(zeng.ID, "the card with the place", func(m botsim.Message) bool {
		return m.ID == card.ID && m.Edited && strings.Contains(m.Plain, "39.80123, 116.81234")
	})
	pin := w.waitFor(zeng.ID, "the pin", func(m botsim.Message) bool { return m.Location != nil })
	if pin.ID < card.ID || pin.CopyOf == nil || pin.CopyOf.ChatID != zhang.ID || pin.Location.Latitude != 39.80123 {
		t.Errorf("pin = %+v", pin)
	}
	if my := w.say(zhang, "/my"); strings.Count(my.Plain, "工单") > 2 || !strings.Contains(my.Plain, number) {
		t.Errorf("/my = %q", my.Plain)
	}
}

func TestEndToEndPhotoGoesAfterTheCard(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	w.sim.SendPhoto(zhang, "村口路灯杆子倒了")
	photo := w.sim.Conversation(zhang.ID)
	original := photo[len(photo)-1]
	card := w.waitMessage(zeng.ID, "[照片] 村口路灯杆子倒了")
	cp := w.waitFor(zeng.ID, "the photo", func(m botsim.Message) bool { return m.PhotoFileID != "" })
	if cp.ID != card.ID+1 || cp.PhotoFileID != original.PhotoFileID || cp.CopyOf.MessageID != original.ID ||
		!strings.Contains(cp.Caption, "村口路灯杆子倒了") {
		t.Errorf("card %d, photo %+v", card.ID, cp)
	}
}

// stt is a local stand-in for a Whisper server: it answers the words for
// the audio it expects, and fails when told to.
func stt(t *testing.T, audio, words string, fail *atomic.Bool) *speech.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("file")
		if err != nil || fail.Load() {
			http.Error(rw, "model not loaded", http.StatusInternalServerError)
			return
		}
		got, _ := io.ReadAll(f)
		if string(got) != audio {
			http.Error(rw, "not the audio the resident sent", http.StatusBadRequest)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		io.WriteString(rw, `{"text":"`+words+`"}`)
	}))
	t.Cleanup(srv.Close)
	c, err := speech.New(speech.Config{URL: srv.URL, Timeout: 5 * time.Second}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEndToEndVoice(t *testing.T) {
	const audio = "OggS-a-resident-speaking"
	tests := []struct {
		name    string
		stt     bool
		fail    bool
		handler botsim.User
		text    string
	}{
		{"transcription off", false, false, zeng, "[语音 7秒]"},
		{"transcribed", true, false, song, "[语音 7秒] 家里停水两天了"},
		{"transcriber failing", true, true, zeng, "[语音 7秒]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fail atomic.Bool
			fail.Store(tc.fail)
			w := newWorldWith(t, func(client *tg.Bot) []conversation.Option {
				if !tc.stt {
					return nil
				}
				return []conversation.Option{conversation.WithTranscriber(bot.NewVoiceTranscriber(client, nil, stt(t, audio, "家里停水两天了", &fail)))}
			})
			w.sim.AddUser(song)
			w.say(song, "/start")
			w.say(zeng, "/start")
			w.register(zhang, "东片区", "翟各庄村")
			w.sim.SendVoice(zhang, 7, []byte(audio))
			sent := w.sim.Conversation(zhang.ID)
			original := sent[len(sent)-1]
			receipt := w.waitMessage(zhang.ID, "语音留言")
			if !strings.Contains(receipt.Plain, tc.handler.FirstName) || strings.Contains(receipt.Plain, "****") {
				t.Errorf("receipt = %q", receipt.Plain)
			}
			card := w.waitMessage(tc.handler.ID, tc.text)
			cp := w.waitFor(tc.handler.ID, "the voice", func(m botsim.Message) bool { return m.Voice != nil })
			if cp.ID != card.ID+1 || cp.Voice.FileID != original.Voice.FileID || cp.Voice.Duration != 7 {
				t.Errorf("card %d %q, voice %+v", card.ID, card.Plain, cp)
			}
		})
	}
}

func plains(ms []botsim.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Plain
	}
	return out
}
