package table

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const orders = "工单编号, 诉求内容 ,所属村\nA-001,路灯坏了,翟各庄村\n\n A-002 ,\"停电了，\n快来\",马各庄村\n"

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCSVEncodings(t *testing.T) {
	want := [][]string{{"A-001", "路灯坏了", "翟各庄村"}, {" A-002 ", "停电了，\n快来", "马各庄村"}}
	tests := []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf-8", []byte(orders), UTF8},
		{"utf-8 with BOM", append([]byte("\uFEFF"), orders...), UTF8},
		{"gbk as Excel saves it", gbk(t, orders), GB18030},
		{"crlf", []byte(strings.ReplaceAll(orders, "\n", "\r\n")), UTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, err := Read("orders.csv", bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if tb.Encoding != tt.enc {
				t.Errorf("encoding %q, want %q", tb.Encoding, tt.enc)
			}
			var got [][]string
			for _, r := range tb.Rows {
				got = append(got, r.Cells)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows %q, want %q", got, want)
			}
			if p := tb.Rows[1].Pos.String(); p != "orders.csv:4" {
				t.Errorf("second row at %s, want orders.csv:4", p)
			}
			if c := tb.Rows[1].Cell(0); c != "A-002" {
				t.Errorf("Cell trims: got %q", c)
			}
		})
	}
}

func TestReadCSVRefused(t *testing.T) {
	tests := []struct {
		name, want string
		data       []byte
	}{
		{"not utf-8 nor gbk", "x.csv:2: text is neither UTF-8 nor GBK/GB18030", []byte("a,b\n\xff\xfe\xff,1\n")},
		{"stray quote", "x.csv:2: malformed CSV", []byte("a,b\nx\"y,1\n")},
		{"empty", "x.csv:1: no header row", []byte("\n , \n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("x.csv", bytes.NewReader(tt.data))
			var te *Error
			if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want *Error starting %q", err, tt.want)
			}
		})
	}
}

func TestFindAndFold(t *testing.T) {
	tb, err := Read("h.csv", strings.NewReader("\uFEFF*工单编号,Telegram ID, ＶＩＬＬＡＧＥ ,备注,village\n1,2,3,4,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names []string
		want  int
	}{
		{[]string{"id", "工单编号", "工单号"}, 0},
		{[]string{"telegram_id"}, 1},
		{[]string{"village"}, 2},
		{[]string{"phone", "电话"}, -1},
	}
	for _, tt := range tests {
		if got, ok := tb.Find(tt.names...); got != tt.want || ok != (tt.want >= 0) {
			t.Errorf("Find(%q) = %d, %v; want %d", tt.names, got, ok, tt.want)
		}
	}
	if d := tb.Duplicates(); !reflect.DeepEqual(d, []string{"village"}) {
		t.Errorf("Duplicates = %q", d)
	}
	if c := tb.Columns(); !reflect.DeepEqual(c, []string{"*工单编号", "Telegram ID", "ＶＩＬＬＡＧＥ", "备注", "village"}) {
		t.Errorf("Columns = %q", c)
	}
	if got := tb.Rows[0].Cell(-1); got != "" {
		t.Errorf("Cell(-1) = %q", got)
	}
}

func TestCheckWidth(t *testing.T) {
	tb, err := Read("v.csv", strings.NewReader("village,area,aliases,households\n翟各庄村,东片区,翟庄,1260\n马各庄村,东片区,350\n东寺庄村,东片区,,,\n白庙村,东片区,,,x\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range tb.Rows {
		if e := tb.CheckWidth(r); e != nil {
			got = append(got, e.Error())
		}
	}
	want := []string{
		"v.csv:3: row has 3 cells but the header has 4: a missing or extra comma shifts the values into the wrong columns",
		"v.csv:5: row has 5 cells but the header has 4: a missing or extra comma shifts the values into the wrong columns",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	f.SetSheetName(sheet, "村庄")
	for cell, v := range map[string]any{"A1": "village", "B1": "households", "A3": "翟各庄村", "B3": 1260, "A4": "马各庄村", "C4": "多余"} {
		if err := f.SetCellValue("村庄", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "v.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tb, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 2 || tb.Rows[0].Cell(1) != "1260" {
		t.Fatalf("rows %+v", tb.Rows)
	}
	if p := tb.Rows[0].Pos.String(); p != path+":村庄:3" {
		t.Errorf("pos %s, want %s:村庄:3", p, path)
	}
	if e := tb.CheckWidth(tb.Rows[0]); e != nil {
		t.Errorf("row 3: %v", e)
	}
	if e := tb.CheckWidth(tb.Rows[1]); e == nil || e.Error() != path+":村庄:4: a value stands in a column with no header" {
		t.Errorf("row 4: %v", e)
	}
	if _, err := Read("bad.xlsx", strings.NewReader("a,b\n")); err == nil {
		t.Error("CSV text read as a workbook")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
