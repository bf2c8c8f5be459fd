// Package awsevents builds events shaped as AWS services send them to
// EventBridge, for tests that route them through rendered or deployed rules.
// Shapes: CodeCommit repository state change
// (https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html),
// S3 Object Created (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html),
// SageMaker model package state change
// (https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package).
package awsevents

import "fmt"

// Source is where the events come from.
type Source struct{ Account, Region string }

// CodeCommitPush is a commit to branch of repo.
func (s Source) CodeCommitPush(repo, branch string) string {
	return fmt.Sprintf(`{"version":"0","id":"1","detail-type":"CodeCommit Repository State Change","source":"aws.codecommit",
"account":"%[1]s","time":"2026-12-01T12:00:00Z","region":"%[2]s","resources":["arn:aws:codecommit:%[2]s:%[1]s:%[3]s"],
"detail":{"callerUserArn":"arn:aws:iam::%[1]s:user/dev","commitId":"abc","event":"referenceUpdated","oldCommitId":"def",
"referenceFullName":"refs/heads/%[4]s","referenceName":"%[4]s","referenceType":"branch","repositoryId":"r","repositoryName":"%[3]s"}}`,
		s.Account, s.Region, repo, branch)
}

// S3ObjectCreated is a new object (version) of key in bucket.
func (s Source) S3ObjectCreated(bucket, key string) string {
	return fmt.Sprintf(`{"version":"0","id":"2","detail-type":"Object Created","source":"aws.s3","account":"%[1]s",
"time":"2026-12-01T12:00:00Z","region":"%[2]s","resources":["arn:aws:s3:::%[3]s"],
"detail":{"version":"0","bucket":{"name":"%[3]s"},"object":{"key":"%[4]s","size":10,"etag":"e","version-id":"v","sequencer":"s"},
"request-id":"q","requester":"%[1]s","reason":"PutObject"}}`, s.Account, s.Region, bucket, key)
}

// ModelPackageStateChange is version 1 of group reaching status.
func (s Source) ModelPackageStateChange(group, status string) string {
	return fmt.Sprintf(`{"version":"0","id":"3","detail-type":"SageMaker Model Package State Change","source":"aws.sagemaker",
"account":"%[1]s","time":"2026-12-01T12:00:00Z","region":"%[2]s","resources":["arn:aws:sagemaker:%[2]s:%[1]s:model-package/%[3]s/1"],
"detail":{"ModelPackageGroupName":"%[3]s","ModelPackageVersion":1,"ModelPackageArn":"arn:aws:sagemaker:%[2]s:%[1]s:model-package/%[3]s/1",
"CreationTime":1700000000000,"ModelApprovalStatus":"%[4]s","ModelPackageStatus":"Completed"}}`, s.Account, s.Region, group, status)
}
