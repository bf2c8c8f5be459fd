// Package stacks is the mlprov Pulumi program: it composes the components of
// one product according to its tier's capabilities (tiers.go).
package stacks

import (
	"fmt"

	"github.com/mlprov/mlprov/components/boundary"
	"github.com/mlprov/mlprov/components/encryption"
	"github.com/mlprov/mlprov/components/identity"
	"github.com/mlprov/mlprov/components/monitoring"
	"github.com/mlprov/mlprov/components/network"
	"github.com/mlprov/mlprov/components/outputs"
	"github.com/mlprov/mlprov/components/pipeline"
	"github.com/mlprov/mlprov/components/registry"
	"github.com/mlprov/mlprov/components/source"
	"github.com/mlprov/mlprov/components/storage"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/tags"
	awsnative "github.com/pulumi/pulumi-aws-native/sdk/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Options change how a product is deployed, not what it is.
type Options struct {
	// TestID (4 hex) makes a test deployment: names from naming.ForTest, the
	// mlprov:test-id tag, and no deletion protection.
	TestID string
	// Unprotect lifts prod deletion protection (delete-product --force).
	Unprotect bool
}

// Export names beyond the output keys.
const (
	// ExportPendingConfirmations lists what a human still has to do.
	ExportPendingConfirmations = "pendingConfirmations"
	// ExportCallerArn is who ran the last update (for the audit log); an ARN,
	// never a credential.
	ExportCallerArn = "callerArn"
)

// Program is the Pulumi program of one product.
func Program(cfg *config.Config) pulumi.RunFunc { return ProgramWithOptions(cfg, Options{}) }

// ProgramWithOptions is Program with deployment options.
func ProgramWithOptions(cfg *config.Config, opts Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		caps, err := CapabilitiesOf(cfg.MLProduct.Tier)
		if err != nil {
			return err
		}
		names := naming.For(cfg)
		if opts.TestID != "" {
			names = naming.ForTest(cfg, opts.TestID)
		}
		p := &product{
			cfg: cfg, caps: caps, names: names,
			arns:      naming.ARNsFor(cfg.Client.AccountID, cfg.Environment.Region),
			retention: logRetentionDays(caps, cfg),
			protect:   cfg.EnvProperties().DeletionProtection && !opts.Unprotect && opts.TestID == "",
			// A production bucket is emptied only by delete-product --force
			// (whose locked update with Unprotect sets forceDestroy first).
			emptyBucketOnDelete: !cfg.IsProd() || opts.TestID != "" || opts.Unprotect,
			tags: tags.For(tags.Product{
				MLName: names.MLName, Tier: string(cfg.MLProduct.Tier), Env: cfg.Environment.Env, TestID: opts.TestID,
			}, cfg.Tags),
		}
		return p.run(ctx)
	}
}

// product carries what every step of one run needs.
type product struct {
	cfg       *config.Config
	caps      Capabilities
	names     naming.Names
	arns      naming.ARNs
	tags      map[string]string
	retention int
	protect   bool
	// boundaryArn is the permission boundary of every role (nil without one).
	boundaryArn pulumi.StringInput
	// emptyBucketOnDelete lets a delete remove the artifact bucket's objects.
	emptyBucketOnDelete bool

	outputs []outputs.Value
	pending []string
}

func (p *product) publish(key string, value pulumi.StringInput) {
	p.outputs = append(p.outputs, outputs.Value{Key: key, Value: value})
}

