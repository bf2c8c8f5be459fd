// Package eventpattern evaluates Amazon EventBridge event patterns against
// events, as the EventBridge service does when it routes an event to a rule.
// It is part of the AWS test double: the double uses it to decide which
// rules a simulated event fires, so the rendered patterns are judged by AWS's
// matching semantics and not by the code that wrote them.
//
// Semantics follow AWS's documentation:
//   - Event patterns: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
//     (a pattern has the event's nested structure; every field it names must
//     match — AND; the values of a field are alternatives — OR; a field whose
//     event value is an array matches when any element matches).
//   - Comparison operators: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
//     (prefix, suffix, equals-ignore-case, wildcard, anything-but and its
//     prefix/suffix/equals-ignore-case/wildcard forms, numeric, exists, cidr,
//     $or; operators only work on leaf nodes).
//   - Pattern validity: PutRule answers InvalidEventPatternException
//     (API model events/2015-10-07 PutRule errors) for a pattern EventBridge
//     cannot parse, e.g. a match value that is not in an array.
package eventpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strings"
)

// Pattern is a parsed event pattern.
type Pattern struct {
	root node
}

// node is one object level of a pattern: field → what the field must hold,
// plus $or alternatives of the same level.
type node struct {
	fields []field
	or     []node
}

type field struct {
	name string
	// Exactly one of object and values is set.
	object *node
	values []matcher
}

// matcher judges the leaf values found at one path.
type matcher interface {
	// match is called with every leaf value at the path (none when the path is
	// absent from the event).
	match(values []any) bool
}

// Compile parses a pattern, rejecting what EventBridge rejects.
func Compile(pattern string) (*Pattern, error) {
	var raw any
	if err := decode([]byte(pattern), &raw); err != nil {
		return nil, fmt.Errorf("event pattern is not valid JSON: %w", err)
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("event pattern must be a JSON object")
	}
	n, err := compileNode(obj, "")
	if err != nil {
		return nil, err
	}
	return &Pattern{root: n}, nil
}

// Match is Compile then Matches.
func Match(pattern, event string) (bool, error) {
	p, err := Compile(pattern)
	if err != nil {
		return false, err
	}
	return p.Matches(event)
}

// Matches reports whether the event (a JSON object) matches.
func (p *Pattern) Matches(event string) (bool, error) {
	var raw any
	if err := decode([]byte(event), &raw); err != nil {
		return false, fmt.Errorf("event is not valid JSON: %w", err)
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return false, fmt.Errorf("event must be a JSON object")
	}
	return p.root.matches([]any{obj}), nil
}

// decode keeps numbers exact (json.Number) so 3 and 3.0 compare as numbers.
func decode(b []byte, into *any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(into)
}

func compileNode(obj map[string]any, path string) (node, error) {
	var n node
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names) // stable error messages
	for _, name := range names {
		v := obj[name]
		at := join(path, name)
		if name == "$or" {
			alts, ok := v.([]any)
			if !ok || len(alts) < 2 {
				return node{}, fmt.Errorf("%s: $or takes an array of at least two patterns", at)
			}
			for i, alt := range alts {
				o, ok := alt.(map[string]any)
				if !ok {
					return node{}, fmt.Errorf("%s[%d]: each $or alternative is a pattern object", at, i)
				}
				sub, err := compileNode(o, path)
				if err != nil {
					return node{}, err
				}
				n.or = append(n.or, sub)
			}
			continue
		}
		switch t := v.(type) {
		case map[string]any:
			sub, err := compileNode(t, at)
			if err != nil {
				return node{}, err
			}
			n.fields = append(n.fields, field{name: name, object: &sub})
		case []any:
			if len(t) == 0 {
				return node{}, fmt.Errorf("%s: empty arrays are not allowed as match values", at)
			}
			ms := make([]matcher, 0, len(t))
			for _, e := range t {
				m, err := compileMatcher(e, at)
				if err != nil {
					return node{}, err
				}
				ms = append(ms, m)
			}
			n.fields = append(n.fields, field{name: name, values: ms})
		default:
			return node{}, fmt.Errorf("%s: match value must be in an array, got %v", at, v)
		}
	}
	return n, nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// matches: every field matches, and (when there are $or alternatives) at
