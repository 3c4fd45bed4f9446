package workbook

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/reports"
	"hotline/storage"
)

// The rates are numbers with a percentage format, so that Excel sorts and
// charts them; a rate with nothing due is an empty cell, not "—".
func TestDigestRatesAreNumbers(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, loc)
	d := reports.Digest{
		Period: reports.Period{Kind: reports.Monthly, From: from, To: from.AddDate(0, 1, 0)},
		New:    4,
		Total:  reports.Rates{Name: "合计", RateCounts: storage.RateCounts{Tickets: 4, AcceptDue: 4, AcceptedOnTime: 3}},
		Villages: []reports.Rates{
			{Name: "翟各庄村", RateCounts: storage.RateCounts{Tickets: 4, AcceptDue: 4, AcceptedOnTime: 3}},
		},
	}
	var buf bytes.Buffer
	if err := Digest(&buf, d, nil, loc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("按村")
	if err != nil || len(rows) != 2 || rows[1][0] != "翟各庄村" {
		t.Fatalf("按村 = %v, %v", rows, err)
	}
	raw, err := f.GetCellValue("按村", "E2", excelize.Options{RawCellValue: true})
	if err != nil || raw != "0.75" {
		t.Errorf("response rate cell = %q, %v; want the number 0.75", raw, err)
	}
	if shown, _ := f.GetCellValue("按村", "E2"); shown != "75.0%" {
		t.Errorf("shown as %q", shown)
	}
	if empty, _ := f.GetCellValue("按村", "H2"); empty != "" {
		t.Errorf("a rate with nothing due shows %q", empty)
	}
}
