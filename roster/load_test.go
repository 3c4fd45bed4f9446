package roster

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hotline/taxonomy"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeWorkbook saves rows to the first sheet, named sheet, and puts a decoy
// second sheet after it that must never be read. A nil row is left empty.
func writeWorkbook(t *testing.T, path, sheet string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if row == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("decoy"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("decoy", "A1", &[]any{"garbage", "not", "a", "roster"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestLoadCSV(t *testing.T) {
	dir := t.TempDir()
	v := writeFile(t, dir, "villages.csv", "\ufeff"+villagesCSV)
	s := writeFile(t, dir, "staff.CSV", staffCSV)

	r, err := Load(v, s)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(r.Villages) != 3 || len(r.Staff) != 5 {
		t.Errorf("got %d villages and %d staff, want 3 and 5", len(r.Villages), len(r.Staff))
	}

	r, err = Load(v, "")
	if err != nil {
		t.Fatalf("Load villages only: %v", err)
	}
	if len(r.Villages) != 3 || r.Staff != nil {
		t.Errorf("villages only: got %d villages and staff %v", len(r.Villages), r.Staff)
	}

	bad := writeFile(t, dir, "bad.csv", "village,area\n翟各庄村,\n")
	_, err = Load(bad, s)
	got := problems(t, err)
	// The row with the empty area still names its village, so only the
	// cadre's other village is reported missing, not both; with no village
	// in 东片区 left, the leader's area is unknown too.
	want := []string{
		bad + ":2: required cell area is empty",
		s + `:3: village "东寺庄村" is not in the villages table`,
		s + `:4: area "东片区" has no village in the villages table`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	v := writeFile(t, dir, "villages.csv", villagesCSV)
	txt := writeFile(t, dir, "staff.txt", staffCSV)
	tests := []struct {
		name            string
		villages, staff string
		notExist        bool
	}{
		{name: "villages .xls", villages: filepath.Join(dir, "villages.xls")},
		{name: "no extension", villages: filepath.Join(dir, "villages")},
		{name: "staff .txt", villages: v, staff: txt},
		{name: "missing villages", villages: filepath.Join(dir, "nope.csv"), notExist: true},
		{name: "missing staff", villages: v, staff: filepath.Join(dir, "nope.xlsx"), notExist: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Load(tt.villages, tt.staff)
			var ve *ValidationError
			if r != nil || err == nil || errors.As(err, &ve) {
				t.Fatalf("Load = %v, %v; want a plain error", r, err)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.notExist {
				t.Errorf("errors.Is(%v, fs.ErrNotExist) = %v, want %v", err, got, tt.notExist)
			}
		})
	}
}

func TestLoadXLSX(t *testing.T) {
	dir := t.TempDir()
	v := filepath.Join(dir, "villages.xlsx")
	writeWorkbook(t, v, "村庄", [][]any{
		{"备注", "Area", "village", "households", "kind", "aliases"},
		{"", "东片区", "翟各庄村", 1260, "village", "翟各庄；翟庄"},
		nil,
		{"社区", "运河片区", "运河社区", 2100, "community"},
	})
	s := filepath.Join(dir, "staff.xlsx")
	writeWorkbook(t, s, "人员", [][]any{
		{"role", "telegram_id", "name", "village", "department", "phone"},
		{"village_cadre", int64(1000000001), "曾令发", "翟各庄村", "", "13800000001"},
		{"village_cadre", "1000000001", "曾令发", "运河社区"},
		{"department", 3000000001, "宋立军", "", "water;health"},
	})

	r, err := Load(v, s)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := &Roster{
		Villages: []Village{
			{Name: "翟各庄村", Area: "东片区", Kind: "village", Size: "small", Aliases: []string{"翟各庄", "翟庄"}, Households: 1260},
			{Name: "运河社区", Area: "运河片区", Kind: "community", Size: "small", Households: 2100},
		},
		Staff: []Staff{
			{Name: "曾令发", TelegramID: 1000000001, Role: VillageCadre, Villages: []string{"翟各庄村", "运河社区"}, Phone: "13800000001"},
			{Name: "宋立军", TelegramID: 3000000001, Role: Department, Departments: []taxonomy.Category{taxonomy.Water, taxonomy.Health}},
		},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", r, want)
	}

	// Problems name sheet rows, counting the empty ones.
	bad := filepath.Join(dir, "bad.xlsx")
	writeWorkbook(t, bad, "Sheet", [][]any{
		{"village", "area", "households"},
		{"翟各庄村", "东片区", -4},
		nil,
		nil,
		{"东寺庄村", "", 30},
		{"马各庄村", "东片区", 12, "多余"},
		{"白庙\x07村", "东片区", 2.5},
	})
	_, err = Load(bad, "")
	got := problems(t, err)
	wantProbs := []string{
		bad + `:Sheet:2: households "-4" is not a whole number (0 or more)`,
		bad + ":Sheet:5: required cell area is empty",
		bad + ":Sheet:6: a value stands in a column with no header",
		bad + `:Sheet:7: column "village" holds a control or unreadable character (U+FFFD); retype the cell`, // excelize stores control characters so
	}
	if !reflect.DeepEqual(got, wantProbs) {
		t.Errorf("problems = %q, want %q", got, wantProbs)
	}
}

func TestParseXLSXReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.xlsx")
	writeWorkbook(t, path, "Sheet1", [][]any{{"village", "area"}, {"翟各庄村", "东片区"}})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The name alone picks the format, whatever the case of the extension.
	r, err := Parse("UPLOAD.XLSX", f, "", nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := r.Villages; len(got) != 1 || got[0].Name != "翟各庄村" {
		t.Errorf("villages = %+v", got)
	}
	if _, err := Parse("empty.xlsx", strings.NewReader(""), "", nil); err == nil {
		t.Error("Parse of an empty .xlsx succeeded")
	}
}