// least one alternative matches. objects are the event objects at this level
// (several when an array of objects was crossed).
func (n node) matches(objects []any) bool {
	for _, f := range n.fields {
		children := childValues(objects, f.name)
		if f.object != nil {
			if !f.object.matches(children) {
				return false
			}
			continue
		}
		leaves := leafValues(children)
		ok := false
		for _, m := range f.values {
			if m.match(leaves) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(n.or) == 0 {
		return true
	}
	for _, alt := range n.or {
		if alt.matches(objects) {
			return true
		}
	}
	return false
}

// childValues is the value of field name in each object, arrays flattened.
func childValues(objects []any, name string) []any {
	var out []any
	for _, o := range objects {
		m, ok := o.(map[string]any)
		if !ok {
			continue
		}
		v, present := m[name]
		if !present {
			continue
		}
		out = append(out, flatten(v)...)
	}
	return out
}

func flatten(v any) []any {
	arr, ok := v.([]any)
	if !ok {
		return []any{v}
	}
	var out []any
	for _, e := range arr {
		out = append(out, flatten(e)...)
	}
	return out
}

// leafValues drops objects: operators only work on leaf nodes.
func leafValues(values []any) []any {
	out := values[:0:0]
	for _, v := range values {
		if _, isObject := v.(map[string]any); !isObject {
			out = append(out, v)
		}
	}
	return out
}

// any reports whether some value satisfies ok.
func anyValue(values []any, ok func(any) bool) bool {
	for _, v := range values {
		if ok(v) {
			return true
		}
	}
	return false
}

// exact matches a literal string, number, boolean or null.
type exact struct{ want any }

func (m exact) match(values []any) bool {
	return anyValue(values, func(v any) bool { return sameLiteral(m.want, v) })
}

func sameLiteral(want, got any) bool {
	switch w := want.(type) {
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		wf, err1 := w.Float64()
		gf, err2 := g.Float64()
		return err1 == nil && err2 == nil && wf == gf
	default:
		return want == got // string, bool or nil
	}
}

// stringTest matches string values only.
type stringTest func(s string) bool

func (t stringTest) match(values []any) bool {
	return anyValue(values, func(v any) bool {
		s, ok := v.(string)
		return ok && t(s)
	})
}

// anythingBut matches a present value that none of the excluded tests accept.
type anythingBut struct{ excluded func(any) bool }

func (m anythingBut) match(values []any) bool {
	return anyValue(values, func(v any) bool { return !m.excluded(v) })
}

// exists matches a present (or, false, an absent) leaf.
type exists bool

func (m exists) match(values []any) bool { return (len(values) > 0) == bool(m) }

// numeric matches numbers within every bound.
type numeric []bound

type bound struct {
	op    string
	limit float64
}

func (m numeric) match(values []any) bool {
	return anyValue(values, func(v any) bool {
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		x, err := n.Float64()
		if err != nil {
			return false
		}
		for _, b := range m {
			if !compare(x, b.op, b.limit) {
				return false
			}
		}
		return true
	})
}

func compare(x float64, op string, limit float64) bool {
	switch op {
	case "=":
		return x == limit
	case "<":
		return x < limit
	case "<=":
		return x <= limit
	case ">":
		return x > limit
	case ">=":
		return x >= limit
	}
	return false
}

func compileMatcher(e any, at string) (matcher, error) {
	switch t := e.(type) {
	case string, json.Number, bool, nil:
		return exact{t}, nil
	case map[string]any:
		if len(t) != 1 {
			return nil, fmt.Errorf("%s: a filter object has exactly one operator, got %d", at, len(t))
		}
		for op, arg := range t {
			return compileOperator(op, arg, at)
		}
	}
	return nil, fmt.Errorf("%s: match value must be a string, number, true, false, null or a filter object, got %v", at, e)
}

func compileOperator(op string, arg any, at string) (matcher, error) {
	switch op {
	case "prefix", "suffix", "equals-ignore-case", "wildcard":
		test, err := stringOperator(op, arg, at)
		if err != nil {
			return nil, err
		}
		return stringTest(test), nil
	case "anything-but":
		return compileAnythingBut(arg, at)
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return nil, fmt.Errorf("%s: exists takes true or false", at)
		}
		return exists(b), nil
	case "numeric":
		return compileNumeric(arg, at)
	case "cidr":
		s, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("%s: cidr takes a string", at)
		}
		prefix, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%s: cidr %q is not a CIDR block: %v", at, s, err)
		}
		return stringTest(func(v string) bool {
			addr, err := netip.ParseAddr(v)
			return err == nil && prefix.Contains(addr)
		}), nil
	}
	return nil, fmt.Errorf("%s: unrecognized match type %s", at, op)
}

// stringOperator builds prefix, suffix, equals-ignore-case and wildcard.
// prefix and suffix also take {"equals-ignore-case": s}.
func stringOperator(op string, arg any, at string) (func(string) bool, error) {
	fold := false
	if m, ok := arg.(map[string]any); ok && (op == "prefix" || op == "suffix") {
		v, ok := m["equals-ignore-case"]
		if len(m) != 1 || !ok {
			return nil, fmt.Errorf("%s: %s takes a string or {\"equals-ignore-case\": string}", at, op)
		}
		arg, fold = v, true
	}
	s, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("%s: %s takes a string", at, op)
	}
	norm := func(v string) string {
		if fold {
			return strings.ToLower(v)
		}
		return v
	}
	switch op {
	case "prefix":
		return func(v string) bool { return strings.HasPrefix(norm(v), norm(s)) }, nil
	case "suffix":
		return func(v string) bool { return strings.HasSuffix(norm(v), norm(s)) }, nil
	case "equals-ignore-case":
		return func(v string) bool { return strings.EqualFold(v, s) }, nil
	}
	if strings.Contains(s, "**") {
		return nil, fmt.Errorf("%s: wildcard %q has consecutive wildcard characters", at, s)
	}
	tokens, err := wildcardTokens(s, at)
	if err != nil {
		return nil, err
	}
	return func(v string) bool { return wildcardMatch(tokens, v) }, nil
}

