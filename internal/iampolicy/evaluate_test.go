package iampolicy

import (
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/policydoc"
)

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, value string
		want           bool
	}{
		{"*", "", true},
		{"*", "anything/at:all", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket2", true},
		{"arn:aws:s3:::b?cket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::b?cket", "arn:aws:s3:::bcket", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"parameter/ml/x-ml/*", "parameter/ml/x-ml/Key", true},
		{"parameter/ml/x-ml/*", "parameter/ml/y-ml/Key", false},
		{"*-deploy", "p-build", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.value); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
		}
	}
}

func allow(sid string, actions, resources []string) policydoc.Statement {
	return policydoc.Allow(sid, actions, resources)
}

func TestEvaluateDecisions(t *testing.T) {
	const bucket = "arn:aws:s3:::mine"
	docs := []policydoc.Document{
		policydoc.New(
			allow("Bucket", []string{"s3:Get*", "s3:PutBucketTagging"}, []string{bucket}),
			allow("Tagged", []string{"kms:DescribeKey"}, []string{"arn:aws:kms:r:1:key/*"}).
				When("StringEquals", "aws:ResourceTag/mlprov:ml-name", "p1"),
			allow("Pass", []string{"iam:PassRole"}, []string{"arn:aws:iam::1:role/r"}).
				When("StringEquals", "iam:PassedToService", "codebuild.amazonaws.com"),
			allow("Like", []string{"ssm:GetParameter"}, []string{"*"}).
				When("StringLike", "ssm:Name", "/ml/p1/*"),
			allow("ArnLike", []string{"sns:Publish"}, []string{"*"}).
				When("ArnLike", "aws:SourceArn", "arn:aws:events:*:1:rule/p1-*"),
			allow("ArnEq", []string{"sns:Subscribe"}, []string{"*"}).
				When("ArnEquals", "aws:SourceArn", "arn:aws:events:r:1:rule/exact"),
			allow("NotEq", []string{"s3:ListBucket"}, []string{bucket}).
				When("StringNotEquals", "aws:RequestedRegion", "us-east-1"),
			allow("Secure", []string{"s3:DeleteBucket"}, []string{bucket}).
				When("Bool", "aws:SecureTransport", "true"),
		),
		policydoc.New(policydoc.Statement{
			Sid: "DenyNoMFA", Effect: "Deny", Action: []string{"s3:DeleteBucket"}, Resource: []string{"*"},
			Condition: policydoc.Condition{"BoolIfExists": {"aws:MultiFactorAuthPresent": {"false"}}},
		}),
	}
	ctx := func(kv ...string) map[string][]string {
		m := map[string][]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = append(m[kv[i]], kv[i+1])
		}
		return m
	}
	tests := []struct {
		name string
		req  Request
		want Decision
	}{
		{"action wildcard", Request{Action: "s3:GetBucketPolicy", Resource: bucket}, Allowed},
		{"action names are case-insensitive", Request{Action: "S3:getbucketpolicy", Resource: bucket}, Allowed},
		{"other action", Request{Action: "s3:PutBucketPolicy", Resource: bucket}, ImplicitDeny},
		{"other resource", Request{Action: "s3:GetBucketPolicy", Resource: "arn:aws:s3:::theirs"}, ImplicitDeny},
		{"resource ARNs are case-sensitive", Request{Action: "s3:GetBucketPolicy", Resource: "arn:aws:s3:::MINE"}, ImplicitDeny},
		{"tag matches", Request{Action: "kms:DescribeKey", Resource: "arn:aws:kms:r:1:key/k", Context: ctx("aws:ResourceTag/mlprov:ml-name", "p1")}, Allowed},
		{"tag of another product", Request{Action: "kms:DescribeKey", Resource: "arn:aws:kms:r:1:key/k", Context: ctx("aws:ResourceTag/mlprov:ml-name", "p2")}, ImplicitDeny},
		{"tag missing", Request{Action: "kms:DescribeKey", Resource: "arn:aws:kms:r:1:key/k"}, ImplicitDeny},
		{"pass to the right service", Request{Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/r", Context: ctx("iam:PassedToService", "codebuild.amazonaws.com")}, Allowed},
		{"pass to another service", Request{Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/r", Context: ctx("iam:PassedToService", "ec2.amazonaws.com")}, ImplicitDeny},
		{"StringLike", Request{Action: "ssm:GetParameter", Resource: "x", Context: ctx("ssm:Name", "/ml/p1/Key")}, Allowed},
		{"StringLike miss", Request{Action: "ssm:GetParameter", Resource: "x", Context: ctx("ssm:Name", "/ml/p2/Key")}, ImplicitDeny},
		{"ArnLike", Request{Action: "sns:Publish", Resource: "t", Context: ctx("aws:SourceArn", "arn:aws:events:eu-west-1:1:rule/p1-failed")}, Allowed},
		{"ArnLike miss", Request{Action: "sns:Publish", Resource: "t", Context: ctx("aws:SourceArn", "arn:aws:events:eu-west-1:2:rule/p1-failed")}, ImplicitDeny},
		{"ArnEquals", Request{Action: "sns:Subscribe", Resource: "t", Context: ctx("aws:SourceArn", "arn:aws:events:r:1:rule/exact")}, Allowed},
		{"negated operator, key absent", Request{Action: "s3:ListBucket", Resource: bucket}, Allowed},
		{"negated operator, value matches", Request{Action: "s3:ListBucket", Resource: bucket, Context: ctx("aws:RequestedRegion", "us-east-1")}, ImplicitDeny},
		{"explicit deny beats allow (no MFA)", Request{Action: "s3:DeleteBucket", Resource: bucket, Context: ctx("aws:SecureTransport", "true", "aws:MultiFactorAuthPresent", "false")}, ExplicitDeny},
		{"BoolIfExists: key absent applies the deny", Request{Action: "s3:DeleteBucket", Resource: bucket, Context: ctx("aws:SecureTransport", "true")}, ExplicitDeny},
		{"MFA present lifts the deny", Request{Action: "s3:DeleteBucket", Resource: bucket, Context: ctx("aws:SecureTransport", "TRUE", "aws:MultiFactorAuthPresent", "true")}, Allowed},
		{"Bool false", Request{Action: "s3:DeleteBucket", Resource: bucket, Context: ctx("aws:SecureTransport", "false", "aws:MultiFactorAuthPresent", "true")}, ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Evaluate(docs, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s: %v, want %v", tt.req, got, tt.want)
			}
		})
	}
}

func TestEvaluateRejectsWhatItCannotJudge(t *testing.T) {
	tests := []struct {
		name string
		s    policydoc.Statement
		want string
	}{
		{"unknown operator", allow("X", []string{"a:B"}, []string{"*"}).When("NumericLessThan", "k", "1"), `operator "NumericLessThan" is not supported`},
		{"bad effect", policydoc.Statement{Sid: "X", Effect: "Maybe", Action: []string{"a:B"}, Resource: []string{"*"}}, `effect "Maybe"`},
		{"principal", allow("X", []string{"a:B"}, []string{"*"}).For(policydoc.Principal{AWS: []string{"*"}}), "no Principal"},
	}
	for _, tt := range tests {
		_, err := Evaluate([]policydoc.Document{policydoc.New(tt.s)}, Request{Action: "a:B", Resource: "r", Context: map[string][]string{"k": {"0"}}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}
