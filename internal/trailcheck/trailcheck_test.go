package trailcheck

import (
	"strings"
	"testing"
)

const group = "acme-compliance-logs"

func delivering() map[string]any {
	return map[string]any{
		"enableLogging": true, "isMultiRegionTrail": true, "includeGlobalServiceEvents": true,
		"cloudWatchLogsGroupArn": "arn:aws:logs:eu-west-1:111122223333:log-group:" + group + ":*",
		"cloudWatchLogsRoleArn":  "arn:aws:iam::111122223333:role/acme-cloudtrail-role",
	}
}

func with(key string, v any) map[string]any {
	p := delivering()
	if v == nil {
		delete(p, key)
	} else {
		p[key] = v
	}
	return p
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name       string
		trails     []Trail
		delivering bool
		problem    string // a problem that must be listed ("" for none at all)
	}{
		{"the product's trail delivers", []Trail{{"acme-trail", delivering()}}, true, ""},
		{"no trail", nil, false, "trail acme-trail does not exist"},
		{"stopped", []Trail{{"acme-trail", with("enableLogging", false)}}, false, "is stopped"},
		{"rerouted", []Trail{{"acme-trail", with("cloudWatchLogsGroupArn", "arn:aws:logs:eu-west-1:111122223333:log-group:other:*")}},
			false, "delivers to log group other, not " + group},
		{"no log group", []Trail{{"acme-trail", with("cloudWatchLogsGroupArn", "")}}, false, "delivers to no CloudWatch Logs log group"},
		{"no role", []Trail{{"acme-trail", with("cloudWatchLogsRoleArn", nil)}}, false, "no CloudWatch Logs delivery role"},
		{"single-region", []Trail{{"acme-trail", with("isMultiRegionTrail", false)}}, true, "single-region"},
		{"without global events", []Trail{{"acme-trail", with("includeGlobalServiceEvents", false)}}, true, "global service events"},
		{"another trail delivers", []Trail{{"a-stopped", with("enableLogging", false)}, {"b-account-trail", delivering()}}, true, ""},
	} {
		f := Check(group, "acme-trail", SeenAWS, c.trails)
		if f.Delivering != c.delivering || f.LogGroup != group || f.Seen != SeenAWS {
			t.Errorf("%s: %+v, want delivering=%v", c.name, f, c.delivering)
		}
		joined := strings.Join(f.Problems, "\n")
		if c.problem == "" && len(f.Problems) != 0 || !strings.Contains(joined, c.problem) {
			t.Errorf("%s: problems %q, want %q", c.name, f.Problems, c.problem)
		}
		if !c.delivering && (len(f.Problems) == 0 || !strings.HasPrefix(f.Problems[0], "no trail delivers CloudTrail events to log group "+group)) {
			t.Errorf("%s: problems %q do not open with the missing delivery", c.name, f.Problems)
		}
	}
}
