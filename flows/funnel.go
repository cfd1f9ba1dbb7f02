package flows

import "bpubot/models"

// SignupSteps lists the sign-up's steps in the order a worker meets them, for the staff
// console's funnel. Steps a worker may skip (the phone on WhatsApp, the partner from a link,
// the package for a sponsored worker) are listed too.
func SignupSteps() []string {
	steps := make([]string, len(flowSignup.Steps))
	for i, s := range flowSignup.Steps {
		steps[i] = s.Name
	}
	return steps
}

// SignupPlace is where a stored conversation is in the sign-up: the step it is at (signing up
// now, or interrupted by a question), or the step it left for the menu with its answers kept;
// "" when it is not signing up. Partner is the partner code its answers or its link named.
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
		return state
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
		return saved, partner
	}
	return "", partner
}
