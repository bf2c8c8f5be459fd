package iampolicy

import (
	"sort"
	"strings"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/environments"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/provtemplate"
)

// The environment table (README "Deployer policy per environment"):
//
//	dev, test: deploy, update and delete everything.
//	staging:   deploy and update; the product's stateful resources (bucket,
//	           key, repositories, model registry) cannot be deleted, so
//	           neither can the product, while every other resource can still
//	           be replaced. The deny names this product's own ARNs, so test
//	           deployments (other names) stay deletable.
//	prod:      every mutating action needs MFA, except for the one CI role
//	           the config names (environment.ci_deployer_role_arn). Reads
//	           never need MFA: a drift check must work from any session.
func environmentRules(doc *provtemplate.Document, arns naming.ARNs, allowed map[string]bool) []policydoc.Statement {
	env, _ := environments.Of(doc.Product.Env)
	var out []policydoc.Statement
	if env.NoStatefulDeletes {
		out = append(out, denyStatefulDeletes(doc, arns)...)
	}
	if env.MFAForMutating {
		out = append(out, denyMutatingWithoutMFA(allowed, doc.Product.CIDeployerRoleARN))
	}
	return out
}

// statefulDeletes are, per stateful type, the action that destroys it and
// its ARN; a key's id is generated, so it is matched by the product tag.
var statefulDeletes = map[string]struct {
	action string
	arn    func(naming.ARNs, string) string
}{
	awstypes.S3BucketV2:                       {"s3:DeleteBucket", naming.ARNs.Bucket},
	awstypes.CodeCommitRepository:             {"codecommit:DeleteRepository", naming.ARNs.Repository},
	awstypes.NativeSageMakerModelPackageGroup: {"sagemaker:DeleteModelPackageGroup", naming.ARNs.ModelPackageGroup},
	typeKMSKey: {"kms:ScheduleKeyDeletion", nil},
}

// denyStatefulDeletes is staging's guard against deleting the product.
func denyStatefulDeletes(doc *provtemplate.Document, arns naming.ARNs) []policydoc.Statement {
	byARN := policydoc.Statement{Sid: denyStatefulDeleteSid, Effect: "Deny"}
	var key *policydoc.Statement
	for _, r := range doc.Resources {
		d, ok := statefulDeletes[r.Type]
		switch {
		case !ok || !r.Custom:
		case d.arn == nil:
			key = &policydoc.Statement{Sid: denyStatefulDeleteSid + "Key", Effect: "Deny", Action: []string{d.action},
				Resource:  []string{arns.KMSKey("*")},
				Condition: policydoc.Condition{"StringEquals": {"aws:ResourceTag/" + productTag: {doc.Product.MLName}}}}
		default:
			byARN.Action = appendUnique(byARN.Action, d.action)
			byARN.Resource = appendUnique(byARN.Resource, d.arn(arns, r.PhysicalName))
		}
	}
	sort.Strings(byARN.Action)
	sort.Strings(byARN.Resource)
	var out []policydoc.Statement
	if len(byARN.Resource) > 0 {
		out = append(out, byARN)
	}
	if key != nil {
		out = append(out, *key)
	}
	return out
}

// denyMutatingWithoutMFA is production's guard: every allowed action that
// is not a read needs MFA, unless the caller is the configured CI role.
func denyMutatingWithoutMFA(allowed map[string]bool, ciRole string) policydoc.Statement {
	mutating := map[string]bool{}
	for a := range allowed {
		if !isReadOnly(a) {
			mutating[a] = true
		}
	}
	cond := policydoc.Condition{"BoolIfExists": {mfaKey: {"false"}}}
	if ciRole != "" {
		cond["ArnNotEquals"] = map[string][]string{principalARNKey: {ciRole}}
	}
	return policydoc.Statement{Sid: denyWithoutMFASid, Effect: "Deny", Action: sortedKeys(mutating), Resource: []string{"*"}, Condition: cond}
}

// readOnlyVerbs start the names of actions with AWS access level Read or
// List (Service Authorization Reference) among those the policy uses.
var readOnlyVerbs = []string{"Get", "List", "Describe", "BatchGet", "Head"}

func isReadOnly(action string) bool {
	_, name, _ := strings.Cut(action, ":")
	for _, v := range readOnlyVerbs {
		if strings.HasPrefix(name, v) {
			return true
		}
	}
	return false
}
