package rules

// publicAccessFlags are the four public access block settings.
var publicAccessFlags = []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"}

// judgePublicAccessBlock judges one block of the four flags.
func judgePublicAccessBlock(block Props) Result {
	if p, unknown := block.UnknownAt(publicAccessFlags...); unknown {
		return CannotJudge(p)
	}
	var p problems
	for _, flag := range publicAccessFlags {
		if !block.Bool(flag) {
			p.add("%s is not true", flag)
		}
	}
	return p.result()
}

func s3003() Rule {
	aspect := bucketAspect{
		what:       "public access block",
		companions: []string{typeBucketPAB},
		inline: func(b Resource) (Result, bool) {
			v := b.Props.Get("publicAccessBlockConfiguration")
			if !v.Present() {
				return Result{}, false
			}
			if v.Unknown() {
				return CannotJudge("publicAccessBlockConfiguration"), true
			}
			return judgePublicAccessBlock(v.Object()), true
		},
		judge: func(c Resource) Result { return judgePublicAccessBlock(c.Props) },
	}
	return Rule{
		ID:          "MLP-S3-003",
		Name:        "s3-public-access-blocked",
		Description: "All four public access block flags are true for every bucket.",
		Severity:    SeverityCritical,
		Enforcement: Mandatory,
		Remediation: "Add a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.",
		Peers:       Peers{Checkov: []string{"CKV2_AWS_6"}, Trivy: []string{"AVD-AWS-0094"}, SecurityHub: []string{"S3.8"}},
		Applies:     aspect.applies,
		Check:       aspect.check,
	}
}
