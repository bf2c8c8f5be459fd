// Package providercalls reads the independent model of the AWS API calls the
// engine's providers make (testdata/provider-calls.yaml, written from the
// Terraform AWS provider source and the CloudFormation handler permissions)
// and turns one provider operation on one resource into the IAM requests AWS
// evaluates. Tests and the AWS test double use it as the oracle the deployer
// policy is proven against; it never reads internal/iampolicy/table.go.
package providercalls

import (
	_ "embed"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/mlprov/mlprov/internal/tags"
)

//go:embed testdata/provider-calls.yaml
var modelYAML []byte

// Op is a provider operation.
type Op string

const (
	Configure Op = "configure"
	Create    Op = "create"
	Read      Op = "read"
	Update    Op = "update"
	Delete    Op = "delete"
	Invoke    Op = "invoke"
)

// Call is one AWS API call of the model.
type Call struct {
	API     string            `yaml:"api"`
	Action  string            `yaml:"action"`
	On      string            `yaml:"on"`
	Tags    string            `yaml:"tags"`
	Context map[string]string `yaml:"context"`
	When    string            `yaml:"when"`
	// Fresh: made right after create, before tag-based authorization of
	// the new resource is reliable, so the request carries no resource tags.
	Fresh bool   `yaml:"fresh"`
	Src   string `yaml:"src"`
}

// Entry is the model of one resource type or data source.
type Entry struct {
	TF   string `yaml:"tf"`
	Self string `yaml:"self"`
	// CreateListsRead: Create already holds the read after it.
	CreateListsRead bool              `yaml:"create_lists_read"`
	Configure       []Call            `yaml:"configure"`
	Create          []Call            `yaml:"create"`
	Read            []Call            `yaml:"read"`
	Update          map[string][]Call `yaml:"update"`
	Delete          []Call            `yaml:"delete"`
	Invoke          []Call            `yaml:"invoke"`
}

// Model is the whole file.
type Model struct {
	ARNs  map[string]string `yaml:"arns"`
	Types map[string]Entry  `yaml:"types"`
}

var loaded = sync.OnceValues(func() (*Model, error) { return Parse(modelYAML) })

// Load returns the embedded model.
func Load() (*Model, error) { return loaded() }

// Parse reads and checks a model.
func Parse(b []byte) (*Model, error) {
	var m Model
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("providercalls: %w", err)
	}
	for typ, e := range m.Types {
		for op, calls := range e.ops() {
			for i, c := range calls {
				if c.API == "" || c.Action == "" || c.Src == "" {
					return nil, fmt.Errorf("providercalls: %s %s call %d: api, action and src are required", typ, op, i+1)
				}
				if err := m.checkSelector(typ, e, c.On); err != nil {
					return nil, err
				}
			}
		}
	}
	return &m, nil
}

func (m *Model) checkSelector(typ string, e Entry, on string) error {
	if on == "*" {
		return nil
	}
	if on == "" || on == "self" {
		on = e.Self
	}
	kind, _, ok := strings.Cut(on, ":")
	if _, known := m.ARNs[kind]; !ok || !known {
		return fmt.Errorf("providercalls: %s: resource %q names no ARN kind of the model", typ, on)
	}
	return nil
}

// ops lists the entry's calls by operation name ("update.tags" per property).
func (e Entry) ops() map[string][]Call {
	out := map[string][]Call{"configure": e.Configure, "create": e.Create, "read": e.Read, "delete": e.Delete, "invoke": e.Invoke}
	for prop, calls := range e.Update {
		out["update."+prop] = calls
	}
	return out
}

// Resource is one resource (or invoke) as the model resolves it.
type Resource struct {
	Type string
	// Name is the physical name; ID the provider id ("" before create).
	Name, ID        string
	Inputs          map[string]any
	Account, Region string
	// Lookup returns the inputs of another resource by its ARN (nil when
	// unknown); a call on a referenced resource reads its tags from them.
	Lookup func(arn string) map[string]any
}

// Request is one authorization AWS makes for a call.
type Request struct {
	API, Action, Resource string
	Context               map[string][]string
	Src                   string
}

func (r Request) String() string { return r.Action + " on " + r.Resource + " (" + r.API + ")" }

// Requests lists what op on r makes AWS authorize. For Update, olds are
// the inputs before the change and the calls are those of the properties
// that differ (an unmodelled changed property is an error: the model must
// say what the provider calls). Create and Update end with the read the
// provider does after them.
func (m *Model) Requests(r Resource, op Op, olds map[string]any) ([]Request, error) {
	e, ok := m.Types[r.Type]
	if !ok {
		return nil, fmt.Errorf("providercalls: the model lists no calls for %s", r.Type)
	}
	var calls []Call
	switch op {
	case Configure:
		calls = e.Configure
	case Create:
		calls = append(calls, e.Create...)
		if !e.CreateListsRead {
			calls = append(calls, e.Read...)
		}
	case Read:
		calls = e.Read
	case Update:
		props, err := e.changed(r.Type, olds, r.Inputs)
		if err != nil {
			return nil, err
		}
		for _, p := range props {
			calls = append(calls, e.Update[p]...)
		}
		calls = append(calls, e.Read...)
	case Delete:
		calls = e.Delete
	case Invoke:
		calls = e.Invoke
	default:
		return nil, fmt.Errorf("providercalls: unknown operation %q", op)
	}
	return m.resolve(e, r, calls)
}

