// Package filterpattern evaluates CloudWatch Logs filter patterns against log
// events, as a metric filter does when it decides whether an event counts.
// It is part of the AWS test double: the compliance metric filters the
// program renders are judged by CloudWatch's documented semantics, against
// CloudTrail-shaped events.
//
// Syntax and semantics: "Filter pattern syntax for metric filters, subscription
// filters, and filter log events"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
//   - JSON patterns { SELECTOR OP VALUE } with $.a.b[0] selectors, = and != on
//     strings (quoted, or bare when they hold no spaces or operators; * is a
//     wildcard), = != < > <= >= on numbers, IS NULL, IS TRUE, IS FALSE,
//     NOT EXISTS, && and || (&& binds tighter) and parentheses;
//   - term patterns for unstructured events: every term must occur, ?term
//     terms are alternatives, -term excludes, "quoted phrases" are one term;
//     an empty pattern matches every event.
//
// A comparison on a selector the event does not have is false (only NOT
// EXISTS matches a missing property).
package filterpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Pattern is a parsed filter pattern.
type Pattern struct {
	json  expr // set for { … } patterns
	terms *termPattern
}

// Compile parses a filter pattern.
func Compile(pattern string) (*Pattern, error) {
	p := strings.TrimSpace(pattern)
	if strings.HasPrefix(p, "{") {
		if !strings.HasSuffix(p, "}") {
			return nil, fmt.Errorf("filter pattern %q: a JSON pattern ends with }", pattern)
		}
		toks, err := tokenize(p[1 : len(p)-1])
		if err != nil {
			return nil, fmt.Errorf("filter pattern %q: %w", pattern, err)
		}
		ps := &parser{toks: toks}
		e, err := ps.or()
		if err == nil && ps.pos < len(ps.toks) {
			err = fmt.Errorf("unexpected %q", ps.toks[ps.pos].text)
		}
		if err != nil {
			return nil, fmt.Errorf("filter pattern %q: %w", pattern, err)
		}
		return &Pattern{json: e}, nil
	}
	t, err := parseTerms(p)
	if err != nil {
		return nil, fmt.Errorf("filter pattern %q: %w", pattern, err)
	}
	return &Pattern{terms: t}, nil
}

// Matches reports whether the log event (one message) matches.
func (p *Pattern) Matches(message string) bool {
	if p.terms != nil {
		return p.terms.matches(message)
	}
	d := json.NewDecoder(bytes.NewReader([]byte(message)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return false // a JSON pattern never matches a non-JSON event
	}
	return p.json.eval(v)
}

// Match is Compile then Matches.
func Match(pattern, message string) (bool, error) {
	p, err := Compile(pattern)
	if err != nil {
		return false, err
	}
	return p.Matches(message), nil
}

// --- JSON patterns ------------------------------------------------------

type expr interface{ eval(event any) bool }

type and struct{ l, r expr }
type or struct{ l, r expr }

func (e and) eval(v any) bool { return e.l.eval(v) && e.r.eval(v) }
func (e or) eval(v any) bool  { return e.l.eval(v) || e.r.eval(v) }

// step is one selector step: a property name or an array index.
type step struct {
	name  string
	index int // -1 for a name
}

type comparison struct {
	path  []step
	op    string // = != < > <= >= or the keyword tests "IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"
	value string
	// quoted values compare as strings only.
	quoted bool
}

func (c comparison) eval(event any) bool {
	v, ok := resolve(event, c.path)
	switch c.op {
	case "NOT EXISTS":
		return !ok
	case "IS NULL":
		return ok && v == nil
	case "IS TRUE":
		return ok && v == true
	case "IS FALSE":
		return ok && v == false
	}
	if !ok {
		return false
	}
	if n, isNum := v.(json.Number); isNum && !c.quoted {
		if want, err := strconv.ParseFloat(c.value, 64); err == nil {
			got, err := n.Float64()
			return err == nil && compareNumbers(got, c.op, want)
		}
	}
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	case bool:
		s = strconv.FormatBool(t)
	default:
		return false // objects, arrays and null compare to no string
	}
	switch c.op {
	case "=":
		return wildcard(c.value, s)
	case "!=":
		return !wildcard(c.value, s)
	}
	return false // < > <= >= need numbers
}

func compareNumbers(x float64, op string, y float64) bool {
	switch op {
	case "=":
		return x == y
	case "!=":
		return x != y
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	case ">=":
		return x >= y
	}
	return false
}

