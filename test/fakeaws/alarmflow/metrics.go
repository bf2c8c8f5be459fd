package alarmflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/filterpattern"
)

// Datapoint is one metric value a metric filter published.
type Datapoint struct {
	Namespace, MetricName string
	Timestamp             time.Time
	Value                 float64
}

// applyMetricFilters runs every metric filter of the event's log group. A
// filter whose pattern matches publishes its metric value (a number, or a
// $.field of a JSON event); one that does not match publishes its default
// value when it has one, else nothing
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html,
// "Configuring metric values for a metric filter" in
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntaxForMetricFilters.html).
// The data point carries the log event's timestamp.
func (a *Account) applyMetricFilters(ev LogEvent) error {
	for _, f := range a.ofType(awstypes.LogMetricFilter) {
		if str(f.Outputs, "logGroupName") != ev.LogGroup {
			continue
		}
		name := str(f.Outputs, "name")
		pattern, err := filterpattern.Compile(str(f.Outputs, "pattern"))
		if err != nil {
			return fmt.Errorf("metric filter %s: %w", name, err)
		}
		mt, _ := f.Outputs["metricTransformation"].(map[string]any)
		if mt == nil {
			return fmt.Errorf("metric filter %s has no metricTransformation", name)
		}
		point := Datapoint{Namespace: str(mt, "namespace"), MetricName: str(mt, "name"), Timestamp: ev.Timestamp}
		if pattern.Matches(ev.Message) {
			if point.Value, err = metricValue(str(mt, "value"), ev.Message); err != nil {
				return fmt.Errorf("metric filter %s: %w", name, err)
			}
		} else if def, ok := number(mt, "defaultValue"); ok {
			point.Value = def
		} else {
			continue
		}
		a.points = append(a.points, point)
	}
	return nil
}

// metricValue is a literal number, or the number at a $.selector of the
// matched JSON event.
func metricValue(value, message string) (float64, error) {
	if !strings.HasPrefix(value, "$.") {
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return 0, fmt.Errorf("metric value %q is neither a number nor a $. selector", value)
		}
		return v, nil
	}
	v, ok := filterpattern.Extract(value, message)
	if !ok {
		return 0, fmt.Errorf("metric value %s: the event holds no number there", value)
	}
	return v, nil
}
