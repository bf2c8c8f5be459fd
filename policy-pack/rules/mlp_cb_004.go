package rules

import (
	"github.com/mlprov/mlprov/internal/tiers"
)

func cb004() Rule {
	return Rule{
		ID:          "MLP-CB-004",
		Name:        "codebuild-cmk-and-vpc",
		Description: "Enterprise CodeBuild projects encrypt artifacts with the product's customer managed key and run inside the VPC.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Set encryptionKey to the product CMK ARN and vpcConfig (vpcId, subnets, securityGroupIds).",
		Peers:       Peers{Checkov: []string{"CKV_AWS_147"}},
		Applies:     ofTypes(typeCodeBuild),
		Check: func(r Resource, _ Stack) Result {
			if res, ok := tierGate(r, func(c tiers.Capabilities) bool { return c.CustomerManagedKey && c.PrivateNetwork }); !ok {
				return res
			}
			if p, unknown := r.Props.UnknownAt("encryptionKey", "vpcConfig"); unknown {
				return CannotJudge(p)
			}
			var p problems
			switch key := r.Props.String("encryptionKey"); {
			case key == "":
				p.add("no encryptionKey: artifacts use the AWS managed key")
			case awsManagedKey(key):
				p.add("encryptionKey %s is an AWS managed key", key)
			}
			if r.Props.String("vpcConfig.vpcId") == "" || len(r.Props.List("vpcConfig.subnets")) == 0 || len(r.Props.List("vpcConfig.securityGroupIds")) == 0 {
				p.add("the project does not run in the VPC (vpcConfig needs vpcId, subnets and securityGroupIds)")
			}
			return p.result()
		},
	}
}
