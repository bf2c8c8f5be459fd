// Package e2e holds the end-to-end suite: the built mlprov binary driving the
// real Pulumi engine against the fakeaws test double, one temporary work
// directory, file backend and fake cloud per test. This file has the helpers
// other end-to-end suites may reuse.
package e2e

import (
	"strings"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// Network the fake cloud holds for an enterprise product.
const (
	SeededVPCID   = "vpc-0e2e0000000000001"
	SeededVPCCIDR = "10.42.0.0/16"
)

// SeededSubnetIDs are the private subnets of the seeded VPC.
var SeededSubnetIDs = []string{"subnet-0e2e0000000000001", "subnet-0e2e0000000000002"}

// SeedNetwork gives a product with a network section what it reads outside
// its stack: the VPC, and its id and private subnets in SSM under
// /vpc/{vpc_name}/. A product without a network needs nothing.
func SeedNetwork(dir string, cfg *config.Config) error {
	if cfg.MLProduct.Network == nil {
		return nil
	}
	vpcName := naming.VPCName(cfg)
	if err := control.SeedParameter(dir, naming.VPCIDParameter(vpcName), SeededVPCID); err != nil {
		return err
	}
	subnets := strings.Join(SeededSubnetIDs, ",")
	if err := control.SeedParameterOfType(dir, naming.PrivateSubnetIDsParameter(vpcName), "StringList", subnets); err != nil {
		return err
	}
	return control.SeedVPC(dir, SeededVPCID, SeededVPCCIDR, SeededSubnetIDs)
}
