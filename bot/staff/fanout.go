package staff

import (
	"context"
	"time"

	"bpubot/locales"
	"bpubot/models"
)

// FanOut adds the outbox rows of a sending broadcast, batch by batch (Config.FanOutBatch
// chats each, one transaction each with the cursor's move), until its segment is done or it is
// cancelled. Run again after a crash, it goes on from the last batch committed, and the rows'
// dedupe keys (broadcast, channel, chat) keep a batch repeated from adding anything twice: no
// recipient is lost, none gets it twice. It returns how many rows it added.
func (s *Service) FanOut(ctx context.Context, id int64) (int64, error) {
	if err := models.StartScheduled(s.db(ctx), id, s.now()); err != nil {
		return 0, err
	}
	mb, err := models.FindBroadcast(s.db(ctx), id)
	if err != nil {
		return 0, notFound(err)
	}
	b := decodeBroadcast(mb)
	p := models.BroadcastPayloads{
		ID: models.EncodeJSON(s.message(b.Draft, "id", false)), EN: models.EncodeJSON(s.message(b.Draft, "en", false)),
		IDPlain: models.EncodeJSON(s.message(b.Draft, "id", true)), ENPlain: models.EncodeJSON(s.message(b.Draft, "en", true)),
		PlainChannels: s.Config.PlainChannels,
	}
	batch := s.Config.FanOutBatch
	if batch <= 0 {
		batch = 1000
	}
	seg, err := s.resolve(ctx, b.Draft.Segment)
	if err != nil {
		return 0, err
	}
	var total int64
	for ctx.Err() == nil {
		p.Now = s.now()
		res, err := models.FanOutBatch(s.db(ctx), mb, seg, p, batch, s.loc())
		if err != nil {
			return total, err
		}
		total += res.Queued
		if res.Queued > 0 {
			for _, ch := range channelsOf(b.Draft.Segment) {
				s.notify(ch)
			}
		}
		if res.Done {
			break
		}
	}
	if total > 0 {
		s.log().Info("broadcast fanned out", "broadcast", id, "queued", total)
	}
	return total, ctx.Err()
}

// channelsOf are the channels a segment's rows may be on, for waking their dispatchers.
func channelsOf(seg models.Segment) []string {
	if len(seg.Channels) > 0 {
		return seg.Channels
	}
	return []string{"telegram", "whatsapp", "console"}
}

// FanOutQueue runs fan-outs as jobs (*jobs.Jobs).
type FanOutQueue interface {
	// EnqueueFanOut inserts broadcast id's fan-out in tx, to run at at (zero: now).
	EnqueueFanOut(ctx context.Context, tx *models.Tx, id int64, at time.Time) error
}

// RunDue does the due work of broadcasts and handoffs once: it starts scheduled broadcasts
// whose time has come, fans out every sending one, marks done those whose messages are all
// settled, and closes requests to talk to a person left without a staff answer.
func (s *Service) RunDue(ctx context.Context) error {
	now := s.now()
	ids, err := models.BroadcastsDue(s.db(ctx), now)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.FanOut(ctx, id); err != nil {
			return err
		}
	}
	if err := s.finishSent(ctx); err != nil {
		return err
	}
	_, err = s.TimeOutHandoffs(ctx)
	return err
}

// finishSent marks done the broadcasts fanned out whose rows are all settled, and stores
// their report.
func (s *Service) finishSent(ctx context.Context) error {
	bs, err := models.BroadcastsFannedOut(s.db(ctx))
	if err != nil {
		return err
	}
	for i := range bs {
		s.finishIfSent(ctx, &bs[i])
	}
	return nil
}

// finishIfSent marks a sending broadcast done once it is fanned out and every one of its rows
// is settled, and stores its report; it reports whether it did.
func (s *Service) finishIfSent(ctx context.Context, b *models.Broadcast) bool {
	if b.Status != models.BroadcastSending || b.FannedOutAt == nil {
		return false
	}
	left, err := models.BroadcastRowsLeft(s.db(ctx), b.ID)
	if err != nil || left > 0 {
		return false
	}
	now := s.now()
	if err := models.UpdateBroadcastIf(s.db(ctx), b.ID, []string{models.BroadcastSending},
		map[string]any{"status": models.BroadcastDone, "finished_at": now, "updated_at": now}); err != nil {
		return false
	}
	b.Status, b.FinishedAt, b.UpdatedAt = models.BroadcastDone, &now, now
	if _, err := s.report(ctx, decodeBroadcast(b)); err != nil {
		s.log().Warn("storing a broadcast's report failed", "broadcast", b.ID, "err", err)
	}
	s.log().Info("broadcast done", "broadcast", b.ID)
	return true
}

// staffLang is the language of what staff read from the bot.
func (s *Service) staffLang() string {
	if locales.Supported(s.Config.StaffLang) {
		return s.Config.StaffLang
	}
	return locales.Default
}
