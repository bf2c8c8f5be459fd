// Package source is where the model build and deploy code lives: two
// CodeCommit repositories, objects in an existing S3 bucket, or a
// CodeConnections connection to an external Git provider.
package source

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/warnings"
	s3native "github.com/pulumi/pulumi-aws-native/sdk/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codecommit"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codeconnections"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:source:Source"

// Object keys of the S3 source under s3_prefix.
const (
	BuildObject  = "model-build.zip"
	DeployObject = "model-deploy.zip"
)

// Args configures the source: exactly one of CodeCommit, S3Prefix and
// External says where the code lives. The component knows nothing of the
// config file; the program maps it.
type Args struct {
	// CodeCommit names the two repositories to create.
	CodeCommit *Repositories
	// S3Prefix is bucket[/prefix] of an existing versioned bucket.
	S3Prefix string
	// External is a repository pair reached through a CodeConnections connection.
	External *ExternalRepositories
	ARNs     naming.ARNs
	Tags     map[string]string
}

// Repositories are the build and deploy repositories.
type Repositories struct{ Build, Deploy string }

// ExternalRepositories are owner/name repositories at a Git provider.
type ExternalRepositories struct {
	Provider      string // GitHub, GitHubEnterpriseServer, GitLab, Bitbucket
	Build, Deploy string // owner/name
	Branch        string
	// ConnectionARN reuses a connection; when empty one named
	// ConnectionName is created.
	ConnectionARN, ConnectionName string
}

// Action is a pipeline source action: provider and configuration.
type Action struct {
	Provider      string
	Configuration pulumi.StringMap
}

// Source is the code location of both pipelines.
type Source struct {
	pulumi.ResourceState

	Build, Deploy Action
	// BuildRepositoryURL / DeployRepositoryURL are the HTTPS clone URLs (codecommit only).
	BuildRepositoryURL, DeployRepositoryURL pulumi.StringOutput
	// ConnectionArn is the connection (codeconnections only).
	ConnectionArn pulumi.StringOutput
	// ConnectionPending is true when the connection was created here and
	// needs a console handshake before the pipelines can use it.
	ConnectionPending bool
	// PipelineRead is what the pipeline role needs to read the source.
	PipelineRead []policydoc.Statement
	// BuildTrigger is the EventBridge pattern of a change to the build source
	// that must start the build pipeline; "" when the source action detects
	// changes itself (CodeConnections). Nothing starts the deploy pipeline on
	// a source change: only an approved model does.
	BuildTrigger string
	// PendingSetup is what the user must do once for changes to be detected.
	PendingSetup []string
}

// New creates the source resources of the one source args names.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Source, error) {
	given := 0
	for _, set := range []bool{args.CodeCommit != nil, args.S3Prefix != "", args.External != nil} {
		if set {
			given++
		}
	}
	if given != 1 {
		return nil, fmt.Errorf("source: exactly one of CodeCommit, S3Prefix and External must be set, got %d", given)
	}
	c := &Source{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	outs := pulumi.Map{}
	var err error
	switch {
	case args.CodeCommit != nil:
		err = c.codeCommit(ctx, name, *args.CodeCommit, args)
		outs["buildRepositoryUrl"] = c.BuildRepositoryURL
		outs["deployRepositoryUrl"] = c.DeployRepositoryURL
	case args.S3Prefix != "":
		err = c.s3(ctx, args)
	default:
		err = c.codeConnections(ctx, name, *args.External, args)
		outs["connectionArn"] = c.ConnectionArn
	}
	if err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
}

