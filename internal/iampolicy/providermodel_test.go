package iampolicy

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/iampolicy/providercalls"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
)

// The proofs in this file take the provider's calls from the independent
// model (providercalls, written from the Terraform AWS provider source),
// never from table.go, which the policy is generated from.

func providerModel(t testing.TB) *providercalls.Model {
	t.Helper()
	m, err := providercalls.Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestProviderModelCoversEveryRenderedType(t *testing.T) {
	m := providerModel(t)
	missing := map[string][]string{}
	seen := 0
	for file, cfg := range configs(t) {
		doc := renderConfig(t, cfg)
		for _, token := range templateTokens(doc) {
			seen++
			if _, ok := m.Types[token]; !ok {
				missing[token] = append(missing[token], file)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no resource types found in the rendered templates")
	}
	for token, files := range missing {
		t.Errorf("%s (in %d templates, e.g. %s) has no entry in providercalls/testdata/provider-calls.yaml", token, len(files), files[0])
	}
}

func TestProviderModelCoverageFailsOnAnUnknownType(t *testing.T) {
	m := providerModel(t)
	_, err := m.Requests(providercalls.Resource{Type: "aws:new/thing:Thing"}, providercalls.Create, nil)
	if err == nil || !strings.Contains(err.Error(), "aws:new/thing:Thing") {
		t.Fatalf("an unmodelled type: %v, want an error naming it", err)
	}
}

// templateTokens are the custom resource types and invoke tokens of doc.
func templateTokens(doc *provtemplate.Document) []string {
	set := map[string]bool{}
	for _, r := range doc.Resources {
		if r.Custom {
			set[r.Type] = true
		}
	}
	for _, l := range doc.Lookups {
		set[l.Token] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// modelRequest is one request the model implies, with what it proves.
type modelRequest struct {
	providercalls.Request
	what string // "create aws:s3/bucketV2:BucketV2 name"
	op   string // create, read, update.<prop>, delete, invoke, configure
	// stateful: deleting a stateful resource (registry, bucket, key,
	// repository), which staging denies.
	stateful bool
}

// modelRequests lists every request the model implies for one rendered
// product: configure, create, read (refresh, no-op), each modelled property
// update, and delete of every resource; every invoke.
func modelRequests(t testing.TB, m *providercalls.Model, doc *provtemplate.Document) []modelRequest {
	t.Helper()
	p := doc.Product
	arns := naming.ARNsFor(p.AccountID, p.Region)
	resources := make([]providercalls.Resource, 0, len(doc.Resources))
	byARN := map[string]map[string]any{}
	for _, r := range doc.Resources {
		if !r.Custom {
			continue
		}
		id, _ := render.Synthesize(arns, r.Type, r.LogicalName, r.PhysicalName, r.Inputs)
		res := providercalls.Resource{Type: r.Type, Name: r.PhysicalName, ID: id, Inputs: r.Inputs, Account: p.AccountID, Region: p.Region}
		resources = append(resources, res)
		if arn := m.SelfARN(res); arn != "" {
			byARN[arn] = r.Inputs
		}
	}
	lookup := func(arn string) map[string]any { return byARN[arn] }
	var out []modelRequest
	add := func(res providercalls.Resource, op string, reqs []providercalls.Request, err error) {
		if err != nil {
			t.Fatalf("%s %s %q: %v", op, res.Type, res.Name, err)
		}
		for _, q := range reqs {
			out = append(out, modelRequest{Request: q, what: fmt.Sprintf("%s %s %q", op, res.Type, res.Name+res.ID), op: op,
				stateful: op == "delete" && stagingProtected[res.Type] == q.Action})
		}
	}
	for _, res := range resources {
		res.Lookup = lookup
		if strings.HasPrefix(res.Type, "pulumi:providers:") {
			reqs, err := m.Requests(res, providercalls.Configure, nil)
			add(res, "configure", reqs, err)
			continue
		}
		fresh := res
		fresh.ID = ""
		reqs, err := m.Requests(fresh, providercalls.Create, nil)
		add(res, "create", reqs, err)
		reqs, err = m.Requests(res, providercalls.Read, nil)
		add(res, "read", reqs, err)
		for _, prop := range m.AllUpdates(res.Type) {
			reqs, err := m.UpdateRequests(res, prop)
			add(res, "update."+prop, reqs, err)
		}
		reqs, err = m.Requests(res, providercalls.Delete, nil)
		add(res, "delete", reqs, err)
	}
	for _, l := range doc.Lookups {
		res := providercalls.Resource{Type: l.Token, Inputs: l.Args, Account: p.AccountID, Region: p.Region, Lookup: lookup}
		reqs, err := m.Requests(res, providercalls.Invoke, nil)
		add(res, "invoke", reqs, err)
	}
	return out
}

// stagingProtected are the deletes staging must refuse, per type: the
// product's stateful resources (the environment table in the README).
var stagingProtected = map[string]string{
	"aws:s3/bucketV2:BucketV2":               "s3:DeleteBucket",
	"aws:kms/key:Key":                        "kms:ScheduleKeyDeletion",
	"aws:codecommit/repository:Repository":   "codecommit:DeleteRepository",
	"aws-native:sagemaker:ModelPackageGroup": "sagemaker:DeleteModelPackageGroup",
}

// session is the request context of the deploying identity.
func session(r providercalls.Request, mfa bool, principal string) Request {
	ctx := map[string][]string{mfaKey: {fmt.Sprint(mfa)}, principalARNKey: {principal}}
	for k, v := range r.Context {
		ctx[k] = v
	}
	return Request{Action: r.Action, Resource: r.Resource, Context: ctx}
}

// someCIRole is a principal that is no configured CI role.
const someHumanRole = "arn:aws:iam::123456789012:role/human-operator"

func TestDeployerPolicySufficesForEveryModelledCall(t *testing.T) {
	m := providerModel(t)
	for file, cfg := range configs(t) {
		t.Run(file, func(t *testing.T) {
			doc := renderConfig(t, cfg)
			policy := generate(t, doc)
			for _, q := range modelRequests(t, m, doc) {
				want := Allowed
				if cfg.Environment.Env == "staging" && q.stateful {
					want = ExplicitDeny
				}
				expectDecision(t, policy, q, session(q.Request, true, someHumanRole), want)
			}
		})
	}
}

func TestStagingDeniesDeletingStatefulResourcesOnly(t *testing.T) {
	m := providerModel(t)
	for file, cfg := range configs(t) {
		if cfg.Environment.Env != "staging" {
			continue
		}
		t.Run(file, func(t *testing.T) {
			doc := renderConfig(t, cfg)
			policy := generate(t, doc)
			denied := map[string]bool{}
			for _, q := range modelRequests(t, m, doc) {
				got, err := Evaluate(policy, session(q.Request, true, someHumanRole))
				if err != nil {
					t.Fatal(err)
				}
				if got == ExplicitDeny {
					denied[q.Action] = true
				}
				if q.op == "delete" && !q.stateful && got != Allowed {
					t.Errorf("%s: %s: %v; replacing a stateless resource must stay possible", q.what, q.Request, got)
				}
			}
			for typ, action := range stagingProtected {
				if hasType(doc, typ) && !denied[action] {
					t.Errorf("deleting the %s (%s) is not denied", typ, action)
				}
			}
		})
	}
}

func hasType(doc *provtemplate.Document, typ string) bool {
	for _, r := range doc.Resources {
		if r.Type == typ {
			return true
		}
	}
	return false
}

const ciRole = "arn:aws:iam::123456789012:role/ml-deployer-ci"

func TestProductionMutationsNeedMFAOrTheConfiguredCIRole(t *testing.T) {
	m := providerModel(t)
	tested := 0
	for file, cfg := range configs(t) {
		if !cfg.IsProd() {
			continue
		}
		tested++
		t.Run(file, func(t *testing.T) {
			withCI := *cfg
			withCI.Environment.CIDeployerRoleARN = ciRole
			withCI.Client.AccountID = "123456789012"
			doc := renderConfig(t, &withCI)
			policy := generate(t, doc)
			withoutCI := generate(t, renderConfig(t, cfg))
			mutations := 0
			for _, q := range modelRequests(t, m, doc) {
				want := Allowed
				if isMutatingAPI(q.API) {
					want = ExplicitDeny
					mutations++
				}
				expectDecision(t, policy, q, session(q.Request, false, someHumanRole), want)
				expectDecision(t, policy, q, session(q.Request, false, ciRole), Allowed)
				if want == ExplicitDeny {
					expectDecision(t, withoutCI, q, session(q.Request, false, ciRole), ExplicitDeny)
				}
			}
			if mutations == 0 {
				t.Fatal("no mutating call found")
			}
		})
	}
	if tested == 0 {
		t.Fatal("no prod config shipped")
	}
}

// isMutatingAPI judges by the SDK operation the provider calls: one that
// only reads starts with one of these verbs.
func isMutatingAPI(api string) bool {
	_, op, _ := strings.Cut(api, ".")
	for _, verb := range []string{"Get", "List", "Describe", "Head", "BatchGet"} {
		if strings.HasPrefix(op, verb) {
			return false
		}
	}
	return true
}

func expectDecision(t *testing.T, policy []policydoc.Document, q modelRequest, r Request, want Decision) {
	t.Helper()
	got, err := Evaluate(policy, r)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s: %s as %s (MFA %s): %v, want %v (%s)", q.what, q.Request, r.Context[principalARNKey][0], r.Context[mfaKey][0], got, want, q.Src)
	}
}

func TestDeployerPolicyDeniesOtherProducts(t *testing.T) {
	m := providerModel(t)
	for file, cfg := range configs(t) {
		t.Run(file, func(t *testing.T) {
			policy := generate(t, renderConfig(t, cfg))
			own := map[string]bool{}
			for _, q := range modelRequests(t, m, renderConfig(t, cfg)) {
				own[q.Action+" "+q.Resource] = true
			}
			for what, other := range otherProductsAndAccount(cfg) {
				for _, q := range modelRequests(t, m, renderConfig(t, other)) {
					if own[q.Action+" "+q.Resource] || sharedByDesign(q.Request) {
						continue // the same ARN: something both products use (the VPC, "*" lists)
					}
					if got, _ := Evaluate(policy, session(q.Request, true, someHumanRole)); got == Allowed {
						t.Errorf("%s: %s: %s is allowed (%s)", what, q.what, q.Request, q.Src)
					}
				}
			}
		})
	}
}

// otherProductsAndAccount adds another account to otherProducts.
func otherProductsAndAccount(cfg *config.Config) map[string]*config.Config {
	out := otherProducts(cfg)
	c := *cfg
	c.Client.AccountID = "210987654321"
	out["other account"] = &c
	return out
}

// sharedByDesign are requests the policy grants beyond one product, each
// documented: actions without resource types (Unscopable) and the reads of
// a key or connection right after create, which cannot use the product
// tag yet (the account's key/* and connection/* in the region).
//
// Also shared: the network a product attaches to (its VPC, subnets, route
// tables and the security groups its endpoints use), which it does not own
// and with vpc_source ssm learns only at deploy time.
func sharedByDesign(r providercalls.Request) bool {
	if r.Resource == "*" {
		return true
	}
	for _, kind := range []string{":vpc/", ":subnet/", ":route-table/"} {
		if strings.Contains(r.Resource, kind) {
			return true
		}
	}
	if strings.Contains(r.Resource, ":security-group/") && strings.HasSuffix(r.Action, "VpcEndpoint") {
		return true
	}
	for _, a := range NewResourceActions {
		if a == r.Action {
			return true
		}
	}
	return false
}

// A connection made before the CodeConnections rename keeps its
// codestar-connections ARN, and AWS then checks codestar-connections:PassConnection.
func TestLegacyCodeStarConnectionIsPassedWithItsOwnPrefix(t *testing.T) {
	m := providerModel(t)
	cfg := configs(t)["edge-staging-e042-eu-west-1-fraud-ml-codeconnections.yaml"]
	if cfg == nil || cfg.MLProduct.Repository == nil || cfg.MLProduct.Repository.ConnectionARN == "" {
		t.Fatal("the shipped staging codeconnections config no longer reuses a connection")
	}
	legacy := *cfg
	repo := *cfg.MLProduct.Repository
	repo.ConnectionARN = strings.Replace(repo.ConnectionARN, ":codeconnections:", ":codestar-connections:", 1)
	legacy.MLProduct.Repository = &repo
	doc := renderConfig(t, &legacy)
	policy := generate(t, doc)
	passes := 0
	for _, q := range modelRequests(t, m, doc) {
		if !strings.HasSuffix(q.Action, ":PassConnection") {
			continue
		}
		passes++
		if q.Action != "codestar-connections:PassConnection" || q.Resource != repo.ConnectionARN {
			t.Errorf("%s: %s, want codestar-connections:PassConnection on %s", q.what, q.Request, repo.ConnectionARN)
		}
		expectDecision(t, policy, q, session(q.Request, true, someHumanRole), Allowed)
		renamed := q.Request
		renamed.Action = "codeconnections:PassConnection"
		if got, _ := Evaluate(policy, session(renamed, true, someHumanRole)); got == Allowed {
			t.Errorf("codeconnections:PassConnection on the legacy ARN is granted; AWS would never check it")
		}
	}
	if passes == 0 {
		t.Fatal("no PassConnection request for the pipeline's connection")
	}
}
