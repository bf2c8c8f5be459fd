package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// YAML tags of the scalars the decoder accepts for each Go kind.
const (
	tagStr       = "!!str"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagBool      = "!!bool"
	tagNull      = "!!null"
	tagTimestamp = "!!timestamp"
)

// decoder fills a Config from a yaml.Node strictly: unknown keys, repeated
// keys, nulls and scalars of the wrong type are problems with a line, not
// silent conversions (yaml.v3 itself would turn account_id: 123456789012 into
// a string without complaint). It keeps the line of every field it sets.
type decoder struct {
	lines    map[string]int
	problems []Problem
}

func (d *decoder) add(path string, n *yaml.Node, msg, fix string) {
	d.problems = append(d.problems, Problem{Path: path, Line: n.Line, Message: msg, Fix: fix})
}

// value decodes n into v (settable); path names v for problems.
func (d *decoder) value(path string, n *yaml.Node, v reflect.Value) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == tagNull {
		d.add(path, n, "has no value", "give it a value or remove the key")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.structure(path, n, v)
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.value(path, n, elem.Elem())
		v.Set(elem)
	case reflect.String:
		if s, ok := d.str(path, n); ok {
			v.SetString(s)
		}
	case reflect.Int:
		d.integer(path, n, v)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != tagBool {
			d.add(path, n, "must be true or false, not "+describe(n), "")
			return
		}
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		v.SetBool(b)
	case reflect.Slice:
		d.list(path, n, v)
	case reflect.Map:
		d.stringMap(path, n, v)
	}
}

func (d *decoder) structure(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.add(path, n, "must be a mapping (key: value lines), not "+describe(n), "")
		return
	}
	fields := yamlFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		name := key.Value
		child := joinPath(path, name)
		if first, dup := seen[name]; dup {
			d.add(child, key, fmt.Sprintf("key %q is repeated (first at line %d)", name, first), "keep one of them")
			continue
		}
		seen[name] = key.Line
		index, known := fields[name]
		if !known {
			d.add(child, key, fmt.Sprintf("unknown key %q", name), unknownKeyFix(name, fields))
			continue
		}
		d.lines[child] = key.Line
		d.value(child, val, v.Field(index))
	}
}

func (d *decoder) str(path string, n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.add(path, n, "must be a string, not "+describe(n), "")
		return "", false
	}
	switch n.Tag {
	case tagStr, tagTimestamp: // an unquoted date is a date's text
		return n.Value, true
	case tagInt, tagFloat, tagBool:
		fix := fmt.Sprintf(`quote it: "%s"`, n.Value)
		if key := path[strings.LastIndexAny(path, ".]")+1:]; key != "" {
			fix = fmt.Sprintf(`quote it: %s: "%s"`, key, n.Value)
		}
		d.add(path, n, "must be a quoted string, not "+describe(n), fix)
		return "", false
	}
	d.add(path, n, "must be a string, not "+describe(n), "")
	return "", false
}

func (d *decoder) integer(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.ScalarNode || n.Tag != tagInt {
		d.add(path, n, "must be a whole number, not "+describe(n), "write the number without quotes")
		return
	}
	i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v.OverflowInt(i) {
		d.add(path, n, fmt.Sprintf("%s is not a whole number this field can hold", n.Value), "")
		return
	}
	v.SetInt(i)
}

func (d *decoder) list(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.add(path, n, "must be a list, not "+describe(n), "write it as [a, b] or as lines starting with -")
		return
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		child := fmt.Sprintf("%s[%d]", path, i)
		d.lines[child] = item.Line
		d.value(child, item, out.Index(i))
	}
	v.Set(out)
}

// stringMap decodes tags: any scalar key is taken as its text (tag keys like
// 4410 are legal), values must be strings.
func (d *decoder) stringMap(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.add(path, n, "must be a mapping (key: value lines), not "+describe(n), "")
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		child := mapKeyPath(path, key.Value)
		if key.Kind != yaml.ScalarNode {
			d.add(path, key, "keys must be plain text, not "+describe(key), "")
			continue
		}
		if first, dup := seen[key.Value]; dup {
			d.add(child, key, fmt.Sprintf("key %q is repeated (first at line %d)", key.Value, first), "keep one of them")
			continue
		}
		seen[key.Value] = key.Line
		d.lines[child] = key.Line
		s := reflect.New(v.Type().Elem()).Elem()
		d.value(child, val, s)
		out.SetMapIndex(reflect.ValueOf(key.Value), s)
	}
	v.Set(out)
}

// yamlFields maps each yaml key of a struct type to its field index.
func yamlFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}

func unknownKeyFix(name string, fields map[string]int) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if best := closest(name, keys); best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "allowed keys here: " + strings.Join(keys, ", ")
}

// closest returns the candidate within a small edit distance of s, or "".
func closest(s string, candidates []string) string {
	best, bestDist := "", 4
	if len(s) <= 4 {
		bestDist = 2
	}
	for _, c := range candidates {
		if dist := editDistance(strings.ToLower(s), c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// describe names what a node holds, for "must be X, not Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case tagInt, tagFloat:
		return "the number " + n.Value
	case tagBool:
		return "the boolean " + n.Value
	case tagStr:
		return fmt.Sprintf("the string %q", n.Value)
	case tagNull:
		return "null"
	}
	return "a " + strings.TrimPrefix(n.Tag, "!!") + " value"
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// mapKeyPath quotes keys that would make the path ambiguous.
func mapKeyPath(parent, key string) string {
	if plainKey(key) {
		return parent + "." + key
	}
	return fmt.Sprintf("%s[%q]", parent, key)
}

func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
