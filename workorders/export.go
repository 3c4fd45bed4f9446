package workorders

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/routing"
	"hotline/storage"
)

// ExportColumns are the platform's columns of an order's result, in order
// (README: 12345 work orders).
var ExportColumns = []string{"工单编号", "先行联系", "联系时间", "办理结果", "答复内容", "是否解决", "是否满意", "办结时间"}

// ResultRow is one order's result as the platform takes it back.
type ResultRow struct {
	Number      string
	Contacted   bool      // 先行联系: 是/否
	ContactedAt time.Time // 联系时间
	Result      string    // 办理结果: 已办结, 办理中, 待接单
	Reply       string    // 答复内容: the handler's result note
	Solved      string    // 是否解决: 解决, 部分解决, 未解决; "" until resolved
	Satisfied   string    // 是否满意: 满意, 基本满意, 不满意; "" when not known
	ResolvedAt  time.Time // 办结时间
}

// Results lists the results of the orders dispatched in [from, before).
func Results(ctx context.Context, db *storage.DB, from, before time.Time) ([]ResultRow, error) {
	var orders []storage.DispatchedOrder
	err := db.View(ctx, func(tx *storage.Tx) error {
		var err error
		orders, err = tx.WorkOrdersDispatched(ctx, from, before)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]ResultRow, len(orders))
	for i, o := range orders {
		out[i] = resultOf(o.Number, o.Ticket)
	}
	return out, nil
}

func resultOf(number string, t storage.Ticket) ResultRow {
	r := ResultRow{Number: number, Contacted: !t.ContactedAt.IsZero(), ContactedAt: t.ContactedAt, Reply: t.ResultNote}
	done := t.State == routing.Resolved || t.State == routing.Closed
	switch {
	case t.State == routing.Closed && t.ResolvedAt.IsZero():
		r.Result = "已关闭" // closed by the centre without a resolution (重复, 不属实)
	case done:
		r.Result, r.ResolvedAt = "已办结", t.ResolvedAt
		r.Solved = routing.Solved.Chinese()
		if t.Outcome != "" {
			r.Solved = t.Outcome.Chinese()
		}
	case t.State == routing.Accepted, t.State == routing.Linked:
		r.Result = "办理中"
	default:
		r.Result = "待接单"
	}
	r.Satisfied = Satisfaction(t.Rating)
	return r
}

// Satisfaction is a 1–5 rating as the platform grades it: 4 and 5 满意,
// 3 基本满意, 1 and 2 不满意; "" when not rated.
func Satisfaction(rating int) string {
	switch {
	case rating >= 4:
		return "满意"
	case rating == 3:
		return "基本满意"
	case rating >= 1:
		return "不满意"
	}
	return ""
}

// WriteXLSX writes the results to a workbook file in the platform's
// columns, times in loc.
func WriteXLSX(path string, rows []ResultRow, loc *time.Location) error {
	var buf bytes.Buffer
	if err := Write(&buf, rows, loc); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Write writes the results as a workbook in the platform's columns, times
// in loc.
func Write(w io.Writer, rows []ResultRow, loc *time.Location) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "办理结果"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04:05")
	}
	yes := map[bool]string{true: "是", false: "否"}
	for i, h := range ExportColumns {
		if err := f.SetCellStr(sheet, cellName(i, 1), h); err != nil {
			return err
		}
	}
	for n, r := range rows {
		for i, v := range []string{r.Number, yes[r.Contacted], when(r.ContactedAt), r.Result, r.Reply, r.Solved, r.Satisfied, when(r.ResolvedAt)} {
			if err := f.SetCellStr(sheet, cellName(i, n+2), v); err != nil {
				return err
			}
		}
	}
	return f.Write(w)
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}
