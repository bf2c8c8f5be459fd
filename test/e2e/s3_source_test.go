package e2e_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/components/source"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// TestPreviewChecksS3SourceEventBridgeNotifications: the preview reads the
// S3 source bucket's notification setting through the provider (the double
// answers from the bucket it holds) and warns, with the command that turns
// them on, only when the bucket does not send events to EventBridge.
func TestPreviewChecksS3SourceEventBridgeNotifications(t *testing.T) {
	p := newProduct(t, "configs/techcorp-dev-t001-us-east-1-churn-ml-s3.yaml")
	bucket, _ := source.SplitS3Prefix(p.cfg.MLProduct.S3Prefix)
	enable := source.S3EventBridgeSetup(bucket)

	var on changes
	decode(t, p.expect(exitOK, p.command("show-changes", "-o", "json")...), &on)
	if len(on.Warnings) != 0 || on.ChangeCount == 0 {
		t.Errorf("notifications on: warnings %q, %d changes", on.Warnings, on.ChangeCount)
	}

	if err := control.SeedBucket(p.cloud, bucket, false); err != nil {
		t.Fatal(err)
	}
	var off changes
	decode(t, p.expect(exitOK, p.command("show-changes", "-o", "json")...), &off)
	if !slices.Contains(off.Warnings, enable) {
		t.Errorf("notifications off: warnings %q, want the command to enable them:\n%s", off.Warnings, enable)
	}
	text := p.expect(exitOK, p.command("show-changes")...)
	if !strings.Contains(text.stdout, "WARNING "+enable) {
		t.Errorf("show-changes does not print the warning:\n%s", text.stdout)
	}
	// The deploy goes ahead, warns again and records it with what waits on a person.
	deploy := p.expect(exitOK, p.command("deploy-product", "--force")...)
	defer p.expect(exitOK, p.command("delete-product", "--force")...)
	if !strings.Contains(deploy.stdout, "WARNING "+enable) {
		t.Errorf("deploy-product does not warn:\n%s", deploy.stdout)
	}
	var shown struct {
		Deployment struct {
			Outputs map[string]any `json:"outputs"`
		} `json:"deployment"`
	}
	decode(t, p.expect(exitOK, p.command("show-product", "-o", "json")...), &shown)
	pending, _ := shown.Deployment.Outputs["pendingConfirmations"].([]any)
	if !slices.Contains(pending, any(enable)) {
		t.Errorf("the deployed product's pending confirmations %q lack the command", pending)
	}
}