// compileAnythingBut: a literal, a list of literals (all strings or all
// numbers), or one of prefix / suffix / equals-ignore-case / wildcard (the
// last two also with a list).
func compileAnythingBut(arg any, at string) (matcher, error) {
	at += " anything-but"
	switch t := arg.(type) {
	case string, json.Number:
		return anythingBut{func(v any) bool { return sameLiteral(t, v) }}, nil
	case []any:
		if len(t) == 0 {
			return nil, fmt.Errorf("%s: empty list", at)
		}
		_, firstIsString := t[0].(string)
		for _, e := range t {
			_, isString := e.(string)
			_, isNumber := e.(json.Number)
			if (!isString && !isNumber) || isString != firstIsString {
				return nil, fmt.Errorf("%s: a list holds only strings or only numbers", at)
			}
		}
		return anythingBut{func(v any) bool {
			for _, e := range t {
				if sameLiteral(e, v) {
					return true
				}
			}
			return false
		}}, nil
	case map[string]any:
		if len(t) != 1 {
			return nil, fmt.Errorf("%s: takes one operator", at)
		}
		for op, inner := range t {
			if op != "prefix" && op != "suffix" && op != "equals-ignore-case" && op != "wildcard" {
				return nil, fmt.Errorf("%s: unsupported operator %s", at, op)
			}
			args := []any{inner}
			if list, ok := inner.([]any); ok && (op == "equals-ignore-case" || op == "wildcard") {
				args = list
			}
			var tests []func(string) bool
			for _, a := range args {
				if _, ok := a.(string); !ok {
					return nil, fmt.Errorf("%s: %s takes a string", at, op)
				}
				test, err := stringOperator(op, a, at)
				if err != nil {
					return nil, err
				}
				tests = append(tests, test)
			}
			return anythingBut{func(v any) bool {
				s, ok := v.(string)
				if !ok {
					return false // a non-string is not excluded by a string test
				}
				for _, test := range tests {
					if test(s) {
						return true
					}
				}
				return false
			}}, nil
		}
	}
	return nil, fmt.Errorf("%s: takes a string, a number, a list or a filter object", at)
}

func compileNumeric(arg any, at string) (matcher, error) {
	list, ok := arg.([]any)
	if !ok || len(list) == 0 || len(list)%2 != 0 || len(list) > 4 {
		return nil, fmt.Errorf("%s: numeric takes [op, number] or [op, number, op, number]", at)
	}
	var m numeric
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		if !ok || !validNumericOp(op) {
			return nil, fmt.Errorf("%s: %v is not a numeric operator (=, <, <=, >, >=)", at, list[i])
		}
		n, ok := list[i+1].(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s: %v is not a number", at, list[i+1])
		}
		f, err := n.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s: %v is out of range", at, n)
		}
		m = append(m, bound{op, f})
	}
	if len(m) == 2 {
		// A range is a lower bound then an upper bound.
		if !strings.HasPrefix(m[0].op, ">") || !strings.HasPrefix(m[1].op, "<") || m[0].limit >= m[1].limit {
			return nil, fmt.Errorf("%s: a numeric range is [>|>=, low, <|<=, high] with low < high", at)
		}
	}
	return m, nil
}

func validNumericOp(op string) bool {
	switch op {
	case "=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// wildcardTokens splits a wildcard pattern into literal runs and stars;
// "\*" is a literal star and "\\" a literal backslash.
func wildcardTokens(s, at string) ([]string, error) {
	var tokens []string
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return nil, fmt.Errorf("%s: wildcard %q has an invalid escape", at, s)
			}
			lit.WriteByte(s[i+1])
			i++
		case c == '*':
			tokens = append(tokens, lit.String(), "*")
			lit.Reset()
		default:
			lit.WriteByte(c)
		}
	}
	return append(tokens, lit.String()), nil
}

// wildcardMatch: tokens alternate literal, "*", literal, … (literals may be empty).
func wildcardMatch(tokens []string, v string) bool {
	first := tokens[0]
	if !strings.HasPrefix(v, first) {
		return false
	}
	rest := tokens[1:]
	if len(rest) == 0 {
		return v == first
	}
	v = v[len(first):]
	// rest is "*", lit, "*", lit, …; the last literal anchors the end.
	lits := make([]string, 0, len(rest)/2)
	for i := 1; i < len(rest); i += 2 {
		lits = append(lits, rest[i])
	}
	last := lits[len(lits)-1]
	middle := lits[:len(lits)-1]
	for _, l := range middle {
		i := strings.Index(v, l)
		if i < 0 {
			return false
		}
		v = v[i+len(l):]
	}
	return strings.HasSuffix(v, last)
}
