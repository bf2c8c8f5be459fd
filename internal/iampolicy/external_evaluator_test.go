package iampolicy

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/test/iamsim"
)

// The external evaluator (test/iamsim) and mlprov's Decisions in its words.
var externalVerdict = map[Decision]string{Allowed: iamsim.Allowed, ExplicitDeny: iamsim.ExplicitlyDenied, ImplicitDeny: iamsim.ImplicitlyDenied}

// simRequest is one request to the external evaluator.
type simRequest = iamsim.Request

// defaultKeyPolicy is the default KMS key policy, which lets IAM policies of
// the key's account grant access to it (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
// A KMS request needs the key policy too; with this one the verdict is the
// identity policy's, which is what these tests judge.
func defaultKeyPolicy(account string) *policydoc.Document {
	d := policydoc.New(policydoc.Statement{Sid: "EnableIAMUserPermissions", Effect: "Allow",
		Principal: &policydoc.Principal{AWS: []string{"arn:aws:iam::" + account + ":root"}}, Action: []string{"kms:*"}, Resource: []string{"*"}})
	return &d
}

// judged is one request with both evaluators' verdicts.
type judged struct {
	modelRequest
	sim      simRequest
	internal Decision
	external string
}

// judgeBoth evaluates every request with mlprov's evaluator and the external one.
func judgeBoth(t *testing.T, policy []policydoc.Document, reqs []modelRequest, sessions []simRequest) []judged {
	t.Helper()
	var sims []simRequest
	var out []judged
	seen := map[string]bool{}
	for _, q := range reqs {
		for _, s := range sessions {
			r := session(q.Request, s.Context[mfaKey][0] == "true", s.Principal)
			sim := simRequest{Action: r.Action, Resource: r.Resource, Account: resourceAccount(r.Resource, s.Account), Principal: s.Principal, Context: r.Context}
			if strings.Contains(r.Resource, ":kms:") && strings.Contains(r.Resource, ":key/") {
				sim.ResourcePolicy = defaultKeyPolicy(sim.Account)
			}
			key := fmt.Sprint(sim)
			if seen[key] {
				continue
			}
			seen[key] = true
			got, err := Evaluate(policy, r)
			if err != nil {
				t.Fatal(err)
			}
			sims = append(sims, sim)
			out = append(out, judged{modelRequest: q, sim: sim, internal: got})
		}
	}
	for i, v := range iamsim.Judge(t, policy, sims) {
		out[i].external = v
	}
	return out
}

// resourceAccount is the account in an ARN, else the caller's.
func resourceAccount(arn, caller string) string {
	if parts := strings.Split(arn, ":"); len(parts) > 4 && parts[4] != "" {
		return parts[4]
	}
	return caller
}

func caller(account, principal string, mfa bool) simRequest {
	return simRequest{Account: account, Principal: principal, Context: map[string][]string{mfaKey: {fmt.Sprint(mfa)}}}
}

// TestExternalEvaluatorJudgesThePolicy evaluates, for every shipped config,
// every request the provider model implies (create, no-op/refresh read,
// each property update, delete, invokes) with the external evaluator and
// with mlprov's: both must agree on every request, the product's own
// requests must be allowed as the environment table says, and another
// product's, tenant's, environment's or account's requests denied.
func TestExternalEvaluatorJudgesThePolicy(t *testing.T) {
	iamsim.Require(t)
	m := providerModel(t)
	files := make([]string, 0)
	cfgs := configs(t)
	for f := range cfgs {
		files = append(files, f)
	}
	sort.Strings(files)
	var total atomic.Int64
	t.Cleanup(func() { t.Logf("%d requests judged by both evaluators", total.Load()) })
	for _, file := range files {
		cfg := cfgs[file]
		t.Run(file, func(t *testing.T) {
			t.Parallel() // each subtest waits mostly on its own Node process
			product := *cfg
			if product.IsProd() {
				product.Environment.CIDeployerRoleARN = "arn:aws:iam::" + product.Client.AccountID + ":role/ml-deployer-ci"
			}
			doc := renderConfig(t, &product)
			policy := generate(t, doc)
			account := product.Client.AccountID
			human := "arn:aws:iam::" + account + ":role/human-operator"
			sessions := []simRequest{caller(account, human, true)}
			if product.IsProd() {
				sessions = append(sessions, caller(account, human, false), caller(account, product.Environment.CIDeployerRoleARN, false))
			}
			ownRequests := modelRequests(t, m, doc)
			ownKeys := map[string]bool{}
			for _, q := range ownRequests {
				ownKeys[q.Action+" "+q.Resource] = true
			}
			own := judgeBoth(t, policy, ownRequests, sessions)
			// Another product's requests, except those on the same ARN (what
			// both use: the VPC, "*" lists) and the documented shared ones.
			var others []modelRequest
			for what, other := range otherProductsAndAccount(&product) {
				for _, q := range modelRequests(t, m, renderConfig(t, other)) {
					if !ownKeys[q.Action+" "+q.Resource] && !sharedByDesign(q.Request) {
						q.what = what + ": " + q.what
						others = append(others, q)
					}
				}
			}
			foreign := judgeBoth(t, policy, others, sessions[:1])
			total.Add(int64(len(own) + len(foreign)))
			for _, j := range append(own, foreign...) {
				if j.external != externalVerdict[j.internal] {
					t.Errorf("%s: %s %v: mlprov says %v, iam-simulate says %s", j.what, j.Request, j.sim.Context, j.internal, j.external)
				}
			}
			for _, j := range own {
				if want := expectedForOwn(&product, j); j.external != want {
					t.Errorf("%s: %s as %s (MFA %s): iam-simulate says %s, want %s (%s)", j.what, j.Request, j.sim.Principal, j.sim.Context[mfaKey][0], j.external, want, j.Src)
				}
			}
			for _, j := range foreign {
				if j.external == "Allowed" {
					t.Errorf("%s: %s is allowed by iam-simulate", j.what, j.Request)
				}
			}
		})
	}
}

// expectedForOwn is the environment table for one of the product's own
// requests: dev and test allow all; staging denies deleting stateful
// resources; prod denies mutations without MFA except for the CI role.
func expectedForOwn(cfg *config.Config, j judged) string {
	mfa := j.sim.Context[mfaKey][0] == "true"
	switch {
	case cfg.Environment.Env == "staging" && j.stateful:
		return "ExplicitlyDenied"
	case cfg.IsProd() && !mfa && j.sim.Principal != cfg.Environment.CIDeployerRoleARN && isMutatingAPI(j.API):
		return "ExplicitlyDenied"
	}
	return "Allowed"
}
