package workorders

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"hotline/intents"
	"hotline/table"
	"hotline/taxonomy"
	"hotline/workdays"
)

// Order is one 12345 work order as the import understood it.
type Order struct {
	Number         string    `json:"number"`
	Accepted       time.Time `json:"accepted,omitzero"`   // 受理时间
	Dispatched     time.Time `json:"dispatched,omitzero"` // 派单时间
	Requester      string    `json:"requester,omitempty"`
	Phone          string    `json:"phone,omitempty"`
	Content        string    `json:"content,omitempty"`
	Title          string    `json:"title,omitempty"`
	Classification string    `json:"classification,omitempty"`
	Type           string    `json:"type,omitempty"`
	Address        string    `json:"address,omitempty"`
	Town           string    `json:"town,omitempty"`
	VillageCell    string    `json:"village_cell,omitempty"` // the 村/社区 column as written
	Unit           string    `json:"unit,omitempty"`
	DeadlineCell   string    `json:"deadline,omitempty"` // 办理时限 as written
	Supervised     bool      `json:"supervised,omitempty"`

	// Worked out from the columns.
	Village   string            `json:"-"` // the roster's village, "" when none is named
	Category  taxonomy.Category `json:"-"` // from 问题分类; "" leaves it to the classifier
	ResolveBy time.Time         `json:"-"` // from 办理时限, or the default from dispatch
	Pos       table.Pos         `json:"-"`
}

// Start is when the order's clock starts: 派单时间, else 受理时间.
func (o Order) Start() time.Time {
	if !o.Dispatched.IsZero() {
		return o.Dispatched
	}
	return o.Accepted
}

// Text is what the requester asked, as the ticket keeps it: the content,
// after the title when there is one and the content does not start with it.
func (o Order) Text() string {
	switch {
	case o.Title == "" || strings.HasPrefix(o.Content, o.Title):
		return o.Content
	case o.Content == "":
		return o.Title
	}
	return o.Title + "：" + o.Content
}

// DefaultWorkdays is the time to resolve an order whose export gives none.
const DefaultWorkdays = 5

// Problem is a bad row (or header) of an export.
type Problem struct {
	Pos    table.Pos
	Reason string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Reason }

// ValidationError lists every problem of a file refused whole.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Parser reads exports against the roster's villages and the calendar.
type Parser struct {
	Gazetteer *intents.Gazetteer
	Calendar  *workdays.Calendar
	Zone      *time.Location
}

// Parse reads every order of t, or refuses the file with a
// *ValidationError listing every bad row.
func (p Parser) Parse(t *table.Table) ([]Order, error) {
	cols := map[string]int{}
	for _, c := range Columns {
		cols[c.Field], _ = t.Find(c.Names...)
	}
	var problems []Problem
	missing := func(field string, alt ...string) {
		if cols[field] >= 0 {
			return
		}
		for _, a := range alt {
			if cols[a] >= 0 {
				return
			}
		}
		problems = append(problems, Problem{t.Header.Pos, fmt.Sprintf("no column %s; the columns are: %s",
			namesOf(append([]string{field}, alt...)), strings.Join(t.Columns(), ", "))})
	}
	missing("number")
	missing("content", "title")
	missing("dispatched", "accepted")
	if dup := t.Duplicates(); len(dup) > 0 {
		problems = append(problems, Problem{t.Header.Pos, "columns named twice: " + strings.Join(dup, ", ")})
	}
	if len(problems) > 0 {
		return nil, &ValidationError{problems}
	}
	var orders []Order
	seen := map[string]table.Pos{}
	for _, row := range t.Rows {
		o, why := p.order(t, row, cols)
		if why == "" {
			if first, dup := seen[o.Number]; dup {
				why = fmt.Sprintf("工单编号 %s is also on %s", o.Number, first)
			}
		}
		if why != "" {
			problems = append(problems, Problem{row.Pos, why})
			continue
		}
		seen[o.Number] = row.Pos
		orders = append(orders, o)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{problems}
	}
	return orders, nil
}

func namesOf(fields []string) string {
	var out []string
	for _, f := range fields {
		for _, c := range Columns {
			if c.Field == f {
				out = append(out, strings.Join(c.Names, "/"))
			}
		}
	}
	return strings.Join(out, " or ")
}

