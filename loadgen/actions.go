package loadgen

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/intents"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// texts are what residents write, a few per category; the village is
// added, so texts differ in length as real ones do.
var texts = map[taxonomy.Category][]string{
	taxonomy.Roads:      {"村口的路灯坏了一个星期了，晚上老人出门很危险", "路上有个大坑，电动车差点摔了"},
	taxonomy.Sanitation: {"垃圾好几天没人收了，都堆到路边了", "公共厕所太脏了，没人打扫"},
	taxonomy.Water:      {"家里自来水停了一天了，也没通知", "下雨后院子里积水出不去"},
	taxonomy.Heating:    {"屋里冷得睡不着，那个空气能机器不出热风", "暖气片不热，煤改电设备坏了"},
	taxonomy.Power:      {"我们这片停电了，什么时候来电", "电线耷拉下来了挺低的，怕出事"},
}

func textFor(c taxonomy.Category, village string) string {
	if ts := texts[c]; len(ts) > 0 {
		return ts[len(village)%len(ts)] + "（" + village + "）"
	}
	return "想反映一下" + c.Chinese() + "方面的问题，麻烦给看看（" + village + "）"
}

// do carries out one action at g.now.
func (g *gen) do(ctx context.Context, tx *storage.Tx, act action) error {
	switch act.kind {
	case doOpen:
		return g.open(ctx, tx)
	case doCheck:
		acted, err := g.svc.CheckDeadline(ctx, tx, g.a, act.ticket, tickets.Leads{Accept: time.Hour, Resolve: 24 * time.Hour})
		if err != nil {
			return err
		}
		t, err := tx.Ticket(ctx, act.ticket)
		if err != nil {
			return err
		}
		if acted && t.Level > 0 {
			g.stats.Escalations++
			g.later(g.within(3*time.Hour), doAccept, t.ID, 0) // the next handler is quick
		}
		return nil
	}
	t, err := tx.Ticket(ctx, act.ticket)
	if err != nil {
		return err
	}
	err = g.step(ctx, tx, act, t)
	if errors.Is(err, tickets.ErrForbidden) || errors.As(err, new(*routing.IllegalTransitionError)) {
		return nil // the ticket moved on since this was planned (escalated, reopened): skip
	}
	return err
}

// step is what a handler or a resident does to a ticket.
func (g *gen) step(ctx context.Context, tx *storage.Tx, act action, t storage.Ticket) error {
	switch act.kind {
	case doAccept:
		if _, err := g.svc.Accept(ctx, tx, g.a, t.ID, t.HandlerID); err != nil {
			return err
		}
		g.stats.Accepted++
		// Resolved within the week mostly; one in twelve late.
		d := g.within(4 * 24 * time.Hour)
		if g.rnd.IntN(12) == 0 {
			d = 7*24*time.Hour + g.within(5*24*time.Hour)
		}
		g.later(d, doResolve, t.ID, 0)
	case doResolve:
		if _, err := g.svc.Resolve(ctx, tx, g.a, t.ID, t.HandlerID, "已处理", ""); err != nil {
			return err
		}
		g.stats.Resolved++
		g.afterResolve(t.ID)
	case doRate:
		if _, err := g.svc.Rate(ctx, tx, t.ID, t.ResidentID, act.n); err != nil {
			return err
		}
		g.stats.Rated++
	case doUnresolved:
		if _, err := g.svc.Unresolved(ctx, tx, g.a, t.ID, t.ResidentID); err != nil {
			return err
		}
		g.stats.Reopened++
		g.later(g.within(6*time.Hour), doAccept, t.ID, 0)
	default:
		return fmt.Errorf("unknown action %d", act.kind)
	}
	return nil
}

// afterResolve plans the resident's answer: a rating (7 in 10, mostly 4–5),
// 未解决 (1 in 30), or nothing.
func (g *gen) afterResolve(id storage.TicketID) {
	switch x := g.rnd.IntN(30); {
	case x == 0:
		g.later(g.within(48*time.Hour), doUnresolved, id, 0)
	case x < 22:
		stars := []int{5, 5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 1}[g.rnd.IntN(12)]
		g.later(g.within(48*time.Hour), doRate, id, stars)
	}
}

// open takes in one report: a resident of a weighted village writes about
// a weighted category, and the lifecycle opens, routes and notifies.
func (g *gen) open(ctx context.Context, tx *storage.Tx) error {
	v := g.pickVillage()
	c := g.cats[pick(g.catW, g.rnd)]
	u := taxonomy.Normal
	switch x := g.rnd.IntN(20); {
	case x < 2:
		u = taxonomy.Urgent
	case x < 6 || c == taxonomy.Consultation || c == taxonomy.Feedback:
		u = taxonomy.Low
	}
	resident := g.base + g.rnd.Int64N(int64(g.nres))
	t, err := g.svc.Open(ctx, tx, g.a, tickets.OpenInput{ResidentID: resident, Text: textFor(c, v.Name),
		Intent: intents.Result{Category: c, Urgency: u, Village: v.Name, Confidence: 0.5 + g.rnd.Float64()/2, Source: "embedded"}})
	if err != nil {
		return err
	}
	g.stats.Tickets++
	sla := g.svc.Policy().For(u)
	switch x := g.rnd.IntN(100); {
	case x < 3: // neglected: the deadline job escalates it
		g.later(t.AcceptBy.Sub(g.now)+time.Minute, doCheck, t.ID, 0)
	case x < 13: // accepted late
		g.later(sla.Accept+g.within(sla.Accept), doAccept, t.ID, 0)
	default:
		g.later(g.within(sla.Accept), doAccept, t.ID, 0)
	}
	return nil
}
