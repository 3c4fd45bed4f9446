package outreach

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// These are the bot's hooks: each runs inside the bot's transaction for
// one update and queues its own replies.

// AnswerCheckin records a resident's 正常 (ok) or 有问题 to a check-in. 有问题
// opens a ticket with the campaign's category, routed as usual and linked
// to the campaign. A second answer changes nothing.
func (s *Service) AnswerCheckin(ctx context.Context, tx *storage.Tx, a *assets.Assets, runID, residentID int64, ok bool) (storage.Ticket, error) {
	rc, run, err := s.recipient(ctx, tx, runID, residentID)
	if err != nil {
		return storage.Ticket{}, err
	}
	// A year-end recipient must not answer with 正常: it would use up the
	// household's one rating.
	if kindOf(run.Kind).answers != answerCheckin {
		return storage.Ticket{}, fmt.Errorf("run %d is not a check-in: %w", runID, ErrNotAsked)
	}
	if rc.Answer != "" {
		return storage.Ticket{}, s.queue(ctx, tx, residentID, notice.AlreadyAnswered())
	}
	if ok {
		if _, err := tx.AnswerRecipient(ctx, runID, residentID, "ok", 0, s.now()); err != nil {
			return storage.Ticket{}, err
		}
		return storage.Ticket{}, s.queue(ctx, tx, residentID, notice.CheckinThanks())
	}
	return s.checkinTicket(ctx, tx, a, run, residentID, "bad", notice.CheckinTicketText(run.Text), intents.Result{})
}

// CheckinReply handles a text from a resident who has a check-in awaiting
// an answer (asked within answer_within): the text opens a ticket with the
// campaign's category. handled is false when no check-in awaits, and the
// bot treats the text as an ordinary report.
func (s *Service) CheckinReply(ctx context.Context, tx *storage.Tx, a *assets.Assets, residentID int64, text string, intent intents.Result) (handled bool, t storage.Ticket, err error) {
	_, run, ok, err := tx.AwaitingCheckin(ctx, residentID, s.now().Add(-time.Duration(s.cfg.AnswerWithin)), answering(answerCheckin))
	if err != nil || !ok {
		return false, storage.Ticket{}, err
	}
	t, err = s.checkinTicket(ctx, tx, a, run, residentID, "text", text, intent)
	return err == nil, t, err
}

func (s *Service) checkinTicket(ctx context.Context, tx *storage.Tx, a *assets.Assets, run storage.Run, residentID int64, answer, text string, in intents.Result) (storage.Ticket, error) {
	res, err := tx.Resident(ctx, residentID)
	if err != nil {
		return storage.Ticket{}, fmt.Errorf("resident %d: %w", residentID, err)
	}
	if run.Category != "" && !dangerElsewhere(in, run.Category) {
		in.Category = run.Category
	}
	if in.Village == "" {
		in.Village = res.Village
	}
	if in.Source == "" {
		in.Source, in.Confidence = tickets.SourceFollowUp, 1
	}
	t, err := s.tickets.Open(ctx, tx, a, tickets.OpenInput{ResidentID: residentID, Text: text, Intent: in, Campaign: run.Campaign, Source: taxonomy.Checkin})
	if err != nil {
		return storage.Ticket{}, err
	}
	if _, err := tx.AnswerRecipient(ctx, run.ID, residentID, answer, int64(t.ID), s.now()); err != nil {
		return storage.Ticket{}, err
	}
	return t, nil
}

// dangerElsewhere reports a text the classifier judges urgent in another
// specific category. Any text within answer_within of a check-in counts as
// its answer, and a check-in to "all" (flood-check) covers a whole
// township for two days: a gas smell written then must reach whoever
// handles gas, not the drains department. Everything else keeps the
// campaign's category, as the check-in asked about it.
func dangerElsewhere(in intents.Result, campaign taxonomy.Category) bool {
	return in.Urgency == taxonomy.Urgent && in.Category.Valid() && in.Category != taxonomy.Other &&
		in.Category != campaign
}

func (s *Service) recipient(ctx context.Context, tx *storage.Tx, runID, residentID int64) (storage.Recipient, storage.Run, error) {
	rc, err := tx.Recipient(ctx, runID, residentID)
	if errors.Is(err, storage.ErrNotFound) {
		return rc, storage.Run{}, fmt.Errorf("run %d, resident %d: %w", runID, residentID, ErrNotAsked)
	}
	if err != nil {
		return rc, storage.Run{}, err
	}
	run, err := tx.Run(ctx, runID)
	return rc, run, err
}

// RateCadre records a household's year-end rating (1–5) of its village
// cadre, once.
func (s *Service) RateCadre(ctx context.Context, tx *storage.Tx, runID, residentID int64, stars int) error {
	if stars < 1 || stars > 5 {
		return fmt.Errorf("year-end rating %d: want 1..5", stars)
	}
	rc, run, err := s.recipient(ctx, tx, runID, residentID)
	if err != nil {
		return err
	}
	if kindOf(run.Kind).answers != answerRating {
		return fmt.Errorf("run %d is not a year-end evaluation: %w", runID, ErrNotAsked)
	}
	if rc.Answer != "" {
		return s.queue(ctx, tx, residentID, notice.AlreadyAnswered())
	}
	if _, err := tx.AnswerRecipient(ctx, runID, residentID, strconv.Itoa(stars), 0, s.now()); err != nil {
		return err
	}
	return s.queue(ctx, tx, residentID, notice.YearEndThanks(stars))
}

// SetTags lets staff set a resident's tags: the village's cadres, the area
// leader of its 片区, the centre and admins.
func (s *Service) SetTags(ctx context.Context, tx *storage.Tx, a *assets.Assets, actorID roster.StaffID, residentID int64, tags []string) error {
	actor, ok := a.Roster.StaffByID(actorID)
	if !ok {
		return fmt.Errorf("%w: %d is not staff", ErrForbidden, actorID)
	}
	res, err := tx.Resident(ctx, residentID)
	if err != nil {
		return fmt.Errorf("resident %d: %w", residentID, err)
	}
	if v, _ := a.Roster.Village(res.Village); !tickets.MayTag(actor, v) {
		return fmt.Errorf("%w: %s may not tag residents of %s", ErrForbidden, actor.Name, res.Village)
	}
	clean := []string{}
	for _, t := range tags {
		if !slices.Contains(notice.TagQuestions, t) {
			return fmt.Errorf("unknown tag %q (known: %v)", t, notice.TagQuestions)
		}
		if !slices.Contains(clean, t) {
			clean = append(clean, t)
		}
	}
	if err := tx.SetResidentTags(ctx, residentID, clean); err != nil {
		return err
	}
	return s.queue(ctx, tx, int64(actorID), notice.TagsSet(res.Name, clean))
}

// queue sends m to chat.
func (s *Service) queue(ctx context.Context, tx *storage.Tx, chat int64, m storage.OutboxMessage) error {
	m.ChatID = chat
	_, err := tx.Enqueue(ctx, m, s.now())
	return err
}
