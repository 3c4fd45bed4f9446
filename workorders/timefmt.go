package workorders

import (
	"math"
	"strconv"
	"strings"
	"time"
)

var layouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02",
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2",
	"2006.1.2 15:04:05", "2006.1.2 15:04", "2006.1.2",
	"2006年1月2日 15:04:05", "2006年1月2日 15:04", "2006年1月2日15:04", "2006年1月2日",
}

// excelEpoch is day 0 of Excel's serial dates (with its 1900 leap-year
// quirk folded in, for every date after February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseTime reads a date and time as exports write them, in loc, or an
// Excel serial date (a workbook's raw value for a date cell).
func parseTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		whole := math.Floor(f)
		secs := math.Round((f - whole) * 86400)
		d := excelEpoch.AddDate(0, 0, int(whole)).Add(time.Duration(secs) * time.Second)
		return time.Date(d.Year(), d.Month(), d.Day(), d.Hour(), d.Minute(), d.Second(), 0, loc), true
	}
	return time.Time{}, false
}
