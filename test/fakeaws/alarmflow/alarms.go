package alarmflow

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
)

// Alarm state values (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-states).
const (
	StateOK               = "OK"
	StateAlarm            = "ALARM"
	StateInsufficientData = "INSUFFICIENT_DATA"
)

// Transition is one alarm changing state.
type Transition struct {
	Alarm, From, To string
}

// EvaluateAlarms evaluates every metric alarm at time at, as CloudWatch
// does (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation):
// the evaluation range is the last EvaluationPeriods periods of Period
// seconds before at; each period's data points of the alarm's namespace and
// metric aggregate by Statistic; a period without data is missing and
// counts as TreatMissingData says
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
// notBreaching good, breaching bad, ignore keeps the state when every
// period is missing, missing (the default) goes to INSUFFICIENT_DATA then.
// The alarm goes to ALARM when at least DatapointsToAlarm (default
// EvaluationPeriods) periods breach, else to OK. On a change, the actions of
// the new state run when ActionsEnabled. Not imitated: dimensions (the
// product's metrics have none), percentile statistics, metric math and
// anomaly detection, and the look-back CloudWatch adds for partly missing
// data under missing/ignore.
func (a *Account) EvaluateAlarms(at time.Time) ([]Transition, error) {
	var out []Transition
	for _, r := range a.ofType(awstypes.MetricAlarm) {
		alarm := r.Outputs
		name := str(alarm, "name")
		next, err := a.evaluate(alarm, at)
		if err != nil {
			return out, fmt.Errorf("alarm %s: %w", name, err)
		}
		prev := a.alarms[name]
		if next == prev {
			continue
		}
		a.alarms[name] = next
		out = append(out, Transition{Alarm: name, From: prev, To: next})
		if err := a.runActions(alarm, prev, next, at); err != nil {
			return out, fmt.Errorf("alarm %s: %w", name, err)
		}
	}
	return out, nil
}

func (a *Account) evaluate(alarm map[string]any, at time.Time) (string, error) {
	if dims, _ := alarm["dimensions"].(map[string]any); len(dims) > 0 {
		return "", fmt.Errorf("alarms with dimensions are not imitated")
	}
	period, ok1 := number(alarm, "period")
	periods, ok2 := number(alarm, "evaluationPeriods")
	threshold, ok3 := number(alarm, "threshold")
	if !ok1 || !ok2 || !ok3 || period <= 0 || periods < 1 {
		return "", fmt.Errorf("period, evaluationPeriods and threshold must be set")
	}
	toAlarm, ok := number(alarm, "datapointsToAlarm")
	if !ok || toAlarm < 1 {
		toAlarm = periods
	}
	if _, err := breaches(str(alarm, "comparisonOperator"), 0, 0); err != nil {
		return "", err
	}
	breaching, missing := 0, 0
	for i := 0; i < int(periods); i++ {
		end := at.Add(-time.Duration(i) * time.Duration(period) * time.Second)
		start := end.Add(-time.Duration(period) * time.Second)
		value, has, err := a.statistic(alarm, start, end)
		if err != nil {
			return "", err
		}
		if !has {
			missing++
			continue
		}
		breach, err := breaches(str(alarm, "comparisonOperator"), value, threshold)
		if err != nil {
			return "", err
		}
		if breach {
			breaching++
		}
	}
	switch treat := str(alarm, "treatMissingData"); treat {
	case "notBreaching":
	case "breaching":
		breaching += missing
	case "ignore", "missing", "":
		if missing == int(periods) {
			if treat == "ignore" {
				return a.alarms[str(alarm, "name")], nil
			}
			return StateInsufficientData, nil
		}
	default:
		return "", fmt.Errorf("treatMissingData %q is not one CloudWatch knows", treat)
	}
	if float64(breaching) >= toAlarm {
		return StateAlarm, nil
	}
	return StateOK, nil
}

// statistic aggregates the alarm metric's data points in [start, end).
func (a *Account) statistic(alarm map[string]any, start, end time.Time) (float64, bool, error) {
	var values []float64
	for _, p := range a.points {
		if p.Namespace == str(alarm, "namespace") && p.MetricName == str(alarm, "metricName") &&
			!p.Timestamp.Before(start) && p.Timestamp.Before(end) {
			values = append(values, p.Value)
		}
	}
	if len(values) == 0 {
		return 0, false, nil
	}
	// Statistics: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
	sum, lowest, highest := 0.0, values[0], values[0]
	for _, v := range values {
		sum += v
		lowest, highest = min(lowest, v), max(highest, v)
	}
	switch s := str(alarm, "statistic"); s {
	case "Sum":
		return sum, true, nil
	case "SampleCount":
		return float64(len(values)), true, nil
	case "Average":
		return sum / float64(len(values)), true, nil
	case "Minimum":
		return lowest, true, nil
	case "Maximum":
		return highest, true, nil
	default:
		return 0, false, fmt.Errorf("statistic %q is not imitated", s)
	}
}

// breaches compares a value with the threshold (PutMetricAlarm
// ComparisonOperator, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
func breaches(op string, v, threshold float64) (bool, error) {
	switch op {
	case "GreaterThanOrEqualToThreshold":
		return v >= threshold, nil
	case "GreaterThanThreshold":
		return v > threshold, nil
	case "LessThanThreshold":
		return v < threshold, nil
	case "LessThanOrEqualToThreshold":
		return v <= threshold, nil
	}
	return false, fmt.Errorf("comparisonOperator %q is not imitated", op)
}

// actionKeys are the action lists of each state
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions).
var actionKeys = map[string]string{StateAlarm: "alarmActions", StateOK: "okActions", StateInsufficientData: "insufficientDataActions"}

// runActions notifies the new state's SNS topics, as CloudWatch does on a
// state change when actions are enabled. The message is the JSON alarm
// notification CloudWatch sends to SNS.
func (a *Account) runActions(alarm map[string]any, from, to string, at time.Time) error {
	if !boolean(alarm, "actionsEnabled", true) {
		return nil
	}
	message, err := json.Marshal(map[string]any{
		"AlarmName": str(alarm, "name"), "AlarmArn": str(alarm, "arn"),
		"OldStateValue": from, "NewStateValue": to, "StateChangeTime": at.UTC().Format(time.RFC3339),
		"Trigger": map[string]any{"MetricName": str(alarm, "metricName"), "Namespace": str(alarm, "namespace"),
			"Statistic": str(alarm, "statistic"), "ComparisonOperator": str(alarm, "comparisonOperator"),
			"Threshold": alarm["threshold"], "Period": alarm["period"], "EvaluationPeriods": alarm["evaluationPeriods"]},
	})
	if err != nil {
		return err
	}
	for _, target := range stringList(alarm, actionKeys[to]) {
		p, err := parseARN(target)
		if err != nil {
			return err
		}
		if p.service != "sns" {
			return fmt.Errorf("action %s: only SNS actions are imitated", target)
		}
		a.publish(target, str(alarm, "arn"), string(message))
	}
	return nil
}