func (p *product) run(ctx *pulumi.Context) error {
	cfg, n := p.cfg, p.names
	account := cfg.Client.AccountID
	awsProvider, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
		Region:            pulumi.String(cfg.Environment.Region),
		AllowedAccountIds: pulumi.StringArray{pulumi.String(account)},
	})
	if err != nil {
		return err
	}
	nativeProvider, err := awsnative.NewProvider(ctx, "aws-native", &awsnative.ProviderArgs{
		Region:            pulumi.String(cfg.Environment.Region),
		AllowedAccountIds: pulumi.StringArray{pulumi.String(account)},
	})
	if err != nil {
		return err
	}
	if err := checkAccount(ctx, account, awsProvider); err != nil {
		return err
	}
	providers := pulumi.Providers(awsProvider, nativeProvider)

	src, err := source.New(ctx, "source", sourceArgs(cfg, n, p.arns, p.tags), providers)
	if err != nil {
		return err
	}
	p.pending = append(p.pending, src.PendingSetup...)
	if src.ConnectionPending {
		p.pending = append(p.pending, fmt.Sprintf(
			"CodeConnections connection %s is PENDING: complete the handshake in the AWS console (Developer Tools > Connections)", n.Connection))
	}

	models, err := registry.New(ctx, "registry", registry.Args{
		GroupName:   n.ModelPackageGroup,
		Description: "Model registry of " + n.MLName,
		Protect:     p.protect,
		Tags:        p.tags,
	}, providers)
	if err != nil {
		return err
	}

	access := identity.Access{
		ARNs: p.arns,
		Roles: identity.RoleNames{
			CodeBuild: n.CodeBuildRole, CodePipeline: n.CodePipelineRole,
			SageMaker: n.SageMakerExecutionRole, Events: n.EventsRole,
		},
		ArtifactBucket:    n.ArtifactBucket,
		ModelPackageGroup: n.ModelPackageGroup,
		ResourcePrefix:    n.Base,
		BuildProject:      n.BuildProject,
		DeployProject:     n.DeployProject,
		BuildLogGroups:    []string{n.BuildLogGroup, n.DeployLogGroup},
		BuildPipeline:     n.BuildPipeline,
		DeployPipeline:    n.DeployPipeline,
		SourceRead:        src.PipelineRead,
		InVPC:             p.caps.PrivateNetwork,
		// A change to the build source starts the build pipeline through an
		// EventBridge rule, unless the source action detects changes itself.
		BuildStartsOnEvent: src.BuildTrigger != "",
	}
	notifyApprovers := p.caps.Alerts && cfg.ManualApproval()
	if notifyApprovers {
		access.ApprovalTopic = n.AlertsTopic
	}
	var boundaryArn pulumi.StringInput
	if p.caps.PermissionBoundary {
		keyAlias := ""
		if p.caps.CustomerManagedKey {
			keyAlias = n.KMSAlias
		}
		policies := identity.Policies(access).All()
		if p.caps.ComplianceMonitoring {
			policies = append(policies, monitoring.TrailDeliveryPolicy(p.arns, n.ComplianceLogGroup))
		}
		b, err := boundary.New(ctx, "boundary", boundary.Args{
			PolicyName: n.PermissionBoundary,
			Policies:   policies,
			KeyAlias:   keyAlias,
			// Regional names start with Base, IAM names with IAMBase.
			ResourcePrefixes: []string{n.Base, n.IAMBase},
			ARNs:             p.arns,
			Tags:             p.tags,
		}, providers)
		if err != nil {
			return err
		}
		boundaryArn = b.PolicyArn
		p.boundaryArn = b.PolicyArn
	}
	roles, err := identity.New(ctx, "identity", identity.Args{
		Access: access, PermissionBoundaryArn: boundaryArn, Tags: p.tags,
	}, providers)
	if err != nil {
		return err
	}

	var keyArn pulumi.StringInput
	if p.caps.CustomerManagedKey {
		logGroups := []string{n.BuildLogGroup, n.DeployLogGroup}
		var services []policydoc.Statement
		if p.caps.ComplianceMonitoring {
			logGroups = append(logGroups, n.ComplianceLogGroup)
			services = append(services, monitoring.TrailKeyStatement(p.arns, n.ComplianceTrail))
		}
		key, err := p.newKey(ctx, "encryption", encryption.Args{
			Alias:           n.KMSAlias,
			Description:     "Encrypts the artifacts, builds, logs and alerts of " + n.MLName,
			RoleArns:        roles.All(),
			LogGroupNames:   logGroups,
			AlarmsAndEvents: p.caps.Alerts,
			ServiceAccess:   services,
			Protect:         p.protect,
		}, providers)
		if err != nil {
			return err
		}
		keyArn = key.KeyArn
		p.publish(naming.OutKmsKeyArn, key.KeyArn)
	}

	bucket, err := storage.New(ctx, "artifacts", storage.Args{
		BucketName: n.ArtifactBucket, KMSKeyArn: keyArn, Protect: p.protect, EmptyOnDelete: p.emptyBucketOnDelete,
		ARNs: p.arns, Tags: p.tags,
	}, providers)
	if err != nil {
		return err
	}

	var buildVPC *pipeline.VPC
	if p.caps.PrivateNetwork {
		if buildVPC, err = p.network(ctx, awsProvider, providers); err != nil {
			return err
		}
	}

	alerts, err := p.alerts(ctx, keyArn, roles, providers)
	if err != nil {
		return err
	}
	var approvalTopic pulumi.StringInput
	if notifyApprovers {
		approvalTopic = alerts.TopicArn
	}

	pipes, err := pipeline.New(ctx, "pipelines", pipeline.Args{
		Names: pipeline.Names{
			BuildProject: n.BuildProject, DeployProject: n.DeployProject,
			BuildLogGroup: n.BuildLogGroup, DeployLogGroup: n.DeployLogGroup,
			BuildPipeline: n.BuildPipeline, DeployPipeline: n.DeployPipeline,
			ApprovedModelRule: n.ApprovedModelRule, SourceChangedRule: n.SourceChangedRule,
		},
		Source:                src,
		ManualApproval:        cfg.ManualApproval(),
		ApprovalTopicArn:      approvalTopic,
		ModelRegistryLink:     p.arns.ConsoleURL("sagemaker"),
		LogRetentionDays:      p.retention,
		KMSKeyArn:             keyArn,
		VPC:                   buildVPC,
		ModelPackageGroupName: models.GroupName,
		ApprovalStatus:        registry.PendingManualApproval,
		ArtifactBucket:        bucket.BucketName,
		CodeBuildRoleArn:      roles.CodeBuildArn,
		PipelineRoleArn:       roles.CodePipelineArn,
		SageMakerRoleArn:      roles.SageMakerArn,
		EventsRoleArn:         roles.EventsArn,
		CodeBuildPolicy:       roles.CodeBuildPolicy,
		PipelinePolicy:        roles.CodePipelinePolicy,
		EventsPolicy:          roles.EventsPolicy,
		Tags:                  p.tags,
	}, providers)
	if err != nil {
		return err
	}

	if err := p.monitoring(ctx, keyArn, alerts, providers); err != nil {
		return err
	}

	p.publish(naming.OutModelPackageGroupArn, models.GroupArn)
	p.publish(naming.OutModelPackageGroupName, models.GroupName)
	if cfg.MLProduct.SourceControl == config.SourceCodeCommit {
		p.publish(naming.OutRepositoryURL, src.BuildRepositoryURL)
		p.publish(naming.OutDeployRepositoryURL, src.DeployRepositoryURL)
	}
	if cfg.MLProduct.SourceControl == config.SourceCodeConnections {
		p.publish(naming.OutConnectionArn, src.ConnectionArn)
	}
	p.publish(naming.OutBuildPipelineName, pipes.BuildPipelineName)
	p.publish(naming.OutDeployPipelineName, pipes.DeployPipelineName)
	p.publish(naming.OutSageMakerExecutionRoleArn, roles.SageMakerArn)
	p.publish(naming.OutArtifactBucketName, bucket.BucketName)
	if p.caps.Alerts {
		// BucketName is the old contract's name of the artifact bucket output.
		p.publish(naming.OutBucketName, bucket.BucketName)
	}

	if _, err := outputs.New(ctx, "outputs", outputs.Args{
		Path: n.SSMPath, Values: p.outputs, Tags: p.tags,
	}, providers); err != nil {
		return err
	}
	for _, o := range p.outputs {
		ctx.Export(o.Key, o.Value)
	}
	ctx.Export(ExportPendingConfirmations, pulumi.ToStringArray(append([]string{}, p.pending...)))
	return nil
}

