package iampolicy

import (
	"fmt"
	"sort"

	"github.com/mlprov/mlprov/internal/policydoc"
)

// scope says how a grant narrows its resources beyond their ARN.
type scope int

const (
	// byARN: the ARN itself names the product's resource.
	byARN scope = iota
	// byRequestTag: a resource being created whose id AWS generates; the
	// request must carry the product's mlprov:ml-name tag.
	byRequestTag
	// byResourceTag: an existing resource with a generated id; it must
	// carry the product's mlprov:ml-name tag.
	byResourceTag
)

// contextValue is a condition key with the one value a grant requires and a
// request of that grant carries (iam:PassedToService = codebuild.amazonaws.com).
type contextValue struct{ key, value string }

// grant is one row of the permission table: the actions a provider calls on
// some resources of a target during some operations.
type grant struct {
	// sid names the purpose; statements are grouped and named by it.
	sid     string
	ops     []Op
	actions []string
	// on returns the resource ARNs; none means the grant does not apply.
	on    func(t Target) []string
	scope scope
	// tagsOf returns the inputs whose tags a tag scope reads (default: the
	// target's own), e.g. the KMS key an alias points at.
	tagsOf func(t Target) map[string]any
	// passed is an extra condition (iam:PassedToService…).
	passed *contextValue
	// boundary conditions role creation on the role's permissions boundary
	// (iam:PermissionsBoundary) when the role has one.
	boundary bool
	// newResource marks a grant on a resource the product just created whose
	// tags cannot authorize yet: scoped by ARN to the account and region,
	// and listed in NewResourceActions.
	newResource bool
}

// Operation sets of the table.
var (
	always     = []Op{Create, Read, Update, Delete} // reads: providers read back after every write
	onCreate   = []Op{Create}
	onUpdate   = []Op{Update}
	onWrite    = []Op{Create, Update}
	onDelete   = []Op{Delete}
	onChange   = []Op{Create, Update, Delete}
	onInvoke   = []Op{Invoke}
	everywhere = func(Target) []string { return []string{"*"} }
)

func (g grant) appliesTo(op Op) bool {
	for _, o := range g.ops {
		if o == op {
			return true
		}
	}
	return false
}

func (g grant) tags(t Target) map[string]string {
	if g.tagsOf != nil {
		return Tags(g.tagsOf(t))
	}
	return Tags(t.Inputs)
}

// condition is the policy condition of g for target t (policy mode).
func (g grant) condition(t Target) (policydoc.Condition, error) {
	c := policydoc.Condition{}
	add := func(op, key, value string) {
		if c[op] == nil {
			c[op] = map[string][]string{}
		}
		c[op][key] = []string{value}
	}
	if key := g.tagKey(); key != "" {
		v := g.tags(t)[productTag]
		if v == "" {
			return nil, fmt.Errorf("%s %q: no %s tag to scope %s by", t.Type, t.Name, productTag, g.sid)
		}
		add("StringEquals", key, v)
	}
	if g.passed != nil {
		add("StringEquals", g.passed.key, g.passed.value)
	}
	if b := t.input("permissionsBoundary"); g.boundary && b != "" {
		add("StringEquals", "iam:PermissionsBoundary", b)
	}
	if len(c) == 0 {
		return nil, nil
	}
	return c, nil
}

// tagKey is the condition key of a tag scope, "" for byARN.
func (g grant) tagKey() string {
	switch g.scope {
	case byRequestTag:
		return "aws:RequestTag/" + productTag
	case byResourceTag:
		return "aws:ResourceTag/" + productTag
	}
	return ""
}

// permissionsOf returns the grants of a type token, or an error naming the
// token so a new resource type can never go unpermitted silently.
func permissionsOf(token string) ([]grant, error) {
	g, ok := table[token]
	if !ok {
		return nil, fmt.Errorf("iampolicy: no permissions known for %q: add it to the table in internal/iampolicy/table.go", token)
	}
	return g, nil
}

// Types lists every type and function token the table knows, sorted.
func Types() []string {
	out := make([]string, 0, len(table))
	for k := range table {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