// order reads one row, or says why it is bad.
func (p Parser) order(t *table.Table, row table.Row, cols map[string]int) (Order, string) {
	if err := t.CheckWidth(row); err != nil {
		return Order{}, err.Reason
	}
	cell := func(f string) string { return row.Cell(cols[f]) }
	o := Order{
		Number: cell("number"), Requester: cell("requester"), Content: cell("content"), Title: cell("title"),
		Classification: cell("classification"), Address: cell("address"), Town: cell("town"),
		VillageCell: cell("village"), Unit: cell("unit"), DeadlineCell: cell("deadline"), Pos: row.Pos,
	}
	var ok bool
	switch {
	case o.Number == "":
		return o, "工单编号 is empty"
	case o.Content == "" && o.Title == "":
		return o, "诉求内容 and 标题 are both empty"
	}
	for _, f := range []struct {
		field string
		dst   *time.Time
	}{{"accepted", &o.Accepted}, {"dispatched", &o.Dispatched}} {
		if v := cell(f.field); v != "" {
			if *f.dst, ok = parseTime(v, p.Zone); !ok {
				return o, fmt.Sprintf("%s %q is not a date and time (e.g. 2026-11-28 09:30)", headerName(t, cols[f.field]), v)
			}
		}
	}
	if o.Start().IsZero() {
		return o, "派单时间 and 受理时间 are both empty"
	}
	if o.Phone, ok = phone(cell("phone")); !ok {
		return o, fmt.Sprintf("联系电话 %q is not a phone number", cell("phone"))
	}
	if o.Type, ok = orderType(cell("type")); !ok {
		return o, fmt.Sprintf("工单类型 %q is not one of %s", cell("type"), strings.Join(orderTypes, "、"))
	}
	if o.Supervised, ok = flag(cell("supervised")); !ok {
		return o, fmt.Sprintf("督办标志 %q is not 是 or 否", cell("supervised"))
	}
	if why := p.place(&o); why != "" {
		return o, why
	}
	if why := p.deadline(&o); why != "" {
		return o, why
	}
	o.Category, _ = categoryOf(o.Classification)
	return o, ""
}

func headerName(t *table.Table, i int) string {
	if i < 0 || i >= len(t.Header.Cells) {
		return "?"
	}
	return strings.TrimSpace(t.Header.Cells[i])
}

// place finds the order's village: the 村/社区 column by the gazetteer,
// else the address. A 村/社区 the roster does not know is a bad row; an
// order naming no village at all goes to the centre, which triages.
func (p Parser) place(o *Order) string {
	if o.VillageCell != "" {
		if v, ok := p.Gazetteer.Resolve(o.VillageCell); ok {
			o.Village = v
			return ""
		}
		if v, ok := p.Gazetteer.Find(o.VillageCell); ok {
			o.Village = v
			return ""
		}
		if v, ok := p.Gazetteer.Find(o.Address); ok {
			o.Village = v
			return ""
		}
		return fmt.Sprintf("村/社区 %q is not a village of the roster (nor does the address name one)", o.VillageCell)
	}
	o.Village, _ = p.Gazetteer.Find(o.Address)
	return ""
}

var relativeDeadline = regexp.MustCompile(`^(\d+)\s*(个工作日|工作日|个?自然日|天|日|个?小时|h|H)?$`)

// deadline reads 办理时限: a date and time, or a span from dispatch
// (3个工作日, 5天, 24小时; a bare number is working days). Without one
// the order has DefaultWorkdays.
func (p Parser) deadline(o *Order) string {
	start := o.Start()
	v := strings.ReplaceAll(o.DeadlineCell, " ", "")
	if v == "" {
		o.ResolveBy = p.Calendar.Add(start, DefaultWorkdays)
		return ""
	}
	if t, ok := parseTime(o.DeadlineCell, p.Zone); ok {
		o.ResolveBy = t
		if !strings.Contains(o.DeadlineCell, ":") && !strings.Contains(o.DeadlineCell, ".") && t.Hour() == 0 && t.Minute() == 0 {
			o.ResolveBy = t.Add(23*time.Hour + 59*time.Minute) // a day: by its end
		}
	} else if m := relativeDeadline.FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[1])
		switch m[2] {
		case "", "个工作日", "工作日":
			o.ResolveBy = p.Calendar.Add(start, n)
		case "天", "日", "自然日", "个自然日":
			o.ResolveBy = start.AddDate(0, 0, n)
		default:
			o.ResolveBy = start.Add(time.Duration(n) * time.Hour)
		}
	} else {
		return fmt.Sprintf("办理时限 %q is neither a date and time nor a span such as 3个工作日", o.DeadlineCell)
	}
	if !o.ResolveBy.After(start) {
		return fmt.Sprintf("办理时限 %q is not after the order was dispatched", o.DeadlineCell)
	}
	return ""
}

// phone keeps a number's digits (and the * of a number the platform
// masked); a cell with anything else is refused.
func phone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	var b strings.Builder
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == '*':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '+' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	out := b.String()
	if strings.HasPrefix(out, "86") && len(out) == 13 {
		out = out[2:]
	}
	return out, digits >= 7 && len(out) <= 13
}

func orderType(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "类")
	s = strings.TrimPrefix(s, "意见")
	if s == "" || slices.Contains(orderTypes, s) {
		return s, true
	}
	return "", false
}

func flag(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "否", "0", "n", "no", "false", "无", "未督办":
		return false, true
	case "是", "1", "y", "yes", "true", "督办", "已督办", "√", "✓":
		return true, true
	}
	return false, false
}
