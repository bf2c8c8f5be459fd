package rules

import (
	"fmt"
	"strings"
)

// securityMetric is one CIS CloudWatch control: a metric filter spotting an
// event in CloudTrail logs, and an alarm on its metric.
type securityMetric struct {
	what string
	// matches recognises the filter pattern.
	matches func(pattern string) bool
}

var securityMetrics = []securityMetric{
	{what: "unauthorized API calls", matches: func(p string) bool {
		return strings.Contains(p, "UnauthorizedOperation") || strings.Contains(p, "AccessDenied")
	}},
	{what: "root account usage", matches: func(p string) bool {
		return strings.Contains(p, "userIdentity.type") && strings.Contains(p, "Root")
	}},
}

// isEnterpriseStack reports whether any resource is tagged with a tier that
// has compliance monitoring.
func isEnterpriseStack(s Stack) bool {
	for _, r := range s.Resources {
		if r.capabilities().ComplianceMonitoring {
			return true
		}
	}
	return false
}

// judgeSecurityMetric looks for a filter for m and an alarm with actions on
// the filter's metric.
func judgeSecurityMetric(s Stack, m securityMetric) Result {
	unknown, missingAlarm := "", ""
	for _, f := range s.OfType(typeMetricFilter) {
		if p, u := f.Props.UnknownAt("pattern", "metricTransformation"); u {
			unknown = f.Name + "." + p
			continue
		}
		if !m.matches(f.Props.String("pattern")) {
			continue
		}
		metric, namespace := f.Props.String("metricTransformation.name"), f.Props.String("metricTransformation.namespace")
		for _, a := range s.OfType(typeMetricAlarm) {
			if p, u := a.Props.UnknownAt("metricName", "namespace", "alarmActions"); u {
				unknown = a.Name + "." + p
				continue
			}
			if a.Props.String("metricName") == metric && a.Props.String("namespace") == namespace && len(a.Props.List("alarmActions")) > 0 {
				return Pass()
			}
		}
		missingAlarm = fmt.Sprintf("metric filter %s (%s) has no alarm with actions on metric %s/%s", f.Name, m.what, namespace, metric)
	}
	if unknown != "" {
		return CannotJudge(unknown)
	}
	if missingAlarm != "" {
		return Violation("%s", missingAlarm)
	}
	return Violation("no metric filter and alarm for %s", m.what)
}

func cw002() Rule {
	return Rule{
		ID:          "MLP-CW-002",
		Name:        "security-metric-alarms",
		Description: "Enterprise stacks have metric filters and alarms for unauthorized API calls and for root account usage.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Add LogMetricFilters UnauthorizedAPICalls and RootAccountUsage on the compliance log group, each with a MetricAlarm whose alarmActions notify the security-alerts topic.",
		Peers:       Peers{Trivy: []string{"AVD-AWS-0147", "AVD-AWS-0149"}, SecurityHub: []string{"CloudWatch.1"}},
		CheckStack: func(s Stack) []Judgement {
			if !isEnterpriseStack(s) {
				return nil
			}
			var p problems
			var unknown *Result
			for _, m := range securityMetrics {
				switch res := judgeSecurityMetric(s, m); res.Status {
				case StatusViolation:
					p.add("%s", res.Message)
				case StatusUnknown:
					unknown = &res
				}
			}
			if len(p) == 0 && unknown != nil {
				return []Judgement{{Result: *unknown}}
			}
			return []Judgement{{Result: p.result()}}
		},
	}
}
