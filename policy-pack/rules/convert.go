package rules

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Markers for values a rule cannot read: written into templates and reports
// in their place.
const (
	// SecretMarker stands for a secret: templates and reports are written to
	// disk and reviewed, so a secret's plaintext never reaches them, and the
	// engine judges a secret exactly as the offline gate does.
	SecretMarker = "[secret]"
	// AssetMarker stands for an asset or archive (file contents).
	AssetMarker = "[asset]"
)

// FromPropertyMap converts engine property values (the engine's Analyze and
// AnalyzeStack requests, and the offline render's mock registrations) into
// the JSON-like values rules judge. It is the one conversion both gates use:
//
//   - an unknown (computed) value, or an unknown output, is Unknown;
//   - a secret, or a secret output, is SecretMarker;
//   - a resource reference is its ID when known, else its URN;
//   - numbers are float64 (as after a JSON round trip); nulls are dropped.
func FromPropertyMap(pm resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(pm))
	for k, v := range pm {
		if v.IsNull() {
			continue
		}
		out[string(k)] = FromPropertyValue(v)
	}
	return out
}

// FromPropertyValue converts one value; see FromPropertyMap.
func FromPropertyValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsComputed():
		return Unknown
	case v.IsSecret():
		return SecretMarker
	case v.IsOutput():
		o := v.OutputValue()
		switch {
		case o.Secret:
			return SecretMarker
		case !o.Known:
			return Unknown
		}
		return FromPropertyValue(o.Element)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if ref.ID.IsString() && ref.ID.StringValue() != "" {
			return ref.ID.StringValue()
		}
		return string(ref.URN)
	case v.IsAsset(), v.IsArchive():
		return AssetMarker
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = FromPropertyValue(e)
		}
		return out
	case v.IsObject():
		return FromPropertyMap(v.ObjectValue())
	}
	return nil
}
