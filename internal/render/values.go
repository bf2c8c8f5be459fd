package render

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SecretValue stands in for a secret in the template: the document is written
// to disk and reviewed, so secrets never appear in it.
const SecretValue = "[secret]"

// UnknownValue marks a value not known offline.
const UnknownValue = "[unknown]"

// plainMap converts engine property values to JSON-like Go values.
func plainMap(pm resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(pm))
	for k, v := range pm {
		if v.IsNull() {
			continue
		}
		out[string(k)] = plain(v)
	}
	return out
}

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		f := v.NumberValue()
		if f == float64(int64(f)) {
			return int64(f)
		}
		return f
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plain(e)
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsSecret():
		return SecretValue
	case v.IsComputed():
		return UnknownValue
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return UnknownValue
		}
		if o.Secret {
			return SecretValue
		}
		return plain(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	}
	return nil
}
