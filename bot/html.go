package bot

import "strings"

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// EscapeHTML makes text safe inside a message sent with parse_mode HTML, in
// element content and in a double-quoted attribute alike. It uses only the
// entities Telegram understands (&amp; &lt; &gt; &quot;). Every piece of user
// or roster text put into an outbox row goes through it; the sender sends
// the row's text as it is.
func EscapeHTML(s string) string { return htmlEscaper.Replace(s) }
