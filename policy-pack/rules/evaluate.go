package rules

import "time"

// Evaluate runs every registered rule over the stack, applies the waivers and
// judges the waivers themselves. now decides which waivers have expired.
func Evaluate(stack Stack, waivers []Waiver, now time.Time) []Finding {
	return EvaluateRules(All(), stack, waivers, now)
}

// EvaluateRules is Evaluate over a chosen set of rules. On a partial stack
// (one resource, the engine's per-resource analysis) stack and waiver rules
// are skipped: they need the whole stack and would repeat per resource.
func EvaluateRules(catalogue []Rule, stack Stack, waivers []Waiver, now time.Time) []Finding {
	ids := make(map[string]bool, len(catalogue))
	for _, r := range All() {
		ids[r.ID] = true
	}
	known := func(id string) bool { return ids[id] }

	var out []Finding
	for _, rule := range catalogue {
		switch {
		case rule.Check != nil:
			for i := range stack.Resources {
				r := &stack.Resources[i]
				if rule.Applies == nil || rule.Applies(*r) {
					out = appendFinding(out, rule, r, rule.Check(*r, stack))
				}
			}
		case rule.CheckStack != nil && !stack.Partial:
			for _, j := range rule.CheckStack(stack) {
				out = appendFinding(out, rule, j.Resource, j.Result)
			}
		case rule.checkWaiver != nil && !stack.Partial:
			for _, w := range waivers {
				if res := rule.checkWaiver(w, known, now); res.Status != StatusPass {
					f := newFinding(rule, nil, res)
					f.LogicalName, f.Type = w.Resource, waiverType
					out = append(out, f)
				}
			}
		}
	}
	return applyWaivers(out, waivers, known, now)
}

func appendFinding(out []Finding, rule Rule, r *Resource, res Result) []Finding {
	if res.Status == StatusPass || res.Status == "" {
		return out
	}
	return append(out, newFinding(rule, r, res))
}

func newFinding(rule Rule, r *Resource, res Result) Finding {
	f := Finding{
		RuleID:      rule.ID,
		LogicalName: StackLogicalName,
		Message:     res.Message,
		Remediation: rule.Remediation,
		Enforcement: rule.Enforcement,
		Severity:    rule.Severity,
		Status:      res.Status,
	}
	if res.Advisory {
		f.Enforcement = Advisory
	}
	if r != nil {
		f.URN, f.LogicalName, f.Type = r.URN, r.Name, r.Type
	}
	return f
}

// applyWaivers marks violations covered by a valid, unexpired waiver as
// waived. Waiver findings themselves cannot be waived.
func applyWaivers(findings []Finding, waivers []Waiver, known func(string) bool, now time.Time) []Finding {
	for i := range findings {
		f := &findings[i]
		if f.Status != StatusViolation || f.Type == waiverType {
			continue
		}
		for _, w := range waivers {
			if known(w.Rule) && !w.Expired(now) && w.Covers(f.RuleID, f.LogicalName) {
				f.Status = StatusWaived
				f.WaivedBy = w.Reason + " (owner " + w.Owner + ", until " + w.Expires + ")"
				break
			}
		}
	}
	return findings
}
