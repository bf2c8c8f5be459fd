package awsevents

import (
	"fmt"
	"time"
)

// CloudTrail records, as a trail delivers them (one JSON record per event).
// Fields: "CloudTrail record contents"
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html);
// the root sign-in follows "AWS Management Console sign-in events"
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).

// GlobalEventRegion is where CloudTrail records global service events (IAM,
// STS global endpoint, sign-in)
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events).
const GlobalEventRegion = "us-east-1"

func cloudTrailTime(at time.Time) string { return at.UTC().Format(time.RFC3339) }

// AccessDeniedCall is an IAM user's S3 call refused with AccessDenied, in
// the source's region.
func (s Source) AccessDeniedCall(at time.Time) string {
	return fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::%[1]s:user/analyst",
"accountId":"%[1]s","accessKeyId":"AKIAEXAMPLE","userName":"analyst"},"eventTime":"%[3]s","eventSource":"s3.amazonaws.com",
"eventName":"GetBucketPolicy","awsRegion":"%[2]s","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
"errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::%[1]s:user/analyst is not authorized to perform: s3:GetBucketPolicy",
"requestParameters":{"bucketName":"someone-elses-bucket","policy":""},"responseElements":null,"requestID":"R1","eventID":"e-denied",
"readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%[1]s","eventCategory":"Management"}`,
		s.Account, s.Region, cloudTrailTime(at))
}

// RootConsoleSignIn is the root user signing in to the console: a global
// service event, recorded in GlobalEventRegion whatever the source's region.
func (s Source) RootConsoleSignIn(at time.Time) string {
	return fmt.Sprintf(`{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"%[1]s","arn":"arn:aws:iam::%[1]s:root",
"accountId":"%[1]s","accessKeyId":""},"eventTime":"%[3]s","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",
"awsRegion":"%[2]s","sourceIPAddress":"203.0.113.10","userAgent":"Mozilla/5.0","requestParameters":null,
"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home",
"MobileVersion":"No","MFAUsed":"Yes"},"eventID":"e-root","readOnly":false,"eventType":"AwsConsoleSignIn",
"managementEvent":true,"recipientAccountId":"%[1]s","eventCategory":"Management"}`,
		s.Account, GlobalEventRegion, cloudTrailTime(at))
}

// BenignCall is a successful read by an IAM role in the source's region.
func (s Source) BenignCall(at time.Time) string {
	return fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:build",
"arn":"arn:aws:sts::%[1]s:assumed-role/builder/build","accountId":"%[1]s"},"eventTime":"%[3]s","eventSource":"ec2.amazonaws.com",
"eventName":"DescribeInstances","awsRegion":"%[2]s","sourceIPAddress":"10.42.0.10","userAgent":"aws-sdk-go-v2",
"requestParameters":{"instancesSet":{},"filterSet":{}},"responseElements":null,"requestID":"R2","eventID":"e-benign",
"readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%[1]s","eventCategory":"Management"}`,
		s.Account, s.Region, cloudTrailTime(at))
}

// RootServiceEvent is an event AWS itself performs on the account's behalf
// with a root identity (eventType AwsServiceEvent), which the CIS root
// filter deliberately ignores.
func (s Source) RootServiceEvent(at time.Time) string {
	return fmt.Sprintf(`{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"%[1]s","arn":"arn:aws:iam::%[1]s:root",
"accountId":"%[1]s"},"eventTime":"%[3]s","eventSource":"health.amazonaws.com","eventName":"AWSHealthEvent","awsRegion":"%[2]s",
"sourceIPAddress":"health.amazonaws.com","userAgent":"health.amazonaws.com","requestParameters":null,"responseElements":null,
"eventID":"e-service","readOnly":true,"eventType":"AwsServiceEvent","managementEvent":true,"recipientAccountId":"%[1]s",
"eventCategory":"Management"}`, s.Account, s.Region, cloudTrailTime(at))
}