// checkAccount fails when the credentials belong to another account than the
// config's (an offline render answers with a placeholder, which passes).
func checkAccount(ctx *pulumi.Context, account string, provider pulumi.ProviderResource) error {
	id, err := aws.GetCallerIdentity(ctx, nil, pulumi.Provider(provider))
	if err != nil {
		return fmt.Errorf("reading the AWS caller identity: %w", err)
	}
	if id.AccountId != account && !provtemplate.IsPlaceholder(id.AccountId) {
		return fmt.Errorf("the AWS credentials belong to account %s but client.account_id is %s: use credentials for %s",
			id.AccountId, account, account)
	}
	ctx.Export(ExportCallerArn, pulumi.String(id.Arn))
	return nil
}

// network resolves the VPC, creates the endpoints and returns where builds run.
func (p *product) network(ctx *pulumi.Context, awsProvider pulumi.ProviderResource, providers pulumi.ResourceOption) (*pipeline.VPC, error) {
	cfg, n := p.cfg, p.names
	netCfg := cfg.MLProduct.Network
	if netCfg == nil {
		return nil, fmt.Errorf("tier %s needs ml_product.network", cfg.MLProduct.Tier)
	}
	placement := network.Placement{VpcID: netCfg.VPCID, SubnetIDs: netCfg.SubnetIDs, RouteTableIDs: netCfg.RouteTableIDs}
	if netCfg.VPCSource == config.VPCFromSSM {
		vpcName := naming.VPCName(cfg)
		placement.VPCIDParameter = naming.VPCIDParameter(vpcName)
		placement.SubnetIDsParameter = naming.PrivateSubnetIDsParameter(vpcName)
	}
	standalone := netCfg.Mode == config.NetworkStandalone
	needs := network.Needs{Services: append([]string{network.S3}, network.Services(netCfg.ExtraEndpoints)...), ARNs: p.arns}
	if standalone {
		needs.EndpointsGroupName = n.EndpointSecurityGroup
	} else {
		placement.SecurityGroupParameter = naming.SecurityGroupParameter(cfg)
	}
	where, err := network.Resolve(ctx, placement, needs, pulumi.Provider(awsProvider))
	if err != nil {
		return nil, err
	}

	args := network.Args{
		VpcID:          where.VpcID,
		SubnetIDs:      where.SubnetIDs,
		RouteTableIDs:  where.RouteTableIDs,
		Existing:       where.Existing,
		Owner:          network.Owner{MLName: p.tags[tags.MLName], TestID: p.tags[tags.TestID]},
		ExtraEndpoints: netCfg.ExtraEndpoints,
		ARNs:           p.arns,
		Tags:           p.tags,
	}
	if standalone {
		args.CreateSecurityGroup = &network.NewSecurityGroup{Name: n.EndpointSecurityGroup, VpcCIDR: where.VpcCIDR, KeptID: where.OwnGroupID}
		args.BuildSecurityGroup = &network.NewSecurityGroup{Name: n.BuildSecurityGroup, VpcCIDR: where.VpcCIDR}
	} else {
		args.SecurityGroupID = where.SecurityGroupID
	}
	endpoints, err := network.New(ctx, "network", args, providers)
	if err != nil {
		return nil, err
	}
	p.publish(naming.OutVpcEndpointIDSagemakerAPI, endpoints.EndpointIDs[network.SageMakerAPI])
	p.publish(naming.OutVpcEndpointIDSagemakerRuntime, endpoints.EndpointIDs[network.SageMakerRuntime])
	p.publish(naming.OutVpcEndpointIDS3, endpoints.EndpointIDs[network.S3])
	p.publish(naming.OutVpcEndpointIDSts, endpoints.EndpointIDs[network.STS])
	if standalone {
		p.publish(naming.OutSecurityGroupID, endpoints.SecurityGroupID)
	}
	// Builds run in their own group (standalone) or in the group the
	// security-group provisioner publishes (sgprov), never in the endpoints'.
	var buildGroup pulumi.StringInput = pulumi.String(where.SecurityGroupID)
	if standalone {
		buildGroup = endpoints.BuildSecurityGroupID
	}
	return &pipeline.VPC{
		VpcID:            pulumi.String(where.VpcID),
		SubnetIDs:        pulumi.ToStringArray(where.SubnetIDs),
		SecurityGroupIDs: pulumi.StringArray{buildGroup},
	}, nil
}

