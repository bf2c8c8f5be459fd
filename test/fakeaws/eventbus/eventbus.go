// Package eventbus routes an event through the EventBridge rules and targets
// the fake cloud holds, as the default event bus does: every rule whose
// pattern matches (test/fakeaws/eventpattern) delivers the event to each of
// its targets (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html).
// Test infrastructure only.
package eventbus

import (
	"fmt"
	"sort"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
	"github.com/mlprov/mlprov/test/fakeaws/eventpattern"
)

// Type tokens of the resources the bus reads.
const (
	typeRule   = awstypes.EventRule
	typeTarget = awstypes.EventTarget
)

// Route returns the ARNs of the targets the event reaches, sorted.
func Route(resources []cloudstate.Resource, event string) ([]string, error) {
	matched := map[string]bool{} // rule name → pattern matched
	for _, r := range resources {
		if r.Type != typeRule {
			continue
		}
		pattern, _ := r.Inputs["eventPattern"].(string)
		name, _ := r.Inputs["name"].(string)
		if pattern == "" {
			continue // schedule rules match no event
		}
		ok, err := eventpattern.Match(pattern, event)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", name, err)
		}
		matched[name] = ok
	}
	var arns []string
	for _, r := range resources {
		if r.Type != typeTarget {
			continue
		}
		rule, _ := r.Inputs["rule"].(string)
		if matched[rule] {
			arn, _ := r.Inputs["arn"].(string)
			arns = append(arns, arn)
		}
	}
	sort.Strings(arns)
	return arns, nil
}
