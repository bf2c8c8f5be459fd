package monitoring

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ComplianceType is the compliance component's type token.
const ComplianceType = "mlprov:monitoring:Compliance"

// CIS CloudWatch filter patterns (Security Hub CloudWatch.1 and CloudWatch.2).
const (
	UnauthorizedAPICallsPattern = `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	RootAccountUsagePattern     = `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
)

// Metric (and filter) names.
const (
	UnauthorizedAPICallsMetric = "UnauthorizedAPICalls"
	RootAccountUsageMetric     = "RootAccountUsage"
)

// ComplianceArgs configures compliance monitoring.
type ComplianceArgs struct {
	LogGroupName     string
	LogRetentionDays int
	KMSKeyArn        pulumi.StringInput
	// MetricNamespace holds the product's compliance metrics.
	MetricNamespace                        string
	UnauthorizedCallsAlarm, RootUsageAlarm string
	AlarmTopicArn                          pulumi.StringInput
	Tags                                   map[string]string
}

// Compliance is the compliance log group, its metric filters and alarms.
type Compliance struct {
	pulumi.ResourceState

	LogGroupName pulumi.StringOutput
}

// NewCompliance creates the log group, the two CIS metric filters and their alarms.
func NewCompliance(ctx *pulumi.Context, name string, args ComplianceArgs, opts ...pulumi.ResourceOption) (*Compliance, error) {
	c := &Compliance{}
	if err := ctx.RegisterComponentResource(ComplianceType, name, c, opts...); err != nil {
		return nil, err
	}
	group, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.LogGroupName),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
		KmsKeyId:        args.KMSKeyArn,
		Tags:            pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	watches := []struct{ key, metric, pattern, alarm, description string }{
		{"unauthorized-api-calls", UnauthorizedAPICallsMetric, UnauthorizedAPICallsPattern, args.UnauthorizedCallsAlarm,
			"Unauthorized API calls (CIS CloudWatch.2)"},
		{"root-account-usage", RootAccountUsageMetric, RootAccountUsagePattern, args.RootUsageAlarm,
			"Root account usage (CIS CloudWatch.1)"},
	}
	for _, w := range watches {
		if _, err := cloudwatch.NewLogMetricFilter(ctx, name+"-"+w.key+"-filter", &cloudwatch.LogMetricFilterArgs{
			Name:         pulumi.String(w.metric),
			LogGroupName: group.Name,
			Pattern:      pulumi.String(w.pattern),
			MetricTransformation: cloudwatch.LogMetricFilterMetricTransformationArgs{
				Name: pulumi.String(w.metric), Namespace: pulumi.String(args.MetricNamespace), Value: pulumi.String("1"),
			},
		}, pulumi.Parent(c)); err != nil {
			return nil, err
		}
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+w.key+"-alarm", &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(w.alarm),
			AlarmDescription:   pulumi.String(w.description),
			Namespace:          pulumi.String(args.MetricNamespace),
			MetricName:         pulumi.String(w.metric),
			Statistic:          pulumi.String("Sum"),
			Period:             pulumi.Int(300),
			EvaluationPeriods:  pulumi.Int(1),
			Threshold:          pulumi.Float64(1),
			ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
			TreatMissingData:   pulumi.String("notBreaching"),
			ActionsEnabled:     pulumi.Bool(true),
			AlarmActions:       pulumi.Array{args.AlarmTopicArn},
			Tags:               pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c)); err != nil {
			return nil, err
		}
	}
	c.LogGroupName = group.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"logGroupName": c.LogGroupName})
}
