package rules

import (
	"encoding/json"
	"strconv"
	"strings"
)

// UnknownValue is the type of Unknown.
type UnknownValue struct{}

// Unknown stands for a value the engine only knows after apply (a computed
// output during preview). Any rule that reads it answers "cannot judge yet".
var Unknown = UnknownValue{}

// UnknownMarker is how Unknown is written in JSON (fixtures, templates). It is
// the engine's own wire marker for an unknown string.
const UnknownMarker = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

// MarshalJSON writes the marker.
func (UnknownValue) MarshalJSON() ([]byte, error) { return json.Marshal(UnknownMarker) }

// IsUnknown reports whether v is the Unknown sentinel.
func IsUnknown(v any) bool {
	_, ok := v.(UnknownValue)
	return ok
}

// ContainsUnknown reports whether v or anything nested in it is Unknown.
func ContainsUnknown(v any) bool {
	switch t := v.(type) {
	case UnknownValue:
		return true
	case map[string]any:
		for _, e := range t {
			if ContainsUnknown(e) {
				return true
			}
		}
	case Props:
		return ContainsUnknown(map[string]any(t))
	case []any:
		for _, e := range t {
			if ContainsUnknown(e) {
				return true
			}
		}
	}
	return false
}

// Props are a resource's properties as the engine sees them (camelCase).
type Props map[string]any

// NewProps deep-copies decoded JSON-like data, turning UnknownMarker strings
// into Unknown.
func NewProps(m map[string]any) Props {
	out := make(Props, len(m))
	for k, v := range m {
		out[k] = normalize(v)
	}
	return out
}

func normalize(v any) any {
	switch t := v.(type) {
	case string:
		if t == UnknownMarker {
			return Unknown
		}
		return t
	case map[string]any:
		return map[string]any(NewProps(t))
	case Props:
		return map[string]any(NewProps(t))
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

// UnmarshalJSON decodes properties, turning the unknown marker into Unknown.
func (p *Props) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*p = NewProps(m)
	return nil
}

// Value is one property looked up by path: absent, unknown, or a value.
type Value struct {
	raw     any
	present bool
	unknown bool
}

// Get looks up a dotted path ("rule.applyServerSideEncryptionByDefault.sseAlgorithm");
// a numeric segment indexes a list. Crossing an Unknown makes the value unknown.
func (p Props) Get(path string) Value {
	var cur any = map[string]any(p)
	for _, seg := range strings.Split(path, ".") {
		if IsUnknown(cur) {
			return Value{unknown: true, present: true}
		}
		switch t := cur.(type) {
		case map[string]any:
			v, ok := t[seg]
			if !ok {
				return Value{}
			}
			cur = v
		case Props:
			v, ok := t[seg]
			if !ok {
				return Value{}
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(t) {
				return Value{}
			}
			cur = t[i]
		default:
			return Value{}
		}
	}
	if IsUnknown(cur) {
		return Value{unknown: true, present: true}
	}
	return Value{raw: cur, present: cur != nil}
}

// Unknown reports whether the value is still computed.
func (v Value) Unknown() bool { return v.unknown }

// Present reports whether the property is set (known or not).
func (v Value) Present() bool { return v.present }

// Raw is the underlying value (nil when absent or unknown).
func (v Value) Raw() any { return v.raw }

// String is the value as a string ("" when absent, unknown or not a string).
func (v Value) String() string {
	switch t := v.raw.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// Bool reports whether the value is true (a bool or the string "true").
func (v Value) Bool() bool {
	switch t := v.raw.(type) {
	case bool:
		return t
	case string:
		b, _ := strconv.ParseBool(t)
		return b
	}
	return false
}

// Int is the value as an integer, and whether it is one.
func (v Value) Int() (int, bool) {
	switch t := v.raw.(type) {
	case float64:
		return int(t), true
	case int:
		return t, true
	case int64:
		return int(t), true
	case json.Number:
		i, err := t.Int64()
		return int(i), err == nil
	case string:
		i, err := strconv.Atoi(t)
		return i, err == nil
	}
	return 0, false
}

// List is the value's elements; a single non-list value is a one-element
// list (many AWS fields accept both).
func (v Value) List() []Value {
	switch t := v.raw.(type) {
	case nil:
		return nil
	case []any:
		out := make([]Value, len(t))
		for i, e := range t {
			out[i] = Value{raw: e, present: e != nil, unknown: IsUnknown(e)}
			if out[i].unknown {
				out[i].raw = nil
			}
		}
		return out
	}
	return []Value{v}
}

// Strings is the value's elements as strings (unknown elements skipped;
// check Unknown or ContainsUnknown first when that matters).
func (v Value) Strings() []string {
	var out []string
	for _, e := range v.List() {
		if s := e.String(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Object is the value as nested properties (nil when not an object).
func (v Value) Object() Props {
	switch t := v.raw.(type) {
	case map[string]any:
		return Props(t)
	case Props:
		return t
	}
	return nil
}

// ContainsUnknown reports whether the value is or holds an Unknown.
func (v Value) ContainsUnknown() bool { return v.unknown || ContainsUnknown(v.raw) }

// String is the string at path ("" when absent or unknown).
func (p Props) String(path string) string { return p.Get(path).String() }

// Bool reports whether the property at path is true.
func (p Props) Bool(path string) bool { return p.Get(path).Bool() }

// Int is the integer at path and whether it is one.
func (p Props) Int(path string) (int, bool) { return p.Get(path).Int() }

// List is the list at path.
func (p Props) List(path string) []Value { return p.Get(path).List() }

// Strings is the list of strings at path.
func (p Props) Strings(path string) []string { return p.Get(path).Strings() }

// Has reports whether path is set (known or unknown).
func (p Props) Has(path string) bool { return p.Get(path).Present() }

// UnknownAt returns the first of paths whose value is (or holds) Unknown.
func (p Props) UnknownAt(paths ...string) (string, bool) {
	for _, path := range paths {
		if p.Get(path).ContainsUnknown() {
			return path, true
		}
	}
	return "", false
}
