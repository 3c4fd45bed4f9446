package notice

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"

	"hotline/roster"
	"hotline/storage"
)

// What is said about places, photos and voice messages: to the resident
// who sent them and on the handler's card.

// Kinds of outbox rows about media.
const (
	KindAskWhat       = "ask_what"
	KindMediaAdded    = "media_added"
	KindMediaCopy     = "media_copy"
	KindMediaKept     = "media_kept"
	KindVoiceReceipt  = "voice_receipt"
	KindPlaceAddendum = "place_added"
)

// AskWhatText is the kind question for a message with nothing to read: an
// empty one, only emoji, punctuation or a bare "/", a sticker.
const AskWhatText = "您好，请问遇到了什么问题？可以直接打字或发语音告诉我们。"

// AskWhat asks, kindly, what the problem is.
func AskWhat() storage.OutboxMessage { return msg(KindAskWhat, AskWhatText, nil) }

// AskWhatFor asks what the problem is about a photo or place sent on its
// own; it is kept and goes with the answer.
func AskWhatFor(kind storage.MediaKind) storage.OutboxMessage {
	what := "照片"
	if kind == storage.MediaLocation {
		what = "位置"
	}
	return msg(KindAskWhat, fmt.Sprintf("%s收到了。请问遇到了什么问题？可以直接打字或发语音告诉我们，我们会把%s一起交给负责的人。", what, what), nil)
}

// MediaKept tells a resident who has not registered yet that a photo,
// place or voice message is kept, and asks for the village, as
// PendingKept does for words.
func MediaKept(r *roster.Roster, kind storage.MediaKind, suggest string) storage.OutboxMessage {
	what := map[storage.MediaKind]string{storage.MediaPhoto: "照片", storage.MediaLocation: "位置", storage.MediaVoice: "语音"}[kind]
	text := fmt.Sprintf("您发的%s我们已经收到了。请先选一下您住在哪个村，选好后马上为您登记办理。", what)
	return msg(KindMediaKept, text, AreaButtons(r, suggest))
}

// MediaAdded tells the resident that a photo or place went to the ticket
// they reported a moment ago.
func MediaAdded(t storage.Ticket, kind storage.MediaKind) storage.OutboxMessage {
	what := "照片"
	if kind == storage.MediaLocation {
		what = "位置"
	}
	return ticketMsg(t, KindMediaAdded, fmt.Sprintf("%s已补充到工单 <b>%s</b>，已转给 %s。", what, t.Number, handler(t)), nil)
}

// PlaceLink is a place as a map link (高德 reads WGS-84 coordinates with
// coordinate=wgs84) with the coordinates as its text, so that it can be
// copied into any map.
func PlaceLink(p storage.Place) string {
	return fmt.Sprintf(`<a href="%s">%.5f, %.5f</a>`, html.EscapeString(PlaceURL(p)), p.Lat, p.Lon)
}

// PlaceURL is the map address of a place: 高德's marker, which reads
// WGS-84 coordinates with coordinate=wgs84 and opens the app on a phone.
func PlaceURL(p storage.Place) string {
	return fmt.Sprintf("https://uri.amap.com/marker?position=%.6f,%.6f&coordinate=wgs84&callnative=1", p.Lon, p.Lat)
}

// PlaceAddendum tells the handler that the resident added the place to a
// ticket whose card they have: the edit of a card makes no sound.
func PlaceAddendum(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindPlaceAddendum, fmt.Sprintf("📍 工单 <b>%s</b> 居民补充了位置：%s", t.Number, PlaceLink(t.Place)), nil)
}

// maxCaption is Telegram's limit on a caption, in UTF-16 units.
const maxCaption = 1024

// clipUnits shortens s to at most n UTF-16 units (what Telegram counts:
// most emoji are two), ending it with "…" when cut.
func clipUnits(s string, n int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n-1 {
			return s[:i] + "…"
		}
	}
	return s
}

// MediaCopy is the handler's copy of a resident's photo or voice message,
// captioned with the ticket it belongs to and the resident's own caption.
func MediaCopy(t storage.Ticket, m storage.Media) storage.OutboxMessage {
	var b strings.Builder
	switch m.Kind {
	case storage.MediaVoice:
		fmt.Fprintf(&b, "🎤 工单 <b>%s</b> 居民的语音留言（%d 秒），请点开收听", t.Number, m.Duration)
	default:
		fmt.Fprintf(&b, "📷 工单 <b>%s</b> 居民发来的照片", t.Number)
	}
	if c := strings.TrimSpace(m.Caption); c != "" {
		// Telegram counts a caption after parsing its HTML: the ticket's
		// line takes under 64 units of it.
		b.WriteString("：" + html.EscapeString(clipUnits(c, maxCaption-64)))
	}
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindMediaCopy, Method: "copy",
		FromChat: m.ChatID, FromMessageID: m.MessageID, Text: b.String()}
}

// VoiceReceipt tells a resident that their voice message is a ticket and
// who will listen to it and call back (role and name, never a phone).
func VoiceReceipt(t storage.Ticket) storage.OutboxMessage {
	text := fmt.Sprintf("已收到您的语音留言，工单编号：<b>%s</b>\n%s %s 会听您的语音，尽快和您联系。\n有进展会第一时间告诉您。",
		t.Number, t.HandlerRole.Chinese(), html.EscapeString(orCentre(t.HandlerName)))
	return ticketMsg(t, KindVoiceReceipt, text, recategoryButton(t))
}

func orCentre(name string) string {
	if name == "" {
		return "镇市民诉求处置中心"
	}
	return name
}

// cardMedia are the card's lines about what the resident sent besides
// words: the life-safety situation, the voice message, the place.
func cardMedia(t storage.Ticket) string {
	var b strings.Builder
	if t.Emergency != "" {
		fmt.Fprintf(&b, "🚨 紧急情况：<b>%s</b>（已给居民发安全提示，镇中心已知晓）\n", EmergencyName(t.Emergency))
	}
	if t.Voice > 0 {
		fmt.Fprintf(&b, "🎤 语音留言 %d 秒，见下一条消息，请收听后联系居民\n", t.Voice)
	}
	if t.Place.Known() {
		fmt.Fprintf(&b, "📍 位置：%s\n", PlaceLink(t.Place))
	}
	return b.String()
}
