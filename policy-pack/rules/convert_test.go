package rules

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestFromPropertyValue(t *testing.T) {
	ref := resource.MakeCustomResourceReference("urn:pulumi:dev::p::aws:kms/key:Key::key", "key-1234", "")
	unresolvedRef := resource.MakeCustomResourceReference("urn:pulumi:dev::p::aws:kms/key:Key::key", "", "")
	for name, tc := range map[string]struct {
		in   resource.PropertyValue
		want any
	}{
		"computed":        {resource.MakeComputed(resource.NewStringProperty("")), Unknown},
		"unknown output":  {resource.NewOutputProperty(resource.Output{Known: false}), Unknown},
		"secret":          {resource.MakeSecret(resource.NewStringProperty("hunter2")), SecretMarker},
		"secret output":   {resource.NewOutputProperty(resource.Output{Element: resource.NewStringProperty("hunter2"), Known: true, Secret: true}), SecretMarker},
		"known output":    {resource.NewOutputProperty(resource.Output{Element: resource.NewNumberProperty(7), Known: true}), 7.0},
		"reference":       {ref, "key-1234"},
		"reference no ID": {unresolvedRef, "urn:pulumi:dev::p::aws:kms/key:Key::key"},
		"asset":           {resource.NewAssetProperty(&resource.Asset{Text: "x"}), AssetMarker},
		"nested": {resource.NewObjectProperty(resource.PropertyMap{
			"a": resource.NewArrayProperty([]resource.PropertyValue{resource.NewBoolProperty(true), resource.MakeComputed(resource.NewStringProperty(""))}),
			"n": resource.NewNullProperty(),
		}), map[string]any{"a": []any{true, Unknown}}},
	} {
		if got := FromPropertyValue(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", name, got, tc.want)
		}
	}
}

// The offline gate judges the template read back from disk; the engine judges
// the converted values directly. The JSON round trip must not change them.
func TestConvertedValuesSurviveTheTemplate(t *testing.T) {
	pm := resource.PropertyMap{
		"policy":   resource.MakeComputed(resource.NewStringProperty("")),
		"password": resource.MakeSecret(resource.NewStringProperty("hunter2")),
		"days":     resource.NewNumberProperty(30),
		"tags":     resource.NewObjectProperty(resource.PropertyMap{"env": resource.NewStringProperty("prod")}),
	}
	direct := Props(FromPropertyMap(pm))
	b, err := json.Marshal(direct)
	if err != nil {
		t.Fatal(err)
	}
	var fromDisk Props
	if err := json.Unmarshal(b, &fromDisk); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(map[string]any(direct), map[string]any(fromDisk)) {
		t.Errorf("engine sees %#v, offline gate sees %#v", direct, fromDisk)
	}
}
