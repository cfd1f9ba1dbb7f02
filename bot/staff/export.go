package staff

import (
	"context"

	"bpubot/models"
)

// CountExport counts the enrollments ExportMembers would write, for a progress bar.
func (s *Service) CountExport(ctx context.Context, a Actor, seg models.Segment) (int64, error) {
	if err := s.allow(ctx, a, OpExport); err != nil {
		return 0, err
	}
	seg, err := s.resolve(ctx, s.scoped(a, seg))
	if err != nil {
		return 0, err
	}
	return models.CountEnrollmentsIn(s.db(ctx), seg, s.loc())
}

// ExportMembers calls fn with every enrollment of the members a segment chooses (partner staff:
// of their own partner only), oldest first; what fn writes must mask the NIK and phone number.
// It audits the export with the number of rows.
func (s *Service) ExportMembers(ctx context.Context, a Actor, seg models.Segment, fn func(models.EnrollmentRow) error) (int64, error) {
	if err := s.allow(ctx, a, OpExport); err != nil {
		return 0, err
	}
	seg, err := s.resolve(ctx, s.scoped(a, seg))
	if err != nil {
		return 0, err
	}
	var n int64
	err = models.EachEnrollmentIn(s.db(ctx), seg, s.loc(), func(r models.EnrollmentRow) error {
		n++
		return fn(r)
	})
	s.audit(ctx, a, "export.members", "", n, "")
	return n, err
}
