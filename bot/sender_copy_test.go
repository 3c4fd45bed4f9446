package bot

import (
	"slices"
	"testing"

	"hotline/botsim"
	"hotline/storage"
)

func (r *senderRig) copyRow(chat, from int64, msgID int, caption string) int64 {
	return r.box.add(storage.OutboxMessage{ChatID: chat, Method: "copy", FromChat: from, FromMessageID: msgID, Text: caption}, r.clock.Now())
}

// A resident's photo and voice go to the handler as copies right after
// the card, in the chat's order, even when a 429 for that chat comes in
// between; a copy of a message that is gone fails alone.
func TestSenderCopiesAfterTheCard(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits(), botsim.WithRateLimits(botsim.TelegramLimits()))
	const resident, handler = 901, 101
	rig.user(resident)
	rig.user(handler)
	rig.sim.SendPhoto(botsim.User{ID: resident}, "路灯")
	rig.sim.SendVoice(botsim.User{ID: resident}, 9, []byte("OggS"))
	conv := rig.sim.Conversation(resident)
	photo, voice := conv[0], conv[1]
	for u := int64(1); u <= 60; u++ { // a broadcast in the other lane
		rig.user(u)
		rig.campaign(u, "通知")
	}
	rig.sim.FailChat(handler, 1, 429, 1) // the handler's chat is refused once
	card := rig.send(handler, "📋 工单 <b>2026-000001</b>", storage.Button{Text: "接单", Data: "acc:1"})
	cp1 := rig.copyRow(handler, resident, photo.ID, "工单 <b>2026-000001</b> 的照片")
	cp2 := rig.copyRow(handler, resident, voice.ID, "")
	gone := rig.copyRow(handler, resident, 999, "")
	after := rig.send(handler, "下一条")
	rig.run()
	rig.settle(t)

	ms := rig.sim.Messages(handler)
	if len(ms) != 4 {
		t.Fatalf("handler got %d messages: %+v", len(ms), ms)
	}
	if ms[0].Plain != "📋 工单 2026-000001" || ms[1].PhotoFileID != photo.PhotoFileID || ms[1].Caption != "工单 2026-000001 的照片" ||
		ms[2].Voice == nil || ms[2].Voice.FileID != voice.Voice.FileID || ms[3].Plain != "下一条" {
		t.Fatalf("handler's chat in the wrong order or shape: %+v", ms)
	}
	for i, id := range []int64{card, cp1, cp2, after} {
		if r := rig.box.get(id); r.status != storage.OutboxSent || !slices.Equal(r.ids, []int{ms[i].ID}) {
			t.Errorf("row %d = %+v, want sent as message %d", id, r, ms[i].ID)
		}
	}
	if r := rig.box.get(gone); r.status != storage.OutboxFailed || r.reason == "" {
		t.Errorf("copy of a missing message = %+v, want failed", r)
	}
	// Ticket traffic first: the card and its copies went before the
	// broadcast was through.
	d := rig.sim.Deliveries()
	last := 0
	for i, x := range d {
		if x.ChatID == handler && x.Method == "copyMessage" {
			last = i
		}
	}
	if last >= len(d)-10 {
		t.Errorf("the copies went out at %d of %d deliveries, behind the broadcast", last, len(d))
	}
}
