package roster

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"hotline/taxonomy"
)

const villagesCSV = `village,area,kind,size,aliases,households
翟各庄村,东片区,village,large,翟各庄;翟庄;翟各庄村,1260
东寺庄村,东片区,,,,
运河社区,运河片区,community,small,运河小区；漕运 ; ,2100
`

const staffCSV = `name,telegram_id,role,village,area,department,phone
曾令发,100000001,village_cadre,翟各庄村,,,13800000001
曾令发,100000001,village_cadre,东寺庄村,,,
刘振宇,200000001,area_leader,,东片区,,
宋立军,300000001,department,,,water；forestry,
宋立军,300000001,department,,,sanitation;water,
韩晓雪,400000001,center,,,,
郝建新,500000001,admin,,,,
`

// toGBK encodes UTF-8 text as GBK.
func toGBK(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

// parse runs Parse on CSV text; staff "" means no staff table.
func parse(villages, staff string) (*Roster, error) {
	var sr io.Reader
	if staff != "" {
		sr = strings.NewReader(staff)
	}
	return Parse("villages.csv", strings.NewReader(villages), "staff.csv", sr)
}

func problems(t *testing.T, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

func TestParseValid(t *testing.T) {
	want := &Roster{
		Villages: []Village{
			{Name: "翟各庄村", Area: "东片区", Kind: "village", Size: "large", Aliases: []string{"翟各庄", "翟庄"}, Households: 1260},
			{Name: "东寺庄村", Area: "东片区", Kind: "village", Size: "small"},
			{Name: "运河社区", Area: "运河片区", Kind: "community", Size: "small", Aliases: []string{"运河小区", "漕运"}, Households: 2100},
		},
		Staff: []Staff{
			{Name: "曾令发", TelegramID: 100000001, Role: VillageCadre, Villages: []string{"翟各庄村", "东寺庄村"}, Phone: "13800000001"},
			{Name: "刘振宇", TelegramID: 200000001, Role: AreaLeader, Area: "东片区"},
			{Name: "宋立军", TelegramID: 300000001, Role: Department,
				Departments: []taxonomy.Category{taxonomy.Water, taxonomy.Forestry, taxonomy.Sanitation}},
			{Name: "韩晓雪", TelegramID: 400000001, Role: Center},
			{Name: "郝建新", TelegramID: 500000001, Role: Admin},
		},
	}
	tests := []struct {
		name             string
		villages, staff  string
		wantVillagesOnly bool
	}{
		{name: "plain", villages: villagesCSV, staff: staffCSV},
		{name: "BOM on both", villages: "\ufeff" + villagesCSV, staff: "\ufeff" + staffCSV},
		{name: "GBK, as Excel on Chinese Windows saves CSV", villages: toGBK(villagesCSV), staff: toGBK(staffCSV)},
		{name: "CRLF line ends", villages: strings.ReplaceAll(villagesCSV, "\n", "\r\n"), staff: strings.ReplaceAll(staffCSV, "\n", "\r\n")},
		{
			name: "columns reordered, unknown columns, spaces, blank rows, header case",
			villages: ` Households ,备注,aliases,SIZE,kind,area,village
1260,大村,翟各庄;翟庄, large ,village,东片区, 翟各庄村
,,,,,,
,,,,,东片区,东寺庄村

2100,,运河小区；漕运,small,COMMUNITY,运河片区,运河社区
`,
			staff: `unit,phone,department,area,village,role,telegram_id,name
包村,13800000001,,,翟各庄村,village_cadre, 100000001 ,曾令发
包村,,,,东寺庄村,village_cadre,100000001,曾令发
,,,东片区,,AREA_LEADER,200000001,刘振宇
水务站,,water;forestry,,,department,300000001,宋立军
,,,,,,,
,,sanitation,,,department,300000001,宋立军
,,,,,center,400000001,韩晓雪
,,,,,admin,500000001,郝建新
`,
		},
		{name: "villages only", villages: villagesCSV, wantVillagesOnly: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.villages, tt.staff)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			w := *want
			if tt.wantVillagesOnly {
				w.Staff = nil
			}
			if !reflect.DeepEqual(got, &w) {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, &w)
			}
		})
	}
}