// alerts creates the security alerts topic (nil without the Alerts capability).
func (p *product) alerts(ctx *pulumi.Context, keyArn pulumi.StringInput, roles *identity.Roles, providers pulumi.ResourceOption) (*monitoring.Alerts, error) {
	n := p.names
	if !p.caps.Alerts {
		return nil, nil
	}
	if !p.caps.CustomerManagedKey {
		key, err := p.newKey(ctx, "alerts-key", encryption.Args{
			Alias:       n.AlertsKMSAlias,
			Description: "Encrypts the security alerts topic of " + n.MLName,
			// The pipeline role publishes approval requests to the topic.
			RoleArns:        pulumi.StringArray{roles.CodePipelineArn},
			AlarmsAndEvents: true,
		}, providers)
		if err != nil {
			return nil, err
		}
		keyArn = key.KeyArn
	}
	alerts, err := monitoring.NewAlerts(ctx, "alerts", monitoring.AlertsArgs{
		TopicName:          n.AlertsTopic,
		Email:              p.cfg.MLProduct.AlertsEmail,
		KMSKeyArn:          keyArn,
		Pipelines:          []string{n.BuildPipeline, n.DeployPipeline},
		PipelineFailedRule: n.PipelineFailureRule,
		ARNs:               p.arns,
		Tags:               p.tags,
	}, providers)
	if err != nil {
		return nil, err
	}
	p.publish(naming.OutAlertsTopicArn, alerts.TopicArn)
	p.pending = append(p.pending, fmt.Sprintf(
		"SNS email subscription of %s to %s is pending until the recipient confirms it", p.cfg.MLProduct.AlertsEmail, n.AlertsTopic))
	return alerts, nil
}