func resolve(v any, path []step) (any, bool) {
	for _, s := range path {
		if s.index >= 0 {
			arr, ok := v.([]any)
			if !ok || s.index >= len(arr) {
				return nil, false
			}
			v = arr[s.index]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[s.name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// wildcard matches s against a value where * stands for any run of characters.
func wildcard(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

type token struct {
	kind string // "(", ")", "&&", "||", "op", "sel", "value", "quoted", "word"
	text string
}

func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case unicode.IsSpace(rune(c)):
			i++
		case c == '(' || c == ')':
			out = append(out, token{string(c), string(c)})
			i++
		case strings.HasPrefix(s[i:], "&&"), strings.HasPrefix(s[i:], "||"):
			out = append(out, token{s[i : i+2], s[i : i+2]})
			i += 2
		case strings.HasPrefix(s[i:], "!="), strings.HasPrefix(s[i:], "<="), strings.HasPrefix(s[i:], ">="):
			out = append(out, token{"op", s[i : i+2]})
			i += 2
		case c == '=' || c == '<' || c == '>':
			out = append(out, token{"op", string(c)})
			i++
		case c == '"':
			j := i + 1
			var b strings.Builder
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, token{"quoted", b.String()})
			i = j + 1
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && !strings.ContainsRune("()=!<>&|\"", rune(s[j])) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q", s[i:i+1])
			}
			word := s[i:j]
			kind := "word"
			if strings.HasPrefix(word, "$") {
				kind = "sel"
			}
			out = append(out, token{kind, word})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() *token {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

func (p *parser) or() (expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t != nil && t.kind == "||"; t = p.peek() {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = or{l, r}
	}
	return l, nil
}

func (p *parser) and() (expr, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t != nil && t.kind == "&&"; t = p.peek() {
		p.pos++
		r, err := p.primary()
		if err != nil {
			return nil, err
		}
		l = and{l, r}
	}
	return l, nil
}

func (p *parser) primary() (expr, error) {
	t := p.peek()
	if t == nil {
		return nil, fmt.Errorf("pattern ends where a comparison was expected")
	}
	if t.kind == "(" {
		p.pos++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.pos++
		return e, nil
	}
	if t.kind != "sel" {
		return nil, fmt.Errorf("expected a $. selector, got %q", t.text)
	}
	path, err := parseSelector(t.text)
	if err != nil {
		return nil, err
	}
	p.pos++
	op := p.peek()
	if op == nil {
		return nil, fmt.Errorf("selector %s has no comparison", t.text)
	}
	if op.kind == "word" {
		// Keyword tests: IS NULL / IS TRUE / IS FALSE / NOT EXISTS.
		if p.pos+1 >= len(p.toks) {
			return nil, fmt.Errorf("incomplete test after %s", t.text)
		}
		kw := strings.ToUpper(op.text) + " " + strings.ToUpper(p.toks[p.pos+1].text)
		switch kw {
		case "IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS":
			p.pos += 2
			return comparison{path: path, op: kw}, nil
		}
		return nil, fmt.Errorf("unknown test %q", kw)
	}
	if op.kind != "op" {
		return nil, fmt.Errorf("expected an operator after %s, got %q", t.text, op.text)
	}
	p.pos++
	v := p.peek()
	if v == nil || (v.kind != "word" && v.kind != "quoted") {
		return nil, fmt.Errorf("expected a value after %s %s", t.text, op.text)
	}
	p.pos++
	return comparison{path: path, op: op.text, value: v.text, quoted: v.kind == "quoted"}, nil
}

// parseSelector reads $.a.b[0][1].c.
func parseSelector(s string) ([]step, error) {
	if s == "$" {
		return nil, nil
	}
	if !strings.HasPrefix(s, "$.") && !strings.HasPrefix(s, "$[") {
		return nil, fmt.Errorf("selector %q does not start with $.", s)
	}
	var out []step
	rest := s[1:]
	for rest != "" {
		switch rest[0] {
		case '.':
			j := strings.IndexAny(rest[1:], ".[")
			name := rest[1:]
			if j >= 0 {
				name = rest[1 : j+1]
			}
			if name == "" {
				return nil, fmt.Errorf("selector %q has an empty property", s)
			}
			out = append(out, step{name: name, index: -1})
			rest = rest[1+len(name):]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("selector %q has an unclosed [", s)
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("selector %q: array index %q is not a number", s, rest[1:end])
			}
			out = append(out, step{index: n})
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("selector %q is malformed", s)
		}
	}
	return out, nil
}

// --- Term patterns ------------------------------------------------------

type termPattern struct {
	all, anyOf, none []string
}

func parseTerms(p string) (*termPattern, error) {
	t := &termPattern{}
	for p = strings.TrimSpace(p); p != ""; p = strings.TrimSpace(p) {
		prefix := byte(0)
		if p[0] == '?' || p[0] == '-' {
			prefix, p = p[0], p[1:]
		}
		var term string
		if strings.HasPrefix(p, `"`) {
			end := strings.IndexByte(p[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quoted term")
			}
			term, p = p[1:end+1], p[end+2:]
		} else {
			end := strings.IndexFunc(p, unicode.IsSpace)
			if end < 0 {
				end = len(p)
			}
			term, p = p[:end], p[end:]
		}
		switch prefix {
		case '?':
			t.anyOf = append(t.anyOf, term)
		case '-':
			t.none = append(t.none, term)
		default:
			t.all = append(t.all, term)
		}
	}
	return t, nil
}

func (t *termPattern) matches(msg string) bool {
	for _, term := range t.all {
		if !strings.Contains(msg, term) {
			return false
		}
	}
	for _, term := range t.none {
		if strings.Contains(msg, term) {
			return false
		}
	}
	if len(t.anyOf) == 0 {
		return true
	}
	for _, term := range t.anyOf {
		if strings.Contains(msg, term) {
			return true
		}
	}
	return false
}

// Extract reads the number at selector ($.a.b[0]) of a JSON event, as a
// metric filter does for a metric value taken from the matched event.
func Extract(selector, message string) (float64, bool) {
	path, err := parseSelector(selector)
	if err != nil {
		return 0, false
	}
	d := json.NewDecoder(bytes.NewReader([]byte(message)))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return 0, false
	}
	got, ok := resolve(v, path)
	if !ok {
		return 0, false
	}
	var n json.Number
	switch t := got.(type) {
	case json.Number:
		n = t
	case string:
		n = json.Number(t)
	default:
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}
