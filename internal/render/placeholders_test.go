package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/provtemplate"
)

// Values only AWS can know are marked placeholders in the offline render,
// never formatted like real ids: no multi-Region key ids ("mrk-"), no empty
// prefix list in the endpoint security group's egress.
func TestOfflineIDsAreMarkedPlaceholders(t *testing.T) {
	checkedEgress := 0
	for name, cfg := range shippedConfigs(t) {
		doc := renderConfig(t, cfg)
		raw, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "mrk-") {
			t.Errorf("%s: the render invents a multi-Region key id (mrk-)", name)
		}
		for _, r := range doc.Resources {
			if r.Type == "aws:kms/alias:Alias" && !provtemplate.IsPlaceholder(r.Inputs["targetKeyId"].(string)) {
				t.Errorf("%s: alias target %v is not a marked placeholder", name, r.Inputs["targetKeyId"])
			}
			if r.Type != "aws:ec2/securityGroup:SecurityGroup" {
				continue
			}
			egress, _ := r.Inputs["egress"].([]any)
			for _, e := range egress {
				for _, pl := range asList(e.(map[string]any)["prefixListIds"]) {
					checkedEgress++
					if s, _ := pl.(string); !provtemplate.IsPlaceholder(s) {
						t.Errorf("%s: egress prefix list %q is not a marked placeholder", name, pl)
					}
				}
			}
		}
	}
	if checkedEgress == 0 {
		t.Fatal("no shipped config has an egress prefix list to check")
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
