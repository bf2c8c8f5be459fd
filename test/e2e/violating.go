package e2e

import (
	"os"
	"path/filepath"
	"strings"
)

// StarterConfig is the old guide's starter product.
const StarterConfig = "configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml"

// ViolatingStarter is the starter product as tenant, with a waiver that
// expired in 2020: the policy gate fails it (MLP-S3-004 re-reported,
// MLP-WVR-002). repoRoot is the repository root.
func ViolatingStarter(repoRoot, tenant string) (string, error) {
	starter, err := os.ReadFile(filepath.Join(repoRoot, StarterConfig))
	if err != nil {
		return "", err
	}
	return strings.Replace(strings.ReplaceAll(string(starter), "t001", tenant), "ml_product:\n", `ml_product:
  suppressions:
    - rule: MLP-S3-004
      resource: artifacts
      reason: "expired waiver"
      owner: secops@techcorp.example
      expires: 2020-01-31
`, 1), nil
}
