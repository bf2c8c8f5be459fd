// Package iampolicy derives the deployer's least-privilege IAM policy from a
// product's rendered template: for every resource and data source in the
// document, the actions the engine's providers call (table.go), scoped to
// that product's ARNs, tags and roles. It also holds a small IAM evaluator
// that proves the policy sufficient and tight, and the request mapping the
// AWS test double uses to enforce it.
package iampolicy

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
)

// MaxManagedPolicySize is AWS's limit on a customer managed policy,
// counted in characters without whitespace.
const MaxManagedPolicySize = 6144

// Sids and condition keys of the environment rules (environment.go).
const (
	unscopableSid         = "Unscopable"
	denyWithoutMFASid     = "DenyMutatingWithoutMFA"
	denyStatefulDeleteSid = "DenyDeletingStatefulResources"
	mfaKey                = "aws:MultiFactorAuthPresent"
	principalARNKey       = "aws:PrincipalArn"
)

// Generate returns the deployer policy of one rendered product: one
// document, or several numbered ones that together grant the same when one
// would exceed MaxManagedPolicySize.
func Generate(doc *provtemplate.Document) ([]policydoc.Document, error) {
	statements, err := Statements(doc)
	if err != nil {
		return nil, err
	}
	return split(statements)
}

// Statements returns the policy's statements before any split, grouped by
// purpose (Sid) and sorted.
func Statements(doc *provtemplate.Document) ([]policydoc.Statement, error) {
	p := doc.Product
	if p.AccountID == "" || p.Region == "" || p.MLName == "" {
		return nil, fmt.Errorf("iampolicy: template of %q lacks account, region or ml_name", p.MLName)
	}
	arns := naming.ARNsFor(p.AccountID, p.Region)
	related := documentResolver(doc, arns)
	b := newBuilder()
	for _, r := range doc.Resources {
		if !r.Custom {
			continue
		}
		t := Target{Type: r.Type, Name: r.PhysicalName, Inputs: r.Inputs, ARNs: arns, Related: related, policy: true, product: p.MLName}
		if err := b.add(t); err != nil {
			return nil, err
		}
	}
	for _, l := range doc.Lookups {
		t := Target{Type: l.Token, Inputs: l.Args, ARNs: arns, Related: related, policy: true, product: p.MLName}
		if err := b.add(t); err != nil {
			return nil, err
		}
	}
	statements := b.statements()
	return append(statements, environmentRules(doc, arns, b.allActions())...), nil
}

// documentResolver finds a resource of doc by type and id (or ARN), with the
// ids the offline render gives them.
func documentResolver(doc *provtemplate.Document, arns naming.ARNs) func(typ, id string) map[string]any {
	byID := map[string]map[string]any{}
	for _, r := range doc.Resources {
		if !r.Custom {
			continue
		}
		id, attrs := render.Synthesize(arns, r.Type, r.LogicalName, r.PhysicalName, r.Inputs)
		byID[r.Type+"|"+id] = r.Inputs
		if arn := attrs["arn"]; arn != "" {
			byID[r.Type+"|"+arn] = r.Inputs
		}
	}
	return func(typ, id string) map[string]any { return byID[typ+"|"+id] }
}

// builder collects (purpose, condition, resource) → actions.
type builder struct {
	actions    map[entryKey]map[string]bool
	conditions map[string]policydoc.Condition
}

type entryKey struct{ sid, condition, resource string }

func newBuilder() *builder {
	return &builder{actions: map[entryKey]map[string]bool{}, conditions: map[string]policydoc.Condition{}}
}

func (b *builder) add(t Target) error {
	grants, err := permissionsOf(t.Type)
	if err != nil {
		return err
	}
	for _, g := range grants {
		resources := g.on(t)
		if len(resources) == 0 {
			continue
		}
		cond, err := g.condition(t)
		if err != nil {
			return fmt.Errorf("iampolicy: %w", err)
		}
		condKey := conditionKey(cond)
		b.conditions[condKey] = cond
		for _, res := range resources {
			if err := checkScoped(g, res, t); err != nil {
				return err
			}
			sid := g.sid
			if res == "*" && condKey == "" {
				sid = unscopableSid // one statement: the Unscopable table
			}
			k := entryKey{sid, condKey, res}
			if b.actions[k] == nil {
				b.actions[k] = map[string]bool{}
			}
			for _, a := range g.actions {
				b.actions[k][a] = true
			}
		}
	}
	return nil
}

// allActions is every action the policy allows.
func (b *builder) allActions() map[string]bool {
	out := map[string]bool{}
	for _, set := range b.actions {
		for a := range set {
			out[a] = true
		}
	}
	return out
}

// checkScoped refuses a wildcard action and an action on "*" that the
// Unscopable table does not document.
func checkScoped(g grant, resource string, t Target) error {
	for _, a := range g.actions {
		if strings.Contains(a, "*") {
			return fmt.Errorf("iampolicy: %s grants wildcard action %q", t.Type, a)
		}
		if g.newResource && !slices.Contains(NewResourceActions, a) {
			return fmt.Errorf("iampolicy: %s grants %s without the product tag but it is not in NewResourceActions", t.Type, a)
		}
		if resource == "*" && !isUnscopable(a) {
			return fmt.Errorf("iampolicy: %s grants %s on \"*\" but it is not in the Unscopable table", t.Type, a)
		}
	}
	return nil
}

func conditionKey(c policydoc.Condition) string {
	if len(c) == 0 {
		return ""
	}
	b, _ := json.Marshal(c) // maps marshal with sorted keys
	return string(b)
}

// statements groups exactly: first each resource's action set, then the
// resources sharing one action set, so no statement grants an action on a
// resource that did not need it.
func (b *builder) statements() []policydoc.Statement {
	type groupKey struct{ sid, condition, actions string }
	resources := map[groupKey][]string{}
	for k, set := range b.actions {
		g := groupKey{k.sid, k.condition, strings.Join(sortedKeys(set), ",")}
		resources[g] = append(resources[g], k.resource)
	}
	keys := make([]groupKey, 0, len(resources))
	for k := range resources {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.sid != c.sid {
			return a.sid < c.sid
		}
		if a.condition != c.condition {
			return a.condition < c.condition
		}
		return a.actions < c.actions
	})
	var out []policydoc.Statement
	used := map[string]int{}
	for _, k := range keys {
		res := resources[k]
		sort.Strings(res)
		used[k.sid]++
		sid := k.sid
		if n := used[k.sid]; n > 1 {
			sid = fmt.Sprintf("%s%d", k.sid, n)
		}
		out = append(out, policydoc.Statement{
			Sid: sid, Effect: "Allow", Action: strings.Split(k.actions, ","), Resource: res,
			Condition: b.conditions[k.condition],
		})
	}
	return out
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
