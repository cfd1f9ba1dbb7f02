package flows

import "bpubot/models"

// SignupSteps lists the sign-up's questions in the order a worker meets them, for the staff
// console's funnel: the consent, each counted question ("(3/10)") and the summary. A follow-up
// (the birth date read from the NIK, which kabupaten of two) counts as the question it follows.
// Questions a worker may skip (the phone on WhatsApp, the partner from a link, the package
// for a sponsored worker) are listed too.
func SignupSteps() []string {
	var steps []string
	for _, s := range flowSignup.Steps {
		if funnelStep(s) {
			steps = append(steps, s.Name)
		}
	}
	return steps
}

func funnelStep(s *Step) bool { return s.Counted || s.Name == stConsent || s.Name == stSummary }

// funnelPlace is the funnel step a sign-up step counts as: itself, or the question it follows.
func funnelPlace(step string) string {
	place := ""
	for _, s := range flowSignup.Steps {
		if funnelStep(s) {
			place = s.Name
		}
		if s.Name == step {
			return place
		}
	}
	return ""
}

// SignupPlace is where a stored conversation is in the sign-up, as a step of SignupSteps: the
// step it is at (signing up now, or interrupted by a question), or the step it left for the
// menu with its answers kept; "" when it is not signing up. Partner is the partner code its
// answers or its link named.
func SignupPlace(c models.Conversation) (step, partner string) {
	var slots map[string]string
	_ = models.DecodeJSON(c.Slots, &slots) // a broken column only means no place to report
	partner = slots[slotLinkPartner]
	if p := slots[slotPartner]; p != "" && p != "-" {
		partner = p
	}
	at := func(flow, state string) string {
		if flow != nameSignup {
			return ""
		}
		if isRunnerState(state) {
			state = slots[slotReturn]
		}
		if flowSignup.step(state) == nil {
			return ""
		}
		return funnelPlace(state)
	}
	if step = at(c.Flow, c.State); step != "" {
		return step, partner
	}
	var stack []frame
	_ = models.DecodeJSON(c.Stack, &stack)
	for i := len(stack) - 1; i >= 0; i-- {
		if step = at(stack[i].Flow, stack[i].State); step != "" {
			return step, partner
		}
	}
	if saved := slots[savedSlot(flowSignup)]; flowSignup.step(saved) != nil {
		return funnelPlace(saved), partner
	}
	return "", partner
}
