// Package trailcheck decides whether a CloudTrail trail delivers to the log
// group the compliance metric filters read, from a trail's properties as the
// stack recorded them (show-product) or as AWS reports them (check-drift).
// Without such a trail the CIS alarms see no events and stay OK forever
// (treatMissingData=notBreaching).
package trailcheck

import (
	"fmt"
	"sort"
	"strings"
)

// Trail is one trail's properties, keyed as the provider's CloudTrail trail
// outputs (enableLogging, cloudWatchLogsGroupArn, cloudWatchLogsRoleArn,
// isMultiRegionTrail, includeGlobalServiceEvents).
type Trail struct {
	Name       string
	Properties map[string]any
}

// Finding is what show-product and check-drift report about delivery.
type Finding struct {
	// LogGroup is the log group the metric filters read.
	LogGroup string `json:"logGroup"`
	// Seen is where the trail's properties came from: "deployed state"
	// (show-product) or "AWS" (check-drift).
	Seen string `json:"seen"`
	// Delivering is true when a running trail delivers to LogGroup.
	Delivering bool `json:"delivering"`
	// Trail is the delivering trail ("" when none).
	Trail string `json:"trail,omitempty"`
	// Problems say why nothing delivers, or which events a delivering trail
	// misses; empty when all is well.
	Problems []string `json:"problems,omitempty"`
}

// Where a finding's properties came from.
const (
	SeenDeployedState = "deployed state"
	SeenAWS           = "AWS"
)

// Check judges the trails against the log group. A trail delivers when its
// logging is on and it names the group (CloudWatchLogsLogGroupArn) with a
// delivery role (CloudWatchLogsRoleArn), the two settings CloudTrail needs
// to send events to CloudWatch Logs
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
// A delivering trail that is single-region or leaves out global service
// events misses root sign-ins, which are recorded in us-east-1
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events).
func Check(logGroup, expectedTrail, seen string, trails []Trail) Finding {
	f := Finding{LogGroup: logGroup, Seen: seen}
	sort.Slice(trails, func(i, j int) bool { return trails[i].Name < trails[j].Name })
	var why []string
	for _, t := range trails {
		reason := notDelivering(t.Properties, logGroup)
		if reason != "" {
			why = append(why, fmt.Sprintf("trail %s %s", t.Name, reason))
			continue
		}
		f.Delivering, f.Trail = true, t.Name
		if !boolean(t.Properties, "isMultiRegionTrail", false) {
			f.Problems = append(f.Problems, fmt.Sprintf("trail %s is single-region: events of other regions and root sign-ins (global service events, recorded in us-east-1) never reach the filters", t.Name))
		}
		if !boolean(t.Properties, "includeGlobalServiceEvents", true) {
			f.Problems = append(f.Problems, fmt.Sprintf("trail %s leaves out global service events: root sign-ins and IAM calls never reach the filters", t.Name))
		}
		return f
	}
	if len(trails) == 0 {
		why = append(why, fmt.Sprintf("trail %s does not exist", expectedTrail))
	}
	f.Problems = append([]string{"no trail delivers CloudTrail events to log group " + logGroup +
		": the compliance alarms never fire"}, why...)
	return f
}

// notDelivering says why the trail does not deliver to the group ("" when it does).
func notDelivering(p map[string]any, logGroup string) string {
	if !boolean(p, "enableLogging", true) {
		return "is stopped (logging off)"
	}
	arn, _ := p["cloudWatchLogsGroupArn"].(string)
	group := LogGroupOf(arn)
	switch {
	case arn == "":
		return "delivers to no CloudWatch Logs log group"
	case group != logGroup:
		return "delivers to log group " + group + ", not " + logGroup
	}
	if role, _ := p["cloudWatchLogsRoleArn"].(string); role == "" {
		return "has no CloudWatch Logs delivery role"
	}
	return ""
}

// LogGroupOf reads the group name out of a trail's CloudWatchLogsLogGroupArn
// (arn:partition:logs:region:account:log-group:NAME:*); the ARN itself when
// it does not have that shape.
func LogGroupOf(arn string) string {
	_, rest, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return arn
	}
	return strings.TrimSuffix(rest, ":*")
}

func boolean(p map[string]any, key string, unset bool) bool {
	b, ok := p[key].(bool)
	if !ok {
		return unset
	}
	return b
}
