package stacks

import (
	"fmt"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/tiers"
)

// Blueprint describes, for humans, what one tier creates.
type Blueprint struct {
	Tier    config.Tier
	Creates []string
}

// starterCreates is what every tier creates.
var starterCreates = []string{
	"SageMaker model package group (model registry); new versions pending manual approval",
	"Source: two CodeCommit repositories, an S3 bucket/prefix, or a CodeConnections connection",
	"Artifact bucket: encrypted, versioned, public access blocked, ACLs disabled, TLS-only",
	"Two CodeBuild projects and two CodePipeline V2 pipelines (build; deploy with optional manual approval)",
	"EventBridge rule starting the deploy pipeline when a model version is approved",
	"IAM roles for CodeBuild, CodePipeline, SageMaker and EventBridge with scoped inline policies",
	fmt.Sprintf("Build log groups with %d-day retention", StarterLogRetentionDays),
	"SSM parameters under /ml/{ml_name}/ with the outputs",
	"In prod: model registry, artifact bucket and (where there is one) the KMS key protected from deletion",
}

// capabilityCreates describes each capability, in the order tiers add them.
var capabilityCreates = []struct {
	has  func(Capabilities) bool
	text string
}{
	{func(c Capabilities) bool { return c.Dashboard }, "CloudWatch dashboard of pipeline and build health"},
	{func(c Capabilities) bool { return c.Alerts }, "SNS security alerts topic (customer managed KMS key) with email subscription; pipeline failures routed to it"},
	{func(c Capabilities) bool { return c.ConfiguredRetention },
		fmt.Sprintf("log_retention_days on every log group (default %d)", DefaultLogRetentionDays)},
	{func(c Capabilities) bool { return c.CustomerManagedKey }, "Customer managed KMS key (rotation on) for bucket, artifacts, builds, logs and topic"},
	{func(c Capabilities) bool { return c.PermissionBoundary }, "Permission boundary on every product role"},
	{func(c Capabilities) bool { return c.PrivateNetwork }, "VPC endpoints (sagemaker.api, sagemaker.runtime, sts, s3 + extras), endpoint security group, builds in the VPC"},
	{func(c Capabilities) bool { return c.ComplianceMonitoring }, "Compliance log group, CIS metric filters and alarms (unauthorized API calls, root usage)"},
}

// Blueprints lists, per tier from smallest to largest, what it creates.
func Blueprints() []Blueprint {
	out := make([]Blueprint, 0, len(config.Tiers))
	for _, tier := range config.Tiers {
		caps, _ := tiers.Of(string(tier))
		creates := append([]string{}, starterCreates...)
		for _, c := range capabilityCreates {
			if c.has(caps) {
				creates = append(creates, c.text)
			}
		}
		out = append(out, Blueprint{Tier: tier, Creates: creates})
	}
	return out
}