// monitoring creates the dashboard and compliance monitoring the tier has.
func (p *product) monitoring(ctx *pulumi.Context, keyArn pulumi.StringInput, alerts *monitoring.Alerts, providers pulumi.ResourceOption) error {
	n := p.names
	if p.caps.Dashboard {
		d, err := monitoring.NewDashboard(ctx, "dashboard", monitoring.DashboardArgs{
			DashboardName: n.Dashboard,
			Region:        p.cfg.Environment.Region,
			BuildProjects: []string{n.BuildProject, n.DeployProject},
		}, providers)
		if err != nil {
			return err
		}
		p.publish(naming.OutDashboardName, d.DashboardName)
	}
	if !p.caps.ComplianceMonitoring {
		return nil
	}
	if alerts == nil {
		return fmt.Errorf("compliance monitoring needs the alerts capability: its alarms publish to the alerts topic")
	}
	compliance, err := monitoring.NewCompliance(ctx, "compliance", monitoring.ComplianceArgs{
		LogGroupName:           n.ComplianceLogGroup,
		LogRetentionDays:       p.retention,
		KMSKeyArn:              keyArn,
		MetricNamespace:        n.MetricNamespace(),
		UnauthorizedCallsAlarm: n.UnauthorizedCallsAlarm,
		RootUsageAlarm:         n.RootUsageAlarm,
		AlarmTopicArn:          alerts.TopicArn,
		Tags:                   p.tags,
	}, providers)
	if err != nil {
		return err
	}
	p.publish(naming.OutLogGroupName, compliance.LogGroupName)

	// The product's own trail feeds the log group (see README, "Compliance").
	archive, err := storage.New(ctx, "compliance-trail-bucket", storage.Args{
		BucketName: n.TrailBucket, KMSKeyArn: keyArn, Protect: p.protect, EmptyOnDelete: p.emptyBucketOnDelete,
		ARNs: p.arns, Tags: p.tags,
		ServiceAccess: monitoring.TrailBucketStatements(p.arns, n.TrailBucket, n.ComplianceTrail),
	}, providers)
	if err != nil {
		return err
	}
	_, err = monitoring.NewTrail(ctx, "compliance-trail", monitoring.TrailArgs{
		TrailName:             n.ComplianceTrail,
		BucketName:            archive.BucketName,
		BucketPolicy:          archive.Policy,
		LogGroupName:          compliance.LogGroupName,
		RoleName:              n.CloudTrailRole,
		PermissionBoundaryArn: p.boundaryArn,
		KMSKeyArn:             keyArn,
		ARNs:                  p.arns,
		Tags:                  p.tags,
	}, providers)
	return err
}

// newKey creates a KMS key of the product: every key gets the same deletion
// window (the environment's), account/region and tags.
func (p *product) newKey(ctx *pulumi.Context, name string, args encryption.Args, opts ...pulumi.ResourceOption) (*encryption.ProductKey, error) {
	args.DeletionWindowDays = p.cfg.EnvProperties().KeyDeletionWindowDays
	args.ARNs, args.Tags = p.arns, p.tags
	return encryption.New(ctx, name, args, opts...)
}

// sourceArgs maps the config's source_control to the source component's
// plain inputs.
func sourceArgs(cfg *config.Config, n naming.Names, arns naming.ARNs, tags map[string]string) source.Args {
	args := source.Args{ARNs: arns, Tags: tags}
	switch cfg.MLProduct.SourceControl {
	case config.SourceCodeCommit:
		args.CodeCommit = &source.Repositories{Build: n.BuildRepository, Deploy: n.DeployRepository}
	case config.SourceS3:
		args.S3Prefix = cfg.MLProduct.S3Prefix
	case config.SourceCodeConnections:
		if r := cfg.MLProduct.Repository; r != nil {
			args.External = &source.ExternalRepositories{Provider: r.Provider, Build: r.Build, Deploy: r.Deploy,
				Branch: r.Branch, ConnectionARN: r.ConnectionARN, ConnectionName: n.Connection}
		}
	}
	return args
}
