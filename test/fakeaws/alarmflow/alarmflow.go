// Package alarmflow imitates, over what the fake cloud holds, the path a
// CloudTrail event takes to an alarm email: the trail delivers the record to
// its CloudWatch Logs log group, the group's metric filters
// (test/fakeaws/filterpattern) turn matching events into metric data
// points, the metric alarms evaluate those points and, on a state change,
// publish to their SNS topics. Every step reads the deployed resources'
// stored outputs (what AWS would report), so a test sees whether the product
// as deployed would raise the alarm. Each AWS behaviour cites its
// documentation where it is implemented. Test infrastructure only.
package alarmflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// Account is the monitoring side of one fake cloud: the metric data points
// produced so far, each alarm's state and the messages published.
type Account struct {
	cloud     []cloudstate.Resource
	points    []Datapoint
	alarms    map[string]string // alarm name → state value
	Published []Publication
}

// New reads the fake cloud's resources. Every alarm starts in
// INSUFFICIENT_DATA, as a new alarm does
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-states).
func New(cloud []cloudstate.Resource) *Account {
	a := &Account{cloud: cloud, alarms: map[string]string{}}
	for _, r := range a.ofType(awstypes.MetricAlarm) {
		a.alarms[str(r.Outputs, "name")] = StateInsufficientData
	}
	return a
}

// AlarmState is an alarm's current state value ("" for no such alarm).
func (a *Account) AlarmState(name string) string { return a.alarms[name] }

func (a *Account) ofType(token string) []cloudstate.Resource {
	var out []cloudstate.Resource
	for _, r := range a.cloud {
		if r.Type == token {
			out = append(out, r)
		}
	}
	return out
}

// find returns the first resource of token whose output key equals value.
func (a *Account) find(token, key, value string) (cloudstate.Resource, bool) {
	for _, r := range a.ofType(token) {
		if str(r.Outputs, key) == value {
			return r, true
		}
	}
	return cloudstate.Resource{}, false
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// number reads a numeric property, which the state holds as a JSON number
// or (for provider strings) a decimal string.
func number(m map[string]any, key string) (float64, bool) {
	switch v := m[key].(type) {
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

func boolean(m map[string]any, key string, unset bool) bool {
	b, ok := m[key].(bool)
	if !ok {
		return unset
	}
	return b
}

func stringList(m map[string]any, key string) []string {
	var out []string
	list, _ := m[key].([]any)
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// arnParts splits arn:partition:service:region:account:resource.
type arnParts struct{ partition, service, region, account, resource string }

func parseARN(arn string) (arnParts, error) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return arnParts{}, fmt.Errorf("%q is not an ARN", arn)
	}
	return arnParts{p[1], p[2], p[3], p[4], p[5]}, nil
}

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }
