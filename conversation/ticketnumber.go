package conversation

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"hotline/notice"
)

// maxTicketSeq bounds a year's sequence number. Numbers past 999,999 are
// real (storage pads to six digits and simply grows: 2026-1000000); the
// bound only keeps nonsense from reaching the database.
const maxTicketSeq = 999_999_999

// parseTicketNumber reads "2026-000123", also written "2026-123",
// "#2026-000123", with a full-width dash, or as a bare "123" of this year.
func parseTicketNumber(s string, now time.Time) (string, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	s = strings.NewReplacer("－", "-", "—", "-", "–", "-", " ", "").Replace(s)
	if s == "" {
		return "", false
	}
	year, seq, found := strings.Cut(s, "-")
	if !found {
		year, seq = strconv.Itoa(now.In(notice.Zone).Year()), s
	}
	if !digits(year) || !digits(seq) {
		return "", false
	}
	y, err1 := strconv.Atoi(year)
	n, err2 := strconv.Atoi(seq)
	if err1 != nil || err2 != nil || y < 2000 || y > 9999 || n <= 0 || n > maxTicketSeq {
		return "", false
	}
	return fmt.Sprintf("%d-%06d", y, n), true
}

// digits reports whether s is one or more ASCII digits (Atoi would also
// take a sign).
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
