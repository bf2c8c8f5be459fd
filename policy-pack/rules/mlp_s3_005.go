package rules

func s3005() Rule {
	aspect := bucketAspect{
		what:       "versioning",
		companions: []string{typeBucketVersion},
		inline: func(b Resource) (Result, bool) {
			path := map[string]string{typeBucket: "versioning.enabled", typeBucketV2: "versionings.0.enabled", typeNativeBucket: "versioningConfiguration.status"}[b.Type]
			v := b.Props.Get(path)
			switch {
			case v.Unknown():
				return CannotJudge(path), true
			case !v.Present():
				return Result{}, false
			case v.Bool() || v.String() == "Enabled":
				return Pass(), true
			}
			return Violation("versioning is not enabled (%s = %v)", path, v.Raw()), true
		},
		judge: func(c Resource) Result {
			const path = "versioningConfiguration.status"
			v := c.Props.Get(path)
			if v.Unknown() {
				return CannotJudge(path)
			}
			if v.String() != "Enabled" {
				return Violation("versioning status is %q, not Enabled", v.String())
			}
			return Pass()
		},
	}
	return Rule{
		ID:          "MLP-S3-005",
		Name:        "s3-versioning",
		Description: "Every bucket keeps object versions.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Add a BucketVersioningV2 with versioningConfiguration.status Enabled.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_21"}, SecurityHub: []string{"S3.14"}},
		Applies:     aspect.applies,
		Check:       aspect.check,
	}
}
