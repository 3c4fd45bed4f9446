// Package reports is the read side of the hotline: the three rates
// (response, resolution, satisfaction), the 日调度, 周专题 and 月综合
// digests, the year-end evaluation, and the figures the centre's desk
// shows (overview, daily trend, village × category, requests per 100
// households, open and overdue per village, stats by village, 片区,
// category or handler). It returns data and words nothing: package notice
// renders it for Telegram, cmd/hotline for the terminal and as .xlsx, the
// desk for the web. No renderer computes a number; every figure, every
// rate and every ranking is made here once.
//
// Everything is computed in SQL over the period asked for (package storage
// aggregates a per-day and per-month rollup kept with every ticket change,
// and the period's open tickets through indexes), so a report costs about
// the same with a hundred tickets or a million, and runs on a read transaction: call the Load
// functions inside (*storage.DB).View, never inside a write.
//
// The unit of a period is Sheet: the tickets created in it, judged at its
// end, grouped finely (village, 片区, category, handler). Every view of a
// period is summed from one Sheet — totals, rates by any dimension, the
// village × category grid — so no two views can disagree, and a new view
// (a scorecard, a split by source) is a new method on Sheet, not a new
// query.
package reports
