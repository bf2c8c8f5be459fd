// Package monitoring is what watches the product: a dashboard, the security
// alerts topic with pipeline-failure routing, and compliance metric filters
// with alarms.
package monitoring

import (
	"encoding/json"
	"fmt"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlertsType is the alerts component's type token.
const AlertsType = "mlprov:monitoring:Alerts"

// AlertsArgs configures the alerts topic.
type AlertsArgs struct {
	TopicName string
	Email     string
	// KMSKeyArn encrypts the topic. It must be a customer managed key whose
	// policy lets EventBridge and CloudWatch use it: the AWS-managed
	// alias/aws/sns key cannot take their messages.
	KMSKeyArn pulumi.StringInput
	// Pipelines whose failed executions are routed to the topic.
	Pipelines          []string
	PipelineFailedRule string
	ARNs               naming.ARNs
	Tags               map[string]string
}

// Alerts is the security alerts topic and what feeds it.
type Alerts struct {
	pulumi.ResourceState

	TopicArn pulumi.StringOutput
}

// NewAlerts creates the topic, its policy, the email subscription (pending
// until the recipient confirms it) and the pipeline failure rule.
func NewAlerts(ctx *pulumi.Context, name string, args AlertsArgs, opts ...pulumi.ResourceOption) (*Alerts, error) {
	c := &Alerts{}
	if err := ctx.RegisterComponentResource(AlertsType, name, c, opts...); err != nil {
		return nil, err
	}
	if args.KMSKeyArn == nil {
		return nil, fmt.Errorf("alerts topic %s needs a customer managed KMS key", args.TopicName)
	}
	topic, err := sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{
		Name:           pulumi.String(args.TopicName),
		DisplayName:    pulumi.String("ML product security alerts"),
		KmsMasterKeyId: args.KMSKeyArn,
		Tags:           pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicPolicy(ctx, name+"-topic-policy", &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: pulumi.String(TopicPolicy(args.ARNs, args.TopicName).JSON()),
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
		Topic:    topic.Arn,
		Protocol: pulumi.String("email"),
		Endpoint: pulumi.String(args.Email),
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}
	rule, err := cloudwatch.NewEventRule(ctx, name+"-pipeline-failed", &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(args.PipelineFailedRule),
		Description:  pulumi.String("Routes failed executions of the product's pipelines to the security alerts topic"),
		EventPattern: pulumi.String(PipelineFailedPattern(args.Pipelines)),
		Tags:         pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	if _, err := cloudwatch.NewEventTarget(ctx, name+"-pipeline-failed-target", &cloudwatch.EventTargetArgs{
		Rule:     rule.Name,
		TargetId: pulumi.String("security-alerts"),
		Arn:      topic.Arn,
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}
	c.TopicArn = topic.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"topicArn": c.TopicArn})
}

// TopicPolicy keeps the topic private: the account manages it, CloudWatch
// alarms and EventBridge of this account publish to it.
func TopicPolicy(arns naming.ARNs, topic string) policydoc.Document {
	arn := []string{arns.Topic(topic)}
	return policydoc.New(
		policydoc.Allow("AccountManagesTopic", []string{"sns:GetTopicAttributes", "sns:SetTopicAttributes",
			"sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe",
			"sns:ListSubscriptionsByTopic", "sns:Publish"}, arn).
			For(policydoc.Principal{AWS: []string{arns.AccountRoot()}}),
		policydoc.Allow("AlarmsAndEventsPublish", []string{"sns:Publish"}, arn).
			For(policydoc.Principal{Service: []string{naming.ServicePrincipal("cloudwatch"), naming.ServicePrincipal("events")}}).
			When("StringEquals", "aws:SourceAccount", arns.Account),
	)
}

// PipelineFailedPattern matches failed executions of the given pipelines.
func PipelineFailedPattern(pipelines []string) string {
	b, _ := json.Marshal(map[string]any{
		"source":      []string{"aws.codepipeline"},
		"detail-type": []string{"CodePipeline Pipeline Execution State Change"},
		"detail": map[string]any{
			"pipeline": pipelines,
			"state":    []string{"FAILED"},
		},
	})
	return string(b)
}
