package desk

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/api"
	"hotline/notice"
	"hotline/storage"
)

// maxExport bounds an export: a workbook beyond this is too big to use,
// and the visitor is asked to narrow the filters rather than given a part.
// (Server.maxExport; tests lower it.)
const maxExport = 100000

// exportColumns are the workbook's columns, as the district's forms name
// them.
var exportColumns = []any{"工单编号", "受理时间", "状态", "类别", "紧急程度", "村/社区", "片区", "诉求内容", "来源",
	"承办人", "承办角色", "接单时限", "办结时限", "接单时间", "办结时间", "关闭时间", "是否超时", "办理结果", "评分", "重办次数",
	"居民", "联系电话", "12345工单编号", "先行联系时间", "承诺答复", "是否解决", "反映人数"}

// export writes exactly the rows the queue's filters select, all pages, as
// .xlsx: times as Excel dates and numbers as numbers, so that Excel sorts
// and charts them.
func (s *Server) export(r *http.Request, v *visit) error {
	q, _, err := queueQuery(r, v)
	if err != nil {
		return err
	}
	q.After, q.Limit = storage.Cursor{}, 0
	var rows [][]any
	err = s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		n, err := tx.CountTickets(v.ctx, q, s.maxExport+1)
		if err != nil {
			return err
		}
		if n > s.maxExport {
			return fmt.Errorf("%w: more than %d tickets; narrow the filters (dates, area)", api.ErrBadRequest, s.maxExport)
		}
		ts, err := tx.QueryTickets(v.ctx, q)
		if err != nil {
			return err
		}
		people := map[int64]storage.Resident{}
		for _, t := range ts {
			res, ok := people[t.ResidentID]
			if t.ResidentID != 0 && !ok {
				if res, err = residentOf(v, tx, t.ResidentID); err != nil {
					return err
				}
				people[t.ResidentID] = res
			}
			if !t.HasChat() {
				// Someone without a chat: the requester the ticket was
				// opened for, phone masked like a resident's.
				res = storage.Resident{Name: t.RequesterName, Phone: notice.MaskPhone(t.RequesterPhone)}
			}
			rows = append(rows, exportRow(t, res, v.now))
		}
		return nil
	})
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := writeSheet(f, "工单", exportColumns, rows); err != nil {
		return err
	}
	name := "工单-" + v.now.In(notice.Zone).Format("20060102-1504") + ".xlsx"
	v.w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	v.w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	return f.Write(v.w)
}

func exportRow(t storage.Ticket, r storage.Resident, now time.Time) []any {
	overdue := "否"
	if t.State.Open() && now.After(storage.CursorOf(t).Due) {
		overdue = "是"
	}
	var rating any
	if t.Rating > 0 {
		rating = t.Rating
	}
	return []any{t.Number, excelTime(t.CreatedAt), notice.StateChinese(t.State), t.Category.Chinese(), t.Urgency.Chinese(),
		t.Village, t.Area, t.Text, sourceName(t.Source), t.HandlerName, t.HandlerRole.Chinese(),
		excelTime(t.AcceptBy), excelTime(t.ResolveBy), excelTime(t.AcceptedAt), excelTime(t.ResolvedAt), excelTime(t.ClosedAt),
		overdue, t.ResultNote, rating, t.Reopened, r.Name, r.Phone,
		t.ExternalID, excelTime(t.ContactedAt), excelTime(t.ReplyBy), t.Outcome.Chinese(), t.Requesters}
}

// residentOf is a resident with the phone masked; nobody when the
// resident is gone.
func residentOf(v *visit, tx *storage.Tx, id int64) (storage.Resident, error) {
	r, err := tx.Resident(v.ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Resident{}, nil
	}
	r.Phone = notice.MaskPhone(r.Phone)
	return r, err
}

// excelTime is t as the township's wall clock (Excel has no zones), or
// an empty cell.
func excelTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	l := t.In(notice.Zone)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// writeSheet writes a header and rows to a new sheet through excelize's
// stream writer, with dates formatted as dates.
func writeSheet(f *excelize.File, name string, header []any, rows [][]any) error {
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm, shown in the reader's locale
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			if t, ok := c.(time.Time); ok {
				cells[j] = excelize.Cell{StyleID: dateStyle, Value: t}
				continue
			}
			cells[j] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
