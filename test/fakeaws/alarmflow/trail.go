package alarmflow

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
)

// LogEvent is one event in a CloudWatch Logs log stream.
type LogEvent struct {
	LogGroup, LogStream string
	Timestamp           time.Time
	Message             string
}

// Delivery is what happened to one CloudTrail record.
type Delivery struct {
	// Events are the log events trails wrote (one per delivering trail).
	Events []LogEvent
	// NotDelivered says, per trail, why that trail did not deliver it.
	NotDelivered []string
}

// maxCloudTrailEventSize: CloudTrail does not send events larger than
// 256 KB to CloudWatch Logs
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html, "Event size").
const maxCloudTrailEventSize = 256 * 1024

// globalEventSources are the services whose events are global service
// events, recorded in us-east-1
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events).
var globalEventSources = map[string]bool{
	"iam.amazonaws.com": true, "sts.amazonaws.com": true, "signin.amazonaws.com": true, "cloudfront.amazonaws.com": true,
}

// RecordCloudTrailEvent gives one CloudTrail record to every trail of the
// account, delivers it to the CloudWatch Logs group of each trail that
// records it and runs that group's metric filters.
//
// A trail records an event when logging is on (StartLogging/StopLogging,
// enableLogging) and the event happened in the trail's home region or the
// trail is multi-region; a global service event also needs
// IncludeGlobalServiceEvents
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-trails,
// #cloudtrail-concepts-global-service-events). It reaches CloudWatch Logs
// only with both CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn set,
// the role trusting CloudTrail and allowed to create the stream and put
// events in it, written to the stream {account}_CloudTrail_{region} of the
// group (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html,
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html);
// an encrypted group also needs its KMS key to let CloudWatch Logs use it for
// that group (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
func (a *Account) RecordCloudTrailEvent(record string) (Delivery, error) {
	var ev struct {
		EventTime   string `json:"eventTime"`
		EventSource string `json:"eventSource"`
		AWSRegion   string `json:"awsRegion"`
		Recipient   string `json:"recipientAccountId"`
	}
	if err := json.Unmarshal([]byte(record), &ev); err != nil {
		return Delivery{}, fmt.Errorf("CloudTrail record: %w", err)
	}
	at, err := parseTime(ev.EventTime)
	if err != nil {
		return Delivery{}, fmt.Errorf("CloudTrail record eventTime: %w", err)
	}
	var d Delivery
	trails := a.ofType(awstypes.CloudTrail)
	if len(trails) == 0 {
		d.NotDelivered = append(d.NotDelivered, "the account has no trail")
	}
	for _, trail := range trails {
		name := str(trail.Outputs, "name")
		reason, err := a.deliveryBlocked(trail.Outputs, ev.EventSource, ev.AWSRegion, len(record))
		if err != nil {
			return d, fmt.Errorf("trail %s: %w", name, err)
		}
		if reason != "" {
			d.NotDelivered = append(d.NotDelivered, "trail "+name+": "+reason)
			continue
		}
		group, _ := logGroupOfTrail(str(trail.Outputs, "cloudWatchLogsGroupArn"))
		event := LogEvent{LogGroup: group, LogStream: ev.Recipient + "_CloudTrail_" + ev.AWSRegion, Timestamp: at, Message: record}
		d.Events = append(d.Events, event)
		if err := a.applyMetricFilters(event); err != nil {
			return d, err
		}
	}
	return d, nil
}

// deliveryBlocked says why the trail would not put the event in its log
// group ("" when it would).
func (a *Account) deliveryBlocked(trail map[string]any, source, region string, size int) (string, error) {
	trailARN, err := parseARN(str(trail, "arn"))
	if err != nil {
		return "", err
	}
	switch {
	// enableLogging is the provider's view of StartLogging/StopLogging; a
	// trail the provider creates logs unless told otherwise.
	case !boolean(trail, "enableLogging", true):
		return "logging is stopped", nil
	case region != trailARN.region && !boolean(trail, "isMultiRegionTrail", false):
		return fmt.Sprintf("a single-region trail of %s does not record events of %s", trailARN.region, region), nil
	case globalEventSources[source] && !boolean(trail, "includeGlobalServiceEvents", true):
		return "global service events are not included", nil
	case size > maxCloudTrailEventSize:
		return "the event is larger than CloudTrail sends to CloudWatch Logs", nil
	}
	groupARN, roleARN := str(trail, "cloudWatchLogsGroupArn"), str(trail, "cloudWatchLogsRoleArn")
	if groupARN == "" || roleARN == "" {
		return "no CloudWatch Logs delivery configured (CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn)", nil
	}
	group, err := logGroupOfTrail(groupARN)
	if err != nil {
		return "", err
	}
	logGroup, ok := a.find(awstypes.LogGroup, "name", group)
	if !ok {
		return "log group " + group + " does not exist", nil
	}
	account := trailARN.account
	stream := strings.TrimSuffix(groupARN, ":*") + ":log-stream:" + account + "_CloudTrail_" + region
	if reason, err := a.roleBlocks(roleARN, stream, str(trail, "arn")); reason != "" || err != nil {
		return reason, err
	}
	return a.logGroupKeyBlocks(logGroup.Outputs)
}

