package desk

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"hotline/api"
	"hotline/notice"
	"hotline/roster"
	"hotline/table"
	"hotline/taxonomy"
	"hotline/tickets"
	"hotline/workorders"
)

// 12345: the district platform's work orders uploaded as `hotline import
// 12345` reads them (all of a file or nothing, the same file twice
// changing nothing), and their results downloaded in the platform's
// columns as `hotline export 12345` writes them.

// ordersData is the 12345 page.
type ordersData struct {
	base
	Problems []workorders.Problem // why an upload was refused, row by row
	Error    string
	Read     string             // what the last upload was read as
	Result   *workorders.Result // what it did
	From, To string             // the export's default period: this month so far
	Columns  []workorders.Column
}

// mayOrders reports whether a staff member may bring 12345 orders in and
// their results out: whoever may open a 12345 ticket (tickets.MayOpen),
// the centre and admins, who receive the platform's dispatches.
func mayOrders(st roster.Staff) bool { return tickets.MayOpen(st, roster.Village{}, taxonomy.Hotline) }

func (s *Server) ordersPage(r *http.Request, v *visit) (ordersData, error) {
	if !mayOrders(v.staff) {
		return ordersData{}, errNoPage
	}
	day := v.now.In(notice.Zone)
	d := ordersData{base: v.base(r, "12345 工单", "orders"), Columns: workorders.Columns,
		From: time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, notice.Zone).Format(time.DateOnly), To: day.Format(time.DateOnly)}
	q := r.URL.Query()
	if q.Get("done") == "orders" {
		n := func(k string) int { i, _ := strconv.Atoi(q.Get(k)); return i }
		d.Result, d.Read = &workorders.Result{New: n("new"), Updated: n("updated"), Unchanged: n("unchanged")}, q.Get("read")
	}
	return d, nil
}

func (s *Server) orders(r *http.Request, v *visit) error {
	d, err := s.ordersPage(r, v)
	if err != nil {
		return err
	}
	return s.render(v.w, http.StatusOK, "orders", d)
}

// uploadOrders imports the uploaded file, or shows every problem and
// imports nothing.
func (s *Server) uploadOrders(r *http.Request, v *visit) error {
	d, err := s.ordersPage(r, v)
	if err != nil {
		return err
	}
	name, t, err := readOrders(r)
	var orders []workorders.Order
	if err == nil {
		p := workorders.Parser{Gazetteer: v.a.Gazetteer, Calendar: s.cfg.Tickets.Calendar(), Zone: notice.Zone}
		orders, err = p.Parse(t)
	}
	var verr *workorders.ValidationError
	switch {
	case errors.As(err, &verr):
		d.Problems = verr.Problems
		return s.render(v.w, http.StatusBadRequest, "orders", d)
	case errors.Is(err, api.ErrBadRequest):
		d.Error = err.Error()
		return s.render(v.w, http.StatusBadRequest, "orders", d)
	case err != nil:
		return err
	}
	im := workorders.Importer{DB: s.cfg.DB, Tickets: s.cfg.Tickets, Log: s.cfg.Log}
	res, err := im.Import(v.ctx, v.a, orders, name+"（工作台上传："+v.staff.Name+"）")
	if err != nil {
		// A failure inside the transaction (a 12345 number a ticket
		// entered by hand already carries) leaves nothing of the file.
		code, _ := api.Status(err)
		if code == http.StatusInternalServerError {
			return err
		}
		d.Error = pageMessage(code, err) + "（整份文件没有导入）"
		return s.render(v.w, code, "orders", d)
	}
	s.cfg.Log.Info("desk: 12345 orders imported", "by", v.staff.TelegramID, "file", name,
		"new", res.New, "updated", res.Updated, "unchanged", res.Unchanged)
	s.notify()
	u := url.Values{"done": {"orders"}, "new": {strconv.Itoa(res.New)}, "updated": {strconv.Itoa(res.Updated)},
		"unchanged": {strconv.Itoa(res.Unchanged)}, "read": {fileKind(t)}}
	http.Redirect(v.w, r, "/desk/orders?"+u.Encode(), http.StatusSeeOther)
	return nil
}

// readOrders reads the form's file: any problem with it is the visitor's
// to fix.
func readOrders(r *http.Request) (string, *table.Table, error) {
	f, h, err := r.FormFile("file")
	if err != nil {
		return "", nil, fmt.Errorf("%w: choose the 12345 export (.xlsx or .csv)", api.ErrBadRequest)
	}
	defer f.Close()
	name := filepath.Base(h.Filename)
	t, err := table.Read(name, f)
	if err != nil {
		return name, nil, fmt.Errorf("%w: %v", api.ErrBadRequest, err)
	}
	return name, t, nil
}

// fileKind says what a file was read as, in the desk's words.
func fileKind(t *table.Table) string {
	switch {
	case t.Sheet != "":
		return "Excel 工作簿（工作表“" + t.Sheet + "”）"
	case t.Encoding == table.GB18030:
		return "CSV（GBK 编码）"
	}
	return "CSV（UTF-8 编码）"
}

// ordersBook downloads the results of the orders dispatched from one day
// to another in the platform's columns.
func (s *Server) ordersBook(r *http.Request, v *visit) error {
	if !mayOrders(v.staff) {
		return errNoPage
	}
	q := r.URL.Query()
	from, errFrom := time.ParseInLocation(time.DateOnly, q.Get("from"), notice.Zone)
	to, errTo := time.ParseInLocation(time.DateOnly, q.Get("to"), notice.Zone)
	if errFrom != nil || errTo != nil || to.Before(from) {
		return fmt.Errorf("%w: from and to are days (2006-01-02), from no later than to", api.ErrBadRequest)
	}
	rows, err := workorders.Results(v.ctx, s.cfg.DB, from, to.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	name := "12345办理结果-" + from.Format("20060102") + "-" + to.Format("20060102") + ".xlsx"
	v.w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	v.w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	return workorders.Write(v.w, rows, notice.Zone)
}
