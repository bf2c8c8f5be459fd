package report

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/provtemplate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// now is the injected clock of every golden report.
var now = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

const fxName = "globalbank-prod-c001-us-west-2-churn-ml"

func fxURN(typ, name string) string { return "urn:pulumi:" + fxName + "::mlprov::" + typ + "::" + name }

func fxTags() map[string]any {
	return map[string]any{"mlprov:ml-name": fxName, "mlprov:env": "prod", "mlprov:tier": "enterprise", "mlprov:managed-by": "mlprov"}
}

// fixture is a small enterprise-shaped template: components with children,
// one nested custom parent, an expired and an active waiver, SSM lookups
// read offline.
func fixture() *provtemplate.Document {
	enc, store, net, mon := fxURN("mlprov:encryption:ProductKey", "encryption"), fxURN("mlprov:storage:ArtifactStore", "storage"),
		fxURN("mlprov:network:Endpoints", "network"), fxURN("mlprov:monitoring:Compliance", "monitoring")
	bucket := fxURN("aws:s3/bucketV2:BucketV2", "storage-artifacts")
	custom := func(typ, name, physical, parent string, inputs map[string]any) provtemplate.Resource {
		if inputs == nil {
			inputs = map[string]any{}
		}
		inputs["tags"] = fxTags()
		return provtemplate.Resource{URN: fxURN(typ, name), Type: typ, LogicalName: name, PhysicalName: physical, Parent: parent, Custom: true, Provider: "aws", Inputs: inputs}
	}
	component := func(typ, name string, urn string) provtemplate.Resource {
		return provtemplate.Resource{URN: urn, Type: typ, LogicalName: name, Inputs: map[string]any{}}
	}
	key := custom(typeKMSKey, "encryption-key", "", enc, map[string]any{"enableKeyRotation": true, "description": "product key", "deletionWindowInDays": float64(30)})
	key.Protect = true
	return &provtemplate.Document{
		FormatVersion: provtemplate.FormatVersion, Generator: "mlprov",
		Product: provtemplate.Product{MLName: fxName, Tier: "enterprise", Scenario: "codecommit-standalone-ssm", Env: "prod", Region: "us-west-2",
			AccountID: "123456789012", TenantID: "c001", CompanyPrefix: "globalbank", CompanyName: "Global Bank", UseCase: "churn",
			SourceControl: "codecommit", Stack: fxName, Project: "mlprov", ConfigFile: "configs/globalbank.yaml"},
		Resources: []provtemplate.Resource{
			component("mlprov:encryption:ProductKey", "encryption", enc),
			key,
			component("mlprov:storage:ArtifactStore", "storage", store),
			custom(typeBucketV2, "storage-artifacts", "globalbank-prod-c001-us-west-2-churn-artifacts", store, nil),
			// A child of a custom resource belongs to the nearest component.
			custom("aws:s3/bucketVersioningV2:BucketVersioningV2", "storage-artifacts-versioning", "", bucket, map[string]any{"bucket": "globalbank-prod-c001-us-west-2-churn-artifacts"}),
			component("mlprov:network:Endpoints", "network", net),
			custom(typeVPCEndpoint, "network-sagemaker-api", "", net, map[string]any{"vpcEndpointType": "Interface", "privateDnsEnabled": true,
				"subnetIds": []any{provtemplate.Placeholder("/vpc/x/PrivateSubnetIds")}}),
			custom(typeVPCEndpoint, "network-sts", "", net, map[string]any{"vpcEndpointType": "Interface", "privateDnsEnabled": true,
				"subnetIds": []any{"subnet-1", "subnet-2", "subnet-3"}}),
			custom(typeVPCEndpoint, "network-s3", "", net, map[string]any{"vpcEndpointType": "Gateway"}),
			component("mlprov:monitoring:Compliance", "monitoring", mon),
			custom(typeLogGroup, "monitoring-logs", fxName+"-compliance-logs", mon, map[string]any{"retentionInDays": float64(365)}),
			custom(typeMetricFilter, "monitoring-unauthorized", "UnauthorizedAPICalls", mon, map[string]any{"logGroupName": fxName + "-compliance-logs"}),
			custom(typeMetricAlarm, "monitoring-unauthorized-alarm", fxName+"-unauthorized-api-calls", mon, nil),
			custom(typeTopic, "monitoring-alerts", fxName+"-security-alerts", mon, nil),
			custom(typeSubscription, "monitoring-alerts-email", "", mon, map[string]any{"protocol": "email", "endpoint": "ml-alerts@globalbank.example"}),
			custom(typeSSMParameter, "outputs-KmsKeyArn", "/ml/"+fxName+"/KmsKeyArn", "", map[string]any{"type": "String"}),
		},
		Outputs: []provtemplate.Output{{Key: "KmsKeyArn", Name: "/ml/" + fxName + "/KmsKeyArn", Value: "arn:aws:kms:us-west-2:123456789012:key/offline"}},
		Lookups: []provtemplate.Lookup{
			{Token: "aws:ssm/getParameter:getParameter", Args: map[string]any{"name": "/vpc/globalbank-prod-c001-us-west-2-vpc/VPCId"}, Placeholder: true},
			{Token: "aws:index/getCallerIdentity:getCallerIdentity", Result: map[string]any{"accountId": "123456789012"}},
		},
		Suppressions: []provtemplate.Suppression{
			{Rule: "MLP-LOG-001", Resource: "monitoring-logs", Reason: "archived elsewhere", Owner: "secops@globalbank.example", Expires: "2027-03-31"},
			{Rule: "MLP-TAG-001", Resource: "network", Reason: "legacy", Owner: "netops@globalbank.example", Expires: "2026-01-31"},
		},
	}
}

func fxDeployer() DeployerPolicy {
	return DeployerPolicy{Files: []string{"ml/policies/" + fxName + "-codecommit-standalone-ssm-iam-policy.json"}, Documents: []PolicyDocument{{
		Name: "deployer", Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Sid":"Kms","Effect":"Allow","Action":["kms:CreateKey"],"Resource":"*"}]}`)}}}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; review the diff and run with -update if intended.\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}
