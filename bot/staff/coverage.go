package staff

import (
	"context"
	"slices"

	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/models"
)

// CoverageStates are the coverage states a segment may choose.
var CoverageStates = []string{string(coverage.StatePending), string(coverage.StateActive), string(coverage.StateArrears),
	string(coverage.StateLapsed), string(coverage.StateSponsored)}

// resolve makes a segment ready for SQL: coverage states, which come from stored payments
// through flows/coverage, become the members in them (within the segment's partner).
func (s *Service) resolve(ctx context.Context, seg models.Segment) (models.Segment, error) {
	if len(seg.Coverage) == 0 {
		return seg, nil
	}
	for _, c := range seg.Coverage {
		if !slices.Contains(CoverageStates, c) {
			return seg, invalid("broadcast.bad_coverage", "state", c)
		}
	}
	ids := []int64{}
	err := payments.EachCoverage(s.db(ctx), s.rules(), models.CoverageFilter{PartnerID: seg.PartnerID}, s.now(), func(batch []payments.Standing) error {
		for _, st := range batch {
			if slices.Contains(seg.Coverage, string(st.Coverage.State)) {
				ids = append(ids, st.Record.Enrollment.MemberID)
			}
		}
		return nil
	})
	if err != nil {
		return seg, err
	}
	if seg.MemberIDs != nil {
		ids = slices.DeleteFunc(ids, func(id int64) bool { return !slices.Contains(seg.MemberIDs, id) })
	}
	seg.MemberIDs = ids
	return seg, nil
}