func (c *Source) codeCommit(ctx *pulumi.Context, name string, repos Repositories, args Args) error {
	repo := func(suffix, repoName, purpose string) (*codecommit.Repository, error) {
		return codecommit.NewRepository(ctx, name+"-"+suffix, &codecommit.RepositoryArgs{
			RepositoryName: pulumi.String(repoName),
			Description:    pulumi.String(purpose),
			Tags:           pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
	}
	build, err := repo("model-build", repos.Build, "Model build code (training pipeline definition)")
	if err != nil {
		return err
	}
	deploy, err := repo("model-deploy", repos.Deploy, "Model deploy code (endpoint configuration)")
	if err != nil {
		return err
	}
	c.BuildRepositoryURL = build.CloneUrlHttp
	c.DeployRepositoryURL = deploy.CloneUrlHttp
	action := func(repoName string) Action {
		return Action{Provider: "CodeCommit", Configuration: pulumi.StringMap{
			"RepositoryName":       pulumi.String(repoName),
			"BranchName":           pulumi.String(Branch),
			"PollForSourceChanges": pulumi.String("false"),
		}}
	}
	c.Build, c.Deploy = action(repos.Build), action(repos.Deploy)
	c.BuildTrigger = CodeCommitPushPattern(args.ARNs.Repository(repos.Build), Branch)
	c.PipelineRead = []policydoc.Statement{policydoc.Allow("ReadSourceRepositories",
		[]string{"codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetRepository",
			"codecommit:UploadArchive", "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"},
		[]string{args.ARNs.Repository(repos.Build), args.ARNs.Repository(repos.Deploy)})}
	return nil
}

// s3 creates nothing: the bucket belongs to the user; the pipelines read two
// objects. It reads the bucket's notification setting: without EventBridge
// notifications a new object starts nothing.
func (c *Source) s3(ctx *pulumi.Context, args Args) error {
	bucket, prefix := SplitS3Prefix(args.S3Prefix)
	if bucket == "" {
		return fmt.Errorf("s3 source needs s3_prefix as bucket[/prefix], got %q", args.S3Prefix)
	}
	key := func(object string) string {
		if prefix == "" {
			return object
		}
		return prefix + "/" + object
	}
	action := func(object string) Action {
		return Action{Provider: "S3", Configuration: pulumi.StringMap{
			"S3Bucket":             pulumi.String(bucket),
			"S3ObjectKey":          pulumi.String(key(object)),
			"PollForSourceChanges": pulumi.String("false"),
		}}
	}
	c.Build, c.Deploy = action(BuildObject), action(DeployObject)
	c.BuildTrigger = S3ObjectCreatedPattern(bucket, key(BuildObject))
	on, err := eventBridgeNotificationsOn(ctx, bucket, c)
	if err != nil {
		return err
	}
	if !on {
		// A warning, not an error: the bucket belongs to the user, the
		// product deploys and works once its owner turns them on (README,
		// "How the pipelines start").
		setup := S3EventBridgeSetup(bucket)
		warnings.Warn(ctx, setup)
		c.PendingSetup = []string{setup}
	}
	c.PipelineRead = []policydoc.Statement{
		policydoc.Allow("ReadSourceObjects", []string{"s3:GetObject", "s3:GetObjectVersion"},
			[]string{args.ARNs.Object(bucket + "/" + key(BuildObject)), args.ARNs.Object(bucket + "/" + key(DeployObject))}),
		policydoc.Allow("ReadSourceBucket", []string{"s3:GetBucketVersioning", "s3:GetBucketLocation"},
			[]string{args.ARNs.Bucket(bucket)}),
	}
	return nil
}

func (c *Source) codeConnections(ctx *pulumi.Context, name string, repo ExternalRepositories, args Args) error {
	connResource := repo.ConnectionARN
	if repo.ConnectionARN != "" {
		c.ConnectionArn = pulumi.String(repo.ConnectionARN).ToStringOutput()
	} else {
		conn, err := codeconnections.NewConnection(ctx, name+"-connection", &codeconnections.ConnectionArgs{
			Name:         pulumi.String(repo.ConnectionName),
			ProviderType: pulumi.String(repo.Provider),
			Tags:         pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return err
		}
		c.ConnectionArn = conn.Arn
		c.ConnectionPending = true
		// The ARN carries a generated id; scope by account and repository instead.
		connResource = args.ARNs.Connections()
	}
	// The build pipeline starts on a push (the action's own trigger); the
	// deploy pipeline never does — only an approved model starts it.
	action := func(fullRepo string, detectChanges bool) Action {
		return Action{Provider: "CodeStarSourceConnection", Configuration: pulumi.StringMap{
			"ConnectionArn":    c.ConnectionArn,
			"FullRepositoryId": pulumi.String(fullRepo),
			"BranchName":       pulumi.String(repo.Branch),
			"DetectChanges":    pulumi.String(strconv.FormatBool(detectChanges)),
		}}
	}
	c.Build, c.Deploy = action(repo.Build, true), action(repo.Deploy, false)
	// Both service prefixes name the same connections; each checks its own repository key.
	use := func(prefix string) policydoc.Statement {
		return policydoc.Allow("UseSourceConnection"+strings.ReplaceAll(prefix, "-", ""),
			[]string{prefix + ":UseConnection"}, []string{connResource}).
			When("StringEquals", prefix+":FullRepositoryId", repo.Build, repo.Deploy)
	}
	c.PipelineRead = []policydoc.Statement{use("codeconnections"), use("codestar-connections")}
	return nil
}

// Branch is the CodeCommit branch both pipelines build from.
const Branch = "main"

// CodeCommitPushPattern matches a commit to branch of the repository: the
// change-detection rule AWS requires when PollForSourceChanges is false
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-repo-changes-cfn.html;
// event shape: https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html).
func CodeCommitPushPattern(repositoryArn, branch string) string {
	return patternJSON(map[string]any{
		"source":      []string{"aws.codecommit"},
		"detail-type": []string{"CodeCommit Repository State Change"},
		"resources":   []string{repositoryArn},
		"detail": map[string]any{
			"event":         []string{"referenceCreated", "referenceUpdated"},
			"referenceType": []string{"branch"},
			"referenceName": []string{branch},
		},
	})
}

// S3ObjectCreatedPattern matches a new version of one source object, as S3
// sends it to EventBridge once the bucket has EventBridge notifications on
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/create-S3-source-events.html;
// event shape: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
func S3ObjectCreatedPattern(bucket, key string) string {
	return patternJSON(map[string]any{
		"source":      []string{"aws.s3"},
		"detail-type": []string{"Object Created"},
		"detail": map[string]any{
			"bucket": map[string]any{"name": []string{bucket}},
			"object": map[string]any{"key": []string{key}},
		},
	})
}

// SplitS3Prefix splits s3_prefix (bucket[/prefix]) into the bucket and the
// key prefix.
func SplitS3Prefix(s3Prefix string) (bucket, prefix string) {
	bucket, prefix, _ = strings.Cut(strings.Trim(s3Prefix, "/"), "/")
	return bucket, prefix
}

// eventBridgeNotificationsOn reads whether the bucket sends its events to
// EventBridge: the bucket's NotificationConfiguration.EventBridgeConfiguration
// (AWS::S3::Bucket, read through Cloud Control by the aws-native provider;
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html).
func eventBridgeNotificationsOn(ctx *pulumi.Context, bucket string, parent pulumi.Resource) (bool, error) {
	b, err := s3native.LookupBucket(ctx, &s3native.LookupBucketArgs{BucketName: bucket}, pulumi.Parent(parent))
	if err != nil {
		return false, fmt.Errorf("S3 source bucket %s: cannot read its notification settings (the bucket must exist and the deployer read it): %w", bucket, err)
	}
	n := b.NotificationConfiguration
	return n != nil && n.EventBridgeConfiguration != nil && n.EventBridgeConfiguration.EventBridgeEnabled, nil
}

// S3EventBridgeSetup tells the owner of the source bucket how to turn on
// EventBridge notifications, keeping the bucket's other notifications: the
// put call replaces the whole notification configuration.
func S3EventBridgeSetup(bucket string) string {
	return fmt.Sprintf("S3 source bucket %[1]s must send events to EventBridge, or a new source object starts nothing. "+
		"Enable it, keeping the bucket's other notifications: aws s3api get-bucket-notification-configuration --bucket %[1]s --output json "+
		"| jq -s '(.[0] // {}) + {\"EventBridgeConfiguration\": {}}' > notification.json && "+
		"aws s3api put-bucket-notification-configuration --bucket %[1]s --notification-configuration file://notification.json", bucket)
}

func patternJSON(p map[string]any) string {
	b, err := json.Marshal(p)
	if err != nil {
		panic("source: " + err.Error()) // unreachable: strings, slices and maps only
	}
	return string(b)
}
