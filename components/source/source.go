// Package source is where the model build and deploy code lives: two
// CodeCommit repositories, objects in an existing S3 bucket, or a
// CodeConnections connection to an external Git provider.
package source

import (
	"fmt"
	"strings"

	"github.com/mlprov/mlprov/components/policydoc"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
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

// Args configures the source.
type Args struct {
	Kind config.SourceControl
	// CodeCommit repository names (codecommit).
	BuildRepository, DeployRepository string
	// S3Prefix is bucket[/prefix] (s3).
	S3Prefix string
	// Repository is the external repository pair (codeconnections).
	Repository *config.Repository
	// ConnectionName names a connection created when Repository.ConnectionARN is empty.
	ConnectionName string
	ARNs           naming.ARNs
	Tags           map[string]string
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
}

// New creates the source resources of args.Kind.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Source, error) {
	c := &Source{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	var err error
	switch args.Kind {
	case config.SourceCodeCommit:
		err = c.codeCommit(ctx, name, args)
	case config.SourceS3:
		err = c.s3(args)
	case config.SourceCodeConnections:
		err = c.codeConnections(ctx, name, args)
	default:
		err = fmt.Errorf("source control %q is not one of codecommit, s3, codeconnections", args.Kind)
	}
	if err != nil {
		return nil, err
	}
	outs := pulumi.Map{}
	if args.Kind == config.SourceCodeCommit {
		outs["buildRepositoryUrl"] = c.BuildRepositoryURL
		outs["deployRepositoryUrl"] = c.DeployRepositoryURL
	}
	if args.Kind == config.SourceCodeConnections {
		outs["connectionArn"] = c.ConnectionArn
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
}

func (c *Source) codeCommit(ctx *pulumi.Context, name string, args Args) error {
	repo := func(suffix, repoName, purpose string) (*codecommit.Repository, error) {
		return codecommit.NewRepository(ctx, name+"-"+suffix, &codecommit.RepositoryArgs{
			RepositoryName: pulumi.String(repoName),
			Description:    pulumi.String(purpose),
			Tags:           pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
	}
	build, err := repo("model-build", args.BuildRepository, "Model build code (training pipeline definition)")
	if err != nil {
		return err
	}
	deploy, err := repo("model-deploy", args.DeployRepository, "Model deploy code (endpoint configuration)")
	if err != nil {
		return err
	}
	c.BuildRepositoryURL = build.CloneUrlHttp
	c.DeployRepositoryURL = deploy.CloneUrlHttp
	action := func(repoName string) Action {
		return Action{Provider: "CodeCommit", Configuration: pulumi.StringMap{
			"RepositoryName":       pulumi.String(repoName),
			"BranchName":           pulumi.String("main"),
			"PollForSourceChanges": pulumi.String("false"),
		}}
	}
	c.Build, c.Deploy = action(args.BuildRepository), action(args.DeployRepository)
	c.PipelineRead = []policydoc.Statement{policydoc.Allow("ReadSourceRepositories",
		[]string{"codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetRepository",
			"codecommit:UploadArchive", "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"},
		[]string{args.ARNs.Repository(args.BuildRepository), args.ARNs.Repository(args.DeployRepository)})}
	return nil
}

// s3 creates nothing: the bucket belongs to the user; the pipelines read two objects.
func (c *Source) s3(args Args) error {
	bucket, prefix, _ := strings.Cut(strings.Trim(args.S3Prefix, "/"), "/")
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
	c.PipelineRead = []policydoc.Statement{
		policydoc.Allow("ReadSourceObjects", []string{"s3:GetObject", "s3:GetObjectVersion"},
			[]string{args.ARNs.Object(bucket + "/" + key(BuildObject)), args.ARNs.Object(bucket + "/" + key(DeployObject))}),
		policydoc.Allow("ReadSourceBucket", []string{"s3:GetBucketVersioning", "s3:GetBucketLocation"},
			[]string{args.ARNs.Bucket(bucket)}),
	}
	return nil
}

func (c *Source) codeConnections(ctx *pulumi.Context, name string, args Args) error {
	repo := args.Repository
	if repo == nil {
		return fmt.Errorf("codeconnections source needs ml_product.repository")
	}
	connResource := repo.ConnectionARN
	if repo.ConnectionARN != "" {
		c.ConnectionArn = pulumi.String(repo.ConnectionARN).ToStringOutput()
	} else {
		conn, err := codeconnections.NewConnection(ctx, name+"-connection", &codeconnections.ConnectionArgs{
			Name:         pulumi.String(args.ConnectionName),
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
	action := func(fullRepo string) Action {
		return Action{Provider: "CodeStarSourceConnection", Configuration: pulumi.StringMap{
			"ConnectionArn":    c.ConnectionArn,
			"FullRepositoryId": pulumi.String(fullRepo),
			"BranchName":       pulumi.String(repo.Branch),
			"DetectChanges":    pulumi.String("true"),
		}}
	}
	c.Build, c.Deploy = action(repo.Build), action(repo.Deploy)
	// Both service prefixes name the same connections; each checks its own repository key.
	use := func(prefix string) policydoc.Statement {
		return policydoc.Allow("UseSourceConnection"+strings.ReplaceAll(prefix, "-", ""),
			[]string{prefix + ":UseConnection"}, []string{connResource}).
			When("StringEquals", prefix+":FullRepositoryId", repo.Build, repo.Deploy)
	}
	c.PipelineRead = []policydoc.Statement{use("codeconnections"), use("codestar-connections")}
	return nil
}
