package bot_test

import (
	"strings"
	"testing"
)

// Whatever a resident types reaches the cadre's card as typed: the card
// escapes it with html.EscapeString (which writes ' and " as &#39; and
// &#34;), and the strict Bot API stand-in accepts and decodes that.
func TestEndToEndUserTextIsEscaped(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	n := w.sim.BotMessageCount(zeng.ID)
	const typed = `村口路灯坏了 <b>"急"</b> & 'Tom's' &amp; <script>x</script>`
	w.sim.SendText(zhang, typed)
	card := w.nextReply(zeng.ID, n, "card")
	if !strings.Contains(card.Plain, typed) {
		t.Fatalf("card shows\n%s\nwant it to contain %q", card.Plain, typed)
	}
	if !strings.Contains(card.Text, "&#39;Tom&#39;s&#39;") || strings.Contains(card.Text, "<script>") {
		t.Fatalf("card HTML = %s", card.Text)
	}
}
