package awsrules_test

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/test/fakeaws/awsrules"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
	"github.com/mlprov/mlprov/test/longest"
)

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

type product struct {
	label string
	cfg   *config.Config
}

// products are every shipped config and the longest valid config of every
// tier and source.
func products(t *testing.T) []product {
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "configs", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped configs: %v", err)
	}
	var out []product
	for _, f := range files {
		cfg, err := config.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, product{filepath.Base(f), cfg})
	}
	long, err := longest.Configs()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range long {
		out = append(out, product{"longest " + c.Label, c.Config})
	}
	return out
}

// unmapped are the types the products create whose API input members carry
// no pattern, length or enum in the model; documented rules cover them.
var unmapped = map[string]string{
	"aws:s3/bucketV2:BucketV2":                               "CreateBucket.Bucket has none: rule s3-bucket-name",
	"aws:s3/bucketPolicy:BucketPolicy":                       "PutBucketPolicy.Policy has none",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "booleans only",
	"aws:ec2/securityGroup:SecurityGroup":                    "CreateSecurityGroup members have none: rule ec2-security-group-description",
	"aws:sns/topicPolicy:TopicPolicy":                        "SetTopicAttributes.AttributeValue has none",
}

// TestEveryProductPassesEveryInputCheck renders each product (and its test
// deployment) offline and sends every resource through the double's rules as
// a create, in a cloud that already holds the product's other resources.
// Values only AWS knows (offline placeholders) are not judged.
func TestEveryProductPassesEveryInputCheck(t *testing.T) {
	exercised, rendered := map[string]bool{}, map[string]bool{}
	for _, p := range products(t) {
		docs, err := longest.Deployments(p.cfg)
		if err != nil {
			t.Fatalf("%s: %v", p.label, err)
		}
		for stack, doc := range docs {
			var cloud memCloud
			for _, r := range doc.Resources {
				if r.Custom && !strings.HasPrefix(r.Type, "pulumi:providers:") {
					cloud.resources = append(cloud.resources, cloudstate.Resource{Type: r.Type, ID: r.LogicalName, Name: r.PhysicalName, Inputs: r.Inputs})
				}
			}
			for _, r := range cloud.resources {
				rendered[r.Type] = true
				applied, err := awsrules.Check(awsrules.Request{Op: cloudstate.OpCreate, Type: r.Type, ID: r.ID, Inputs: r.Inputs,
					Account: p.cfg.Client.AccountID, Region: p.cfg.Environment.Region, Cloud: cloud})
				if err != nil {
					t.Errorf("%s (%s) %s %s: %v", p.label, stack, r.Type, r.ID, err)
				}
				for _, a := range applied {
					exercised[a] = true
				}
			}
		}
	}
	for typ := range rendered {
		if _, ok := unmapped[typ]; !ok && !slices.Contains(awsrules.MappedTypes(), typ) {
			t.Errorf("%s: the products create it, but members.json maps none of its inputs to the API model", typ)
		}
	}
	var missing []string
	for _, name := range awsrules.RuleNames() {
		// Delete rules are exercised by the lifecycles, not on create.
		if !exercised[name] && !slices.Contains([]string{"s3-delete-bucket-not-empty", "ec2-delete-security-group-in-use"}, name) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("documented rules no product exercised on create: %v", missing)
	}
	api := 0
	for name := range exercised {
		if strings.HasPrefix(name, "api:") {
			api++
		}
	}
	t.Logf("%d rules exercised (%d from the API models)", len(exercised), api)
}
