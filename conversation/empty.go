package conversation

import "unicode"

// meaningless reports a message with nothing to read: empty, only emoji,
// zero-width characters, punctuation or symbols (a bare "/"). Such a
// message gets a kind question, not a ticket.
func meaningless(text string) bool {
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return false
		}
	}
	return true
}
