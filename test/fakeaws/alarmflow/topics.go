package alarmflow

import (
	"fmt"
	"strings"

	"github.com/mlprov/mlprov/internal/awstypes"
)

// Publication is one message an alarm action sent to a topic.
type Publication struct {
	TopicArn, From, Message string
	// Failed says why SNS refused the message ("" when it took it).
	Failed string
}

// cloudWatchPrincipal is the service principal of CloudWatch alarm actions.
const cloudWatchPrincipal = "cloudwatch.amazonaws.com"

// publish records CloudWatch publishing to the topic. SNS takes the message
// when the topic exists and its access policy allows cloudwatch.amazonaws.com
// sns:Publish (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html);
// a topic without a policy resource has the default one, which lets the
// owner account's alarms publish. An encrypted topic also needs its key to
// let CloudWatch use it: a customer managed key whose policy allows
// kms:GenerateDataKey* and kms:Decrypt to cloudwatch.amazonaws.com, never
// the AWS managed alias/aws/sns
// (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
func (a *Account) publish(topicArn, alarmArn, message string) {
	failed, err := a.publishBlocked(topicArn, alarmArn)
	if err != nil {
		failed = err.Error()
	}
	a.Published = append(a.Published, Publication{TopicArn: topicArn, From: alarmArn, Message: message, Failed: failed})
}

func (a *Account) publishBlocked(topicArn, alarmArn string) (string, error) {
	topic, ok := a.find(awstypes.SNSTopic, "arn", topicArn)
	if !ok {
		return "topic " + topicArn + " does not exist", nil
	}
	alarm, err := parseARN(alarmArn)
	if err != nil {
		return "", err
	}
	context := map[string]string{"aws:SourceAccount": alarm.account, "aws:SourceArn": alarmArn}
	if policy, ok := a.find(awstypes.SNSTopicPolicy, "arn", topicArn); ok {
		allows, err := allowed(str(policy.Outputs, "policy"), request{service: cloudWatchPrincipal,
			action: "sns:Publish", resource: topicArn, context: context})
		if err != nil {
			return "", fmt.Errorf("topic policy: %w", err)
		}
		if !allows {
			return "the topic policy does not let CloudWatch publish", nil
		}
	}
	key := str(topic.Outputs, "kmsMasterKeyId")
	if key == "" {
		return "", nil
	}
	if strings.HasSuffix(key, "alias/aws/sns") {
		return "the topic uses the AWS managed key alias/aws/sns, which CloudWatch cannot use", nil
	}
	for _, action := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
		ok, err := a.keyAllows(key, request{service: cloudWatchPrincipal, action: action, context: context})
		if err != nil {
			return "", err
		}
		if !ok {
			return "the topic's KMS key does not let CloudWatch " + action, nil
		}
	}
	return "", nil
}

// keyAllows judges r against the key policy of keyRef (a key ARN or id, an
// alias name or alias ARN); r.resource becomes the key's ARN.
func (a *Account) keyAllows(keyRef string, r request) (bool, error) {
	if i := strings.Index(keyRef, "alias/"); i >= 0 {
		alias, ok := a.find(awstypes.KMSAlias, "name", keyRef[i:])
		if !ok {
			return false, nil
		}
		keyRef = str(alias.Outputs, "targetKeyArn")
	}
	key, ok := a.find(awstypes.KMSKey, "arn", keyRef)
	if !ok {
		if key, ok = a.find(awstypes.KMSKey, "keyId", keyRef); !ok {
			return false, nil
		}
	}
	policy := str(key.Outputs, "policy")
	if policy == "" {
		// The default key policy names only the account
		// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
		return false, nil
	}
	r.resource = str(key.Outputs, "arn")
	ok, err := allowed(policy, r)
	if err != nil {
		return false, fmt.Errorf("key policy of %s: %w", r.resource, err)
	}
	return ok, nil
}
