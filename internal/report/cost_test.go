package report

import (
	"math"
	"strings"
	"testing"
)

func TestCostModelCountsEndpointSubnetsFromTheTemplate(t *testing.T) {
	e := EstimateMonthlyCost(fixture())
	lines := map[string]CostLine{}
	sum := 0.0
	for _, l := range e.Lines {
		lines[l.Item] = l
		sum += l.Monthly
	}
	// sagemaker-api: subnets from SSM (2 assumed); sts: 3 known subnets;
	// the gateway endpoint is free.
	ep := lines["Interface VPC endpoints"]
	if ep.Quantity != "2 endpoints, 5 endpoint-subnets" || ep.Monthly != 36.5 || !strings.Contains(ep.Basis, "subnet count assumed") {
		t.Errorf("endpoints: %+v", ep)
	}
	if k := lines["KMS customer managed key"]; k.Monthly != 1.3 {
		t.Errorf("KMS: $1 key + 100k requests at $0.03/10k = $1.30, got %+v", k)
	}
	// 365-day retention keeps 12 months of 1 GB at $0.03.
	if s := lines["Log storage (steady state at the configured retention)"]; s.Monthly != 0.36 {
		t.Errorf("log storage: %+v", s)
	}
	if math.Abs(sum-e.Total) > 0.001 || e.Total != 39.39 {
		t.Errorf("total %.2f, lines sum to %.2f, want 39.39", e.Total, sum)
	}
	if len(e.Assumptions) != 22 || e.Assumptions[0].Label != "Hours in a month" {
		t.Errorf("every assumption of the model is stated: got %d", len(e.Assumptions))
	}
}

func TestCostModelStarterHasNoNetworkOrKey(t *testing.T) {
	doc := fixture()
	doc.Resources = doc.ByType(typeSSMParameter)
	e := EstimateMonthlyCost(doc)
	if len(e.Lines) != 0 || e.Total != 0 {
		t.Errorf("only free resources: want no cost lines, got %+v", e.Lines)
	}
}