func TestParseVillageProblems(t *testing.T) {
	tests := []struct {
		name     string
		villages string
		want     []string
	}{
		{"empty file", "", []string{"villages.csv:1: no header row: the file is empty"}},
		{"blank lines only", "\n ,, \n\n", []string{"villages.csv:1: no header row: the file is empty"}},
		{"header only", "village,area\n", []string{"villages.csv:1: no villages below the header"}},
		{"missing columns", "name,kind\n翟各庄村,village\n", []string{
			`villages.csv:1: missing required column "village"`,
			`villages.csv:1: missing required column "area"`,
		}},
		{"column twice", "village,area,Area\n翟各庄村,东片区,西片区\n", []string{
			`villages.csv:1: column "Area" appears twice`,
		}},
		{"empty cells", "village,area\n,东片区\n翟各庄村,\n", []string{
			"villages.csv:2: required cell village is empty",
			"villages.csv:3: required cell area is empty",
		}},
		{"kind and size", "village,area,kind,size\n翟各庄村,东片区,town,huge\n", []string{
			`villages.csv:2: unknown kind "town" (want village or community)`,
			`villages.csv:2: unknown size "huge" (want large or small)`,
		}},
		{"households", "village,area,households\nA村,东片区,abc\nB村,东片区,-3\nC村,东片区,1.5\nD村,东片区,0\n", []string{
			`villages.csv:2: households "abc" is not a whole number (0 or more)`,
			`villages.csv:3: households "-3" is not a whole number (0 or more)`,
			`villages.csv:4: households "1.5" is not a whole number (0 or more)`,
		}},
		{"duplicate village", "village,area\n翟各庄村,东片区\n东寺庄村,东片区\n翟各庄村,西片区\n", []string{
			`villages.csv:4: duplicate village "翟各庄村" (first on line 2)`,
		}},
		{"alias is another village's name, even a later one", "village,area,aliases\n翟各庄村,东片区,东寺庄村\n东寺庄村,东片区,\n", []string{
			`villages.csv:2: alias "东寺庄村" clashes with village "东寺庄村" (line 3)`,
		}},
		{"alias is another village's alias", "village,area,aliases\n翟各庄村,东片区,东庄\n东寺庄村,东片区,东庄;东寺庄;东寺庄\n", []string{
			`villages.csv:3: alias "东庄" clashes with an alias of village "翟各庄村" (line 2)`,
		}},
		{"every bad row, in line order", "village,area,kind,households,aliases\nA村,东片区,x,,\n,,,,\nB村,东片区,,-1,A村\nA村,东片区,,,\n", []string{
			`villages.csv:2: unknown kind "x" (want village or community)`,
			`villages.csv:4: households "-1" is not a whole number (0 or more)`,
			`villages.csv:4: alias "A村" clashes with village "A村" (line 2)`,
			`villages.csv:5: duplicate village "A村" (first on line 2)`,
		}},
		{"unterminated quote", "village,area\n\"翟各庄村,东片区\n东寺庄村,东片区\n", []string{
			`villages.csv:2: malformed CSV: extraneous or missing " in quoted-field`,
		}},
		{"bare quote", "village,area\n翟\"各庄村,东片区\n", []string{
			`villages.csv:2: malformed CSV: bare " in non-quoted-field`,
		}},
		{"neither UTF-8 nor GBK", "village,area\n\xff\xfe\xff,x\n", []string{
			`villages.csv:2: text is neither UTF-8 nor GBK/GB18030: save it as "CSV UTF-8" or .xlsx`,
		}},
		{"one cell short: the households would become an alias", "village,area,kind,size,aliases,households\n翟各庄村,东片区,village,large,1260\n", []string{
			"villages.csv:2: row has 5 cells but the header has 6: a missing or extra comma shifts the values into the wrong columns",
		}},
		{"one cell too many", "village,area,aliases\n翟各庄村,东片区,翟庄,1260\n", []string{
			"villages.csv:2: row has 4 cells but the header has 3: a missing or extra comma shifts the values into the wrong columns",
		}},
		{"control characters and NUL", "village,area,aliases\n翟各庄\x00村,东片区,\n东寺庄村,东\x07片区,\n马各庄村,东片区,马\t庄\n", []string{
			`villages.csv:2: column "village" holds a control or unreadable character (U+0000); retype the cell`,
			`villages.csv:3: column "area" holds a control or unreadable character (U+0007); retype the cell`,
			`villages.csv:4: column "aliases" holds a control or unreadable character (U+0009); retype the cell`,
		}},
		{"households not whole", "village,area,households\nA村,东片区,350户\nB村,东片区,1e3\nC村,东片区,１２\n", []string{
			`villages.csv:2: households "350户" is not a whole number (0 or more)`,
			`villages.csv:3: households "1e3" is not a whole number (0 or more)`,
			`villages.csv:4: households "１２" is not a whole number (0 or more)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parse(tt.villages, "")
			if r != nil {
				t.Errorf("Parse returned a roster along with the error")
			}
			if got := problems(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseStaffProblems(t *testing.T) {
	const head = "name,telegram_id,role,village,area,department\n"
	tests := []struct {
		name     string
		villages string // villagesCSV when empty
		staff    string
		want     []string
	}{
		{"missing columns", "", "village,area\n翟各庄村,\n", []string{
			`staff.csv:1: missing required column "name"`,
			`staff.csv:1: missing required column "telegram_id"`,
			`staff.csv:1: missing required column "role"`,
		}},
		{"empty cells", "", head + ",1,admin,,,\n张三,,admin,,,\n张三,2,,,,\n", []string{
			"staff.csv:2: required cell name is empty",
			"staff.csv:3: required cell telegram_id is empty",
			"staff.csv:4: required cell role is empty",
		}},
		{"bad telegram ids", "", head + "张三,abc,admin,,,\n李四,0,admin,,,\n王五,-5,admin,,,\n赵六,12.0,admin,,,\n", []string{
			`staff.csv:2: telegram_id "abc" is not a number`,
			`staff.csv:3: telegram_id "0" is not positive`,
			`staff.csv:4: telegram_id "-5" is not positive`,
			`staff.csv:5: telegram_id "12.0" is not a number`,
		}},
		{"unknown role", "", head + "张三,1,boss,,,\n", []string{
			`staff.csv:2: unknown role "boss" (want village_cadre, area_leader, department, center or admin)`,
		}},
		{"village cadre", "", head + "张三,1,village_cadre,,,\n李四,2,village_cadre,西集屯村,,\n王五,3,village_cadre,翟庄,,\n", []string{
			"staff.csv:2: village_cadre without a village",
			`staff.csv:3: village "西集屯村" is not in the villages table`,
			`staff.csv:4: village "翟庄" is an alias; use the full name "翟各庄村"`,
		}},
		{"village cadre without a village column", "", "name,telegram_id,role\n张三,1,village_cadre\n", []string{
			"staff.csv:2: village_cadre without a village",
		}},
		{"area leader", "", head + "张三,1,area_leader,,,\n李四,2,area_leader,,西片区,\n", []string{
			"staff.csv:2: area_leader without an area",
			`staff.csv:3: area "西片区" has no village in the villages table`,
		}},
		{"department", "", head + "张三,1,department,,,\n李四,2,department,,,water；roadz;Forestry\n王五,3,department,,, ; \n", []string{
			"staff.csv:2: department without categories in the department column",
			`staff.csv:3: unknown category "roadz" in department`,
			"staff.csv:4: department without categories in the department column",
		}},
		{"same id, different name or role", "", head +
			"张三,1,village_cadre,翟各庄村,,\n张四,1,village_cadre,东寺庄村,,\n张三,1,area_leader,,东片区,\n", []string{
			"staff.csv:3: telegram_id 1 is already 张三 (village_cadre) on line 2",
			"staff.csv:4: telegram_id 1 is already 张三 (village_cadre) on line 2",
		}},
		{"cadre lists a village twice", "", head +
			"张三,1,village_cadre,翟各庄村,,\n张三,1,village_cadre,东寺庄村,,\n张三,1,village_cadre,翟各庄村,,\n", []string{
			`staff.csv:4: village "翟各庄村" listed twice for 张三 (first on line 2)`,
		}},
		{"repeated rows", "", head +
			"张三,1,area_leader,,东片区,\n张三,1,area_leader,,东片区,\n张三,1,area_leader,,运河片区,\n李四,2,center,,,\n李四,2,center,,,\n", []string{
			"staff.csv:3: duplicate row (same as line 2)",
			`staff.csv:4: 张三 already leads "东片区" on line 2; an area_leader has one area`,
			"staff.csv:6: duplicate row (same as line 5)",
		}},
		{"broken villages file: staff is not cross-checked", "name\nx\n", head + "张三,1,village_cadre,哪儿村,,\n李四,x,admin,,,\n", []string{
			`villages.csv:1: missing required column "village"`,
			`villages.csv:1: missing required column "area"`,
			`staff.csv:3: telegram_id "x" is not a number`,
		}},
		{"problems of both files, villages first", "village,area,kind\n翟各庄村,东片区,x\n", head +
			"张三,1,village_cadre,东寺庄村,,\n李四,2,nobody,,,\n", []string{
			`villages.csv:2: unknown kind "x" (want village or community)`,
			`staff.csv:2: village "东寺庄村" is not in the villages table`,
			`staff.csv:3: unknown role "nobody" (want village_cadre, area_leader, department, center or admin)`,
		}},
		{"empty staff file", "", "", []string{"staff.csv:1: no header row: the file is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.villages
			if v == "" {
				v = villagesCSV
			}
			r, err := Parse("villages.csv", strings.NewReader(v), "staff.csv", strings.NewReader(tt.staff))
			if r != nil {
				t.Errorf("Parse returned a roster along with the error")
			}
			if got := problems(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// A header cell left blank (a spacer column) is not a column and not a problem.
func TestParseBlankHeaderCell(t *testing.T) {
	r, err := parse("village,,area\n翟各庄村,随便写,东片区\n", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := r.Villages[0]; got.Name != "翟各庄村" || got.Area != "东片区" {
		t.Errorf("village = %+v", got)
	}
}

func TestValidationErrorString(t *testing.T) {
	e := &ValidationError{Problems: []Problem{
		{File: "a.csv", Line: 1, Reason: `missing required column "area"`},
		{File: "b.xlsx", Line: 7, Reason: "required cell name is empty"},
	}}
	want := "a.csv:1: missing required column \"area\"\nb.xlsx:7: required cell name is empty"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// failingReader stands for a broken disk or connection.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseReadErrors(t *testing.T) {
	tests := []struct {
		name            string
		vname           string
		villages, staff io.Reader
	}{
		{"villages CSV read fails", "villages.csv", failingReader{}, nil},
		{"staff CSV read fails", "villages.csv", strings.NewReader(villagesCSV), failingReader{}},
		{"villages xlsx is not a workbook", "villages.xlsx", strings.NewReader(villagesCSV), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.vname, tt.villages, "staff.csv", tt.staff)
			var ve *ValidationError
			if err == nil || errors.As(err, &ve) {
				t.Fatalf("Parse error = %v, want a plain read error", err)
			}
		})
	}
}