// logGroupOfTrail reads the log group name out of CloudWatchLogsLogGroupArn
// (arn:…:logs:region:account:log-group:NAME:*).
func logGroupOfTrail(groupARN string) (string, error) {
	p, err := parseARN(groupARN)
	if err != nil {
		return "", err
	}
	name, ok := strings.CutPrefix(p.resource, "log-group:")
	if !ok || p.service != "logs" {
		return "", fmt.Errorf("cloudWatchLogsGroupArn %q does not name a log group", groupARN)
	}
	return strings.TrimSuffix(name, ":*"), nil
}

// roleBlocks checks the delivery role: it exists, trusts CloudTrail (which
// assumes it for this trail: aws:SourceArn and aws:SourceAccount, the
// confused-deputy keys CloudTrail sets,
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html)
// and an inline policy (the product's delivery role has only those) lets it
// create the stream and put events in it.
func (a *Account) roleBlocks(roleARN, stream, trailARN string) (string, error) {
	role, ok := a.find(awstypes.IAMRole, "arn", roleARN)
	if !ok {
		return "delivery role " + roleARN + " does not exist", nil
	}
	trail, err := parseARN(trailARN)
	if err != nil {
		return "", err
	}
	trusted, err := allowed(str(role.Outputs, "assumeRolePolicy"), request{service: "cloudtrail.amazonaws.com",
		action: "sts:AssumeRole", resource: roleARN,
		context: map[string]string{"aws:SourceAccount": trail.account, "aws:SourceArn": trailARN}})
	if err != nil {
		return "", fmt.Errorf("delivery role trust policy: %w", err)
	}
	if !trusted {
		return "delivery role does not trust cloudtrail.amazonaws.com", nil
	}
	roleName := str(role.Outputs, "name")
	for _, action := range []string{"logs:CreateLogStream", "logs:PutLogEvents"} {
		ok := false
		for _, p := range a.ofType(awstypes.IAMRolePolicy) {
			if str(p.Outputs, "role") != roleName {
				continue
			}
			allows, err := allowed(str(p.Outputs, "policy"), request{action: action, resource: stream})
			if err != nil {
				return "", fmt.Errorf("delivery role policy: %w", err)
			}
			ok = ok || allows
		}
		if !ok {
			return "delivery role may not " + action + " on " + stream, nil
		}
		if reason, err := a.boundaryBlocks(role.Outputs, action, stream); reason != "" || err != nil {
			return reason, err
		}
	}
	return "", nil
}

// boundaryBlocks checks the role's permissions boundary, which must allow
// the action too
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
func (a *Account) boundaryBlocks(role map[string]any, action, resource string) (string, error) {
	arn := str(role, "permissionsBoundary")
	if arn == "" {
		return "", nil
	}
	boundary, ok := a.find(awstypes.IAMPolicy, "arn", arn)
	if !ok {
		return "delivery role's permissions boundary " + arn + " does not exist", nil
	}
	allows, err := allowed(str(boundary.Outputs, "policy"), request{action: action, resource: resource})
	if err != nil {
		return "", fmt.Errorf("permissions boundary %s: %w", arn, err)
	}
	if !allows {
		return "delivery role's permissions boundary does not allow " + action + " on " + resource, nil
	}
	return "", nil
}

// logGroupKeyBlocks checks that the group's KMS key lets CloudWatch Logs of
// the group's region encrypt for this group.
func (a *Account) logGroupKeyBlocks(group map[string]any) (string, error) {
	keyARN := str(group, "kmsKeyId")
	if keyARN == "" {
		return "", nil
	}
	groupARN := strings.TrimSuffix(str(group, "arn"), ":*")
	p, err := parseARN(groupARN)
	if err != nil {
		return "", err
	}
	ok, err := a.keyAllows(keyARN, request{service: "logs." + p.region + ".amazonaws.com", action: "kms:GenerateDataKey",
		context: map[string]string{"kms:EncryptionContext:aws:logs:arn": groupARN}})
	if err != nil || ok {
		return "", err
	}
	return "the log group's KMS key does not let CloudWatch Logs encrypt for it", nil
}