// resolve turns calls into requests, once each.
func (m *Model) resolve(e Entry, r Resource, calls []Call) ([]Request, error) {
	var out []Request
	seen := map[string]bool{}
	for _, c := range calls {
		if c.When != "" && isEmpty(walk(r.Inputs, c.When)) {
			continue
		}
		reqs, err := m.requests(e, r, c)
		if err != nil {
			return nil, err
		}
		for _, q := range reqs {
			key := fmt.Sprint(q.Action, q.Resource, q.Context)
			if !seen[key] {
				seen[key] = true
				out = append(out, q)
			}
		}
	}
	return out, nil
}

// AllUpdates returns every property update the model lists for typ, for
// tests that prove each one permitted.
func (m *Model) AllUpdates(typ string) []string {
	var out []string
	for p := range m.Types[typ].Update {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// UpdateRequests lists the requests of updating one property prop (a key
// of AllUpdates) and reading the resource back.
func (m *Model) UpdateRequests(r Resource, prop string) ([]Request, error) {
	e := m.Types[r.Type]
	return m.resolve(e, r, append(append([]Call(nil), e.Update[prop]...), e.Read...))
}

// changed lists the update entries the differing properties select.
func (e Entry) changed(typ string, olds, news map[string]any) ([]string, error) {
	keys := map[string]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	picked := map[string]bool{}
	for k := range keys {
		if strings.HasPrefix(k, "__") || reflect.DeepEqual(olds[k], news[k]) {
			continue
		}
		switch {
		case e.Update[k] != nil:
			picked[k] = true
		case e.Update["*"] != nil:
			picked["*"] = true
		default:
			if _, listed := e.Update[k]; !listed {
				return nil, fmt.Errorf("providercalls: the model lists no update calls for property %q of %s", k, typ)
			}
		}
	}
	out := make([]string, 0, len(picked))
	for k := range picked {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// requests resolves one call's resources and context.
func (m *Model) requests(e Entry, r Resource, c Call) ([]Request, error) {
	arns, err := m.resources(e, r, c.On)
	if err != nil {
		return nil, err
	}
	var out []Request
	for _, arn := range arns {
		service := arnService(arn)
		ctx := map[string][]string{}
		for k, v := range c.Context {
			if strings.HasPrefix(v, "input.") {
				v, _ = walk(r.Inputs, strings.TrimPrefix(v, "input.")).(string)
				if v == "" {
					continue
				}
			}
			ctx[strings.ReplaceAll(k, "{service}", service)] = []string{v}
		}
		switch {
		case c.Tags == "request":
			requested := tags.FromInputs(r.Inputs)
			keys := make([]string, 0, len(requested))
			for k, v := range requested {
				ctx["aws:RequestTag/"+k] = []string{v}
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if len(keys) > 0 {
				ctx["aws:TagKeys"] = keys
			}
		case c.Tags == "resource" && !c.Fresh:
			inputs := r.Inputs
			if c.On != "" && c.On != "self" && r.Lookup != nil {
				inputs = r.Lookup(arn)
			}
			for k, v := range tags.FromInputs(inputs) {
				ctx["aws:ResourceTag/"+k] = []string{v}
			}
		}
		out = append(out, Request{
			API: c.API, Action: strings.ReplaceAll(c.Action, "{service}", service),
			Resource: arn, Context: ctx, Src: c.Src,
		})
	}
	return out, nil
}

// resources are the ARNs a selector names for r.
func (m *Model) resources(e Entry, r Resource, on string) ([]string, error) {
	if on == "*" {
		return []string{"*"}, nil
	}
	if on == "" || on == "self" {
		on = e.Self
	}
	kind, path, _ := strings.Cut(on, ":")
	var values []string
	switch path {
	case "@name":
		values = []string{r.Name}
	case "@id":
		values = []string{r.ID}
		if r.ID == "" {
			values = []string{"*"} // not created yet: AWS authorizes the new resource's ARN pattern
		}
	default:
		values = strings_(walk(r.Inputs, path))
	}
	var out []string
	for _, v := range values {
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "arn:") {
			out = append(out, v)
			continue
		}
		format, ok := m.ARNs[kind]
		if !ok {
			return nil, fmt.Errorf("providercalls: %s: %q is no ARN and kind %q has no format", r.Type, v, kind)
		}
		if strings.Contains(format, "/{}") {
			v = strings.TrimPrefix(v, "/") // /ml/x → parameter/ml/x
		}
		out = append(out, strings.NewReplacer("{account}", r.Account, "{region}", r.Region, "{}", v).Replace(format))
	}
	return out, nil
}

// SelfARN is r's own ARN ("" for types without one).
func (m *Model) SelfARN(r Resource) string {
	e := m.Types[r.Type]
	if e.Self == "" {
		return ""
	}
	arns, _ := m.resources(e, r, e.Self)
	if len(arns) != 1 {
		return ""
	}
	return arns[0]
}

// walk follows a dotted path through maps and lists; lists yield a list of
// what each element yields.
func walk(v any, path string) any {
	if path == "" {
		return v
	}
	head, rest, _ := strings.Cut(path, ".")
	switch t := v.(type) {
	case map[string]any:
		return walk(t[head], rest)
	case []any:
		var out []any
		for _, e := range t {
			switch w := walk(e, path).(type) {
			case nil:
			case []any:
				out = append(out, w...)
			default:
				out = append(out, w)
			}
		}
		return out
	}
	return nil
}

func strings_(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []string:
		return t
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, strings_(e)...)
		}
		return out
	}
	return nil
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case bool:
		return !t
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// arnService is the service segment of an ARN ("" for "*").
func arnService(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}
