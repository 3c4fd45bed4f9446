package conversation

import "strings"

// command splits "/cmd@Bot args" in a message's text (not a photo's
// caption). The @Bot suffix is dropped: in a private chat every command is
// addressed to this bot.
func (in Inbound) command() (cmd, args string) {
	if !in.Message || in.Photo || in.Voice != nil || !strings.HasPrefix(in.Text, "/") {
		return "", ""
	}
	head, rest, _ := strings.Cut(in.Text, " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	head = strings.TrimPrefix(head, "/")
	head, _, _ = strings.Cut(head, "@")
	return strings.ToLower(head), strings.TrimSpace(rest)
}

// reportText is what a message would say as a report, if it is one: a
// text that is not a command, or a photo's caption. A place and a voice
// message are reports of their own (media.go).
func (in Inbound) reportText() (string, bool) {
	cmd, _ := in.command()
	switch {
	case !in.Message || !in.Private:
		return "", false
	case cmd != "", in.Location != nil, in.Voice != nil:
		return "", false
	case in.Photo && in.Text != "":
		return "[照片] " + in.Text, true
	case in.Text != "" && in.Contact == nil && !in.Photo:
		return in.Text, true
	}
	return "", false
}
