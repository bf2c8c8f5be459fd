package iampolicy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlprov/mlprov/internal/policydoc"
)

// Change is how one statement (by Sid) differs between two policies.
// Its JSON form is create-policy's -o json "changes".
type Change struct {
	Sid string `json:"sid"`
	// Kind is "added", "removed" or "changed".
	Kind             string   `json:"kind"`
	Effect           string   `json:"effect,omitempty"`
	AddedActions     []string `json:"addedActions,omitempty"`
	RemovedActions   []string `json:"removedActions,omitempty"`
	AddedResources   []string `json:"addedResources,omitempty"`
	RemovedResources []string `json:"removedResources,omitempty"`
	ConditionBefore  string   `json:"conditionBefore,omitempty"`
	ConditionAfter   string   `json:"conditionAfter,omitempty"`
}

// Diff compares two policies statement by statement (a split policy is
// compared as the union of its documents), in Sid order.
func Diff(before, after []policydoc.Document) []Change {
	old, cur := bySid(before), bySid(after)
	sids := map[string]bool{}
	for s := range old {
		sids[s] = true
	}
	for s := range cur {
		sids[s] = true
	}
	var out []Change
	for _, sid := range sortedKeys(sids) {
		o, inOld := old[sid]
		n, inNew := cur[sid]
		c := Change{Sid: sid, Effect: n.Effect}
		switch {
		case !inOld:
			c.Kind, c.AddedActions, c.AddedResources, c.ConditionAfter = "added", n.Action, n.Resource, conditionKey(n.Condition)
		case !inNew:
			c.Kind, c.Effect, c.RemovedActions, c.RemovedResources, c.ConditionBefore = "removed", o.Effect, o.Action, o.Resource, conditionKey(o.Condition)
		default:
			c.Kind = "changed"
			c.AddedActions, c.RemovedActions = setDiff(n.Action, o.Action), setDiff(o.Action, n.Action)
			c.AddedResources, c.RemovedResources = setDiff(n.Resource, o.Resource), setDiff(o.Resource, n.Resource)
			if before, after := conditionKey(o.Condition), conditionKey(n.Condition); before != after || o.Effect != n.Effect {
				c.ConditionBefore, c.ConditionAfter = o.Effect+" "+before, n.Effect+" "+after
			}
			if len(c.AddedActions)+len(c.RemovedActions)+len(c.AddedResources)+len(c.RemovedResources) == 0 && c.ConditionAfter == "" {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func bySid(docs []policydoc.Document) map[string]policydoc.Statement {
	out := map[string]policydoc.Statement{}
	for _, d := range docs {
		for _, s := range d.Statement {
			out[s.Sid] = s
		}
	}
	return out
}

// setDiff is a − b, sorted.
func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, v := range b {
		in[v] = true
	}
	var out []string
	for _, v := range a {
		if !in[v] {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// String renders a change for people: one line per added (+) or removed
// (-) action, resource or condition.
func (c Change) String() string {
	var b strings.Builder
	marker := map[string]string{"added": "+", "removed": "-", "changed": "~"}[c.Kind]
	fmt.Fprintf(&b, "%s statement %s (%s)\n", marker, c.Sid, c.Kind)
	lines := func(sign, what string, values []string) {
		for _, v := range values {
			fmt.Fprintf(&b, "    %s %s %s\n", sign, what, v)
		}
	}
	lines("+", "action  ", c.AddedActions)
	lines("-", "action  ", c.RemovedActions)
	lines("+", "resource", c.AddedResources)
	lines("-", "resource", c.RemovedResources)
	if c.ConditionBefore != "" {
		fmt.Fprintf(&b, "    - condition %s\n", c.ConditionBefore)
	}
	if c.ConditionAfter != "" {
		fmt.Fprintf(&b, "    + condition %s\n", c.ConditionAfter)
	}
	return b.String()
}
