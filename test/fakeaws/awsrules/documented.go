package awsrules

import (
	"encoding/json"
	"fmt"
	"github.com/mlprov/mlprov/internal/awstypes"
	"net"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// Type tokens the documented rules apply to.
const (
	typeRole          = awstypes.IAMRole
	typePolicy        = awstypes.IAMPolicy
	typeRolePolicy    = awstypes.IAMRolePolicy
	typeKey           = awstypes.KMSKey
	typeBucket        = awstypes.S3BucketV2
	typeEndpoint      = awstypes.VPCEndpoint
	typeSecurityGroup = awstypes.SecurityGroup
	typeLogGroup      = awstypes.LogGroup
	typeEventRule     = awstypes.EventRule
	typeParameter     = awstypes.SSMParameter
	typeConnection    = awstypes.CodeConnection
	typeTopic         = awstypes.SNSTopic
	typeAlias         = awstypes.KMSAlias
)

var (
	create         = []string{cloudstate.OpCreate}
	createOrUpdate = []string{cloudstate.OpCreate, cloudstate.OpUpdate}
)

// documentedRules are AWS behaviours the API models do not carry, each with
// the page (or provider source) it imitates.
var documentedRules = []rule{
	{
		// "Managed policy size: 6,144 characters"; IAM does not count white space.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
		name: "iam-managed-policy-size", types: []string{typePolicy}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if n := iamSize(str(r.Inputs["policy"])); n > 6144 {
				return &Error{Service: "IAM", Operation: "CreatePolicy", Status: 409, Code: "LimitExceeded",
					Message: fmt.Sprintf("Cannot exceed quota for PolicySize: 6144 (policy is %d characters)", n)}
			}
			return nil
		},
	},
	{
		// "Role policy size: 10,240 characters" — all inline policies of one
		// role together (same page).
		name: "iam-role-inline-policies-size", types: []string{typeRolePolicy}, ops: createOrUpdate,
		check: func(r Request) *Error {
			role := str(r.Inputs["role"])
			total := iamSize(str(r.Inputs["policy"]))
			others, _ := r.Cloud.Resources()
			for _, o := range others {
				if o.Type == typeRolePolicy && o.ID != r.ID && str(o.Inputs["role"]) == role && str(o.Inputs["name"]) != str(r.Inputs["name"]) {
					total += iamSize(str(o.Inputs["policy"]))
				}
			}
			if total > 10240 {
				return &Error{Service: "IAM", Operation: "PutRolePolicy", Status: 409, Code: "LimitExceeded",
					Message: fmt.Sprintf("Maximum policy size of 10240 bytes exceeded for role %s (%d)", role, total)}
			}
			return nil
		},
	},
	{
		// "Role trust policy length: 2,048 characters" (default quota, same page).
		name: "iam-trust-policy-size", types: []string{typeRole}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if n := iamSize(str(r.Inputs["assumeRolePolicy"])); n > 2048 {
				return &Error{Service: "IAM", Operation: "CreateRole", Status: 409, Code: "LimitExceeded",
					Message: fmt.Sprintf("Cannot exceed quota for ACLSizePerRole: 2048 (trust policy is %d characters)", n)}
			}
			return nil
		},
	},
	{
		// "The maximum length of a key policy document is 32 KB (32,768 bytes)".
		// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html#key-policy-limit
		name: "kms-key-policy-size", types: []string{typeKey}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if n := len(str(r.Inputs["policy"])); n > 32768 {
				return &Error{Service: "KMS", Operation: "CreateKey", Status: 400, Code: "LimitExceededException",
					Message: fmt.Sprintf("Key policy is %d bytes, over the limit of 32768", n)}
			}
			return nil
		},
	},
	{
		// The policy lockout safety check: a key policy must let the caller
		// (here: any principal of the account, through the account root, or
		// the caller named) call PutKeyPolicy later.
		// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#rule-PutKeyPolicy (and CreateKey,
		// BypassPolicyLockoutSafetyCheck: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html)
		name: "kms-key-policy-lockout", types: []string{typeKey}, ops: createOrUpdate,
		check: func(r Request) *Error {
			policy := str(r.Inputs["policy"])
			if policy == "" || unknown(policy) || r.Inputs["bypassPolicyLockoutSafetyCheck"] == true {
				return nil
			}
			if !allowsCallerToManage(policy, r.Account) {
				return &Error{Service: "KMS", Operation: "CreateKey", Status: 400, Code: "MalformedPolicyDocumentException",
					Message: "The new key policy will not allow you to update the key policy in the future."}
			}
			return nil
		},
	},
	{
		// Deletion window 7–30 days: terraform-provider-aws
		// internal/service/kms/key.go, deletion_window_in_days
		// (validation.IntBetween(7, 30)).
		name: "kms-deletion-window", types: []string{typeKey}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if w, ok := r.Inputs["deletionWindowInDays"]; ok && (toFloat(w) < 7 || toFloat(w) > 30) {
				return &Error{Service: "KMS", Operation: "ScheduleKeyDeletion", Status: 400, Code: "ValidationException",
					Message: fmt.Sprintf("expected deletion_window_in_days to be in the range (7 - 30), got %v", w)}
			}
			return nil
		},
	},
	{
		// Bucket naming rules.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
		name: "s3-bucket-name", types: []string{typeBucket}, ops: create,
		check: func(r Request) *Error {
			name := str(r.Inputs["bucket"])
			if problem := bucketNameProblem(name); problem != "" {
				return &Error{Service: "S3", Operation: "CreateBucket", Status: 400, Code: "InvalidBucketName",
					Message: "The specified bucket is not valid. (" + problem + ")"}
			}
			return nil
		},
	},
	{
		// "You must delete all objects (including all object versions and delete
		// markers) in the bucket before you can delete the bucket itself."
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
		// The provider empties it first only with force_destroy
		// (terraform-provider-aws internal/service/s3/bucket.go, resourceBucketDelete).
		name: "s3-delete-bucket-not-empty", types: []string{typeBucket}, ops: []string{cloudstate.OpDelete},
		check: func(r Request) *Error {
			stored, err := r.Cloud.GetResource(r.Type, r.ID)
			if err != nil || stored.ObjectVersions == 0 || r.Inputs["forceDestroy"] == true {
				return nil
			}
			return &Error{Service: "S3", Operation: "DeleteBucket", Status: 409, Code: "BucketNotEmpty",
				Message: fmt.Sprintf("The bucket you tried to delete is not empty. You must delete all versions in the bucket. (%d object versions)", stored.ObjectVersions)}
		},
	},
	{
		// Private DNS of an interface endpoint claims the service's DNS name in
		// the VPC: a second one for the same service fails.
		// https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
		name: "vpc-endpoint-one-private-dns-per-service", types: []string{typeEndpoint}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if r.Inputs["privateDnsEnabled"] != true {
				return nil
			}
			vpc, service := str(r.Inputs["vpcId"]), str(r.Inputs["serviceName"])
			others, _ := r.Cloud.Resources()
			for _, o := range others {
				if o.Type == typeEndpoint && o.ID != r.ID && o.Inputs["privateDnsEnabled"] == true &&
					str(o.Inputs["vpcId"]) == vpc && str(o.Inputs["serviceName"]) == service {
					return &Error{Service: "EC2", Operation: "CreateVpcEndpoint", Status: 400, Code: "InvalidParameter",
						Message: fmt.Sprintf("private-dns-enabled cannot be set because there is already a conflicting DNS domain for %s in the VPC %s (%s)", service, vpc, o.ID)}
				}
			}
			return nil
		},
	},
	{
		// "If you attempt to delete a security group that is associated with
		// an instance or network interface ... the operation fails with
		// DependencyViolation." An interface endpoint's network interfaces
		// carry its groups.
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
		name: "ec2-delete-security-group-in-use", types: []string{typeSecurityGroup}, ops: []string{cloudstate.OpDelete},
		check: func(r Request) *Error {
			others, _ := r.Cloud.Resources()
			for _, o := range others {
				if o.Type == typeEndpoint && slices.Contains(strs(o.Inputs["securityGroupIds"]), r.ID) {
					return &Error{Service: "EC2", Operation: "DeleteSecurityGroup", Status: 400, Code: "DependencyViolation",
						Message: fmt.Sprintf("resource %s has a dependent object (network interfaces of %s)", r.ID, o.ID)}
				}
			}
			return nil
		},
	},
	{
		// A gateway endpoint adds a route to the service's prefix list in each
		// route table; a table can hold one route per destination, so one S3
		// gateway endpoint per route table.
		// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#gateway-endpoint-considerations-s3
		name: "vpc-s3-gateway-one-per-route-table", types: []string{typeEndpoint}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if str(r.Inputs["vpcEndpointType"]) != "Gateway" {
				return nil
			}
			others, _ := r.Cloud.Resources()
			for _, table := range strs(r.Inputs["routeTableIds"]) {
				for _, o := range others {
					if o.Type == typeEndpoint && o.ID != r.ID && str(o.Inputs["vpcEndpointType"]) == "Gateway" &&
						str(o.Inputs["serviceName"]) == str(r.Inputs["serviceName"]) && slices.Contains(strs(o.Inputs["routeTableIds"]), table) {
						return &Error{Service: "EC2", Operation: "CreateVpcEndpoint", Status: 400, Code: "RouteAlreadyExists",
							Message: fmt.Sprintf("route table %s already has a route with destination-prefix-list-id of %s (endpoint %s)", table, str(r.Inputs["serviceName"]), o.ID)}
					}
				}
			}
			return nil
		},
	},
	{
		// "To use private DNS, you must set enableDnsHostnames and
		// enableDnsSupport to true for your VPC."
		// https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html#prerequisites-interface-endpoints
		name: "vpc-private-dns-needs-dns-attributes", types: []string{typeEndpoint}, ops: createOrUpdate,
		check: func(r Request) *Error {
			if r.Inputs["privateDnsEnabled"] != true {
				return nil
			}
			vpcs, _ := r.Cloud.VPCs()
			for _, v := range vpcs {
				if v.ID == str(r.Inputs["vpcId"]) && (v.DNSSupportDisabled || v.DNSHostnamesDisabled) {
					return &Error{Service: "EC2", Operation: "CreateVpcEndpoint", Status: 400, Code: "InvalidParameter",
						Message: fmt.Sprintf("Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for %s", v.ID)}
				}
			}
			return nil
		},
	},
	{
		// GroupDescription: "Up to 255 characters in length. Valid characters:
		// a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"; GroupName the same
		// and not starting with sg-.
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
		name: "ec2-security-group-description", types: []string{typeSecurityGroup}, ops: createOrUpdate,
		check: func(r Request) *Error {
			for _, f := range []struct{ param, value string }{{"GroupDescription", str(r.Inputs["description"])}, {"GroupName", str(r.Inputs["name"])}} {
				if unknown(f.value) {
					continue
				}
				if len(f.value) > 255 || !securityGroupText.MatchString(f.value) || f.param == "GroupName" && strings.HasPrefix(strings.ToLower(f.value), "sg-") {
					return &Error{Service: "EC2", Operation: "CreateSecurityGroup", Status: 400, Code: "InvalidParameterValue",
						Message: fmt.Sprintf("Value (%s) for parameter %s is invalid. Character sets beyond ASCII are not supported.", f.value, f.param)}
				}
			}
			return nil
		},
	},
	{
		// Rule descriptions: at most 255 characters of a-z A-Z 0-9 space and
		// ._-:/()#,@[]+=&;{}!$* — terraform-provider-aws
		// internal/service/ec2/validate.go, validSecurityGroupRuleDescription
		// (after https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html).
		name: "provider-ec2-security-group-rule-description", types: []string{typeSecurityGroup}, ops: createOrUpdate,
		check: func(r Request) *Error {
			for _, direction := range []string{"ingress", "egress"} {
				for _, rule := range asMaps(r.Inputs[direction]) {
					d := str(rule["description"])
					if len(d) > 255 || !securityGroupText.MatchString(d) {
						return &Error{Service: "EC2", Operation: "AuthorizeSecurityGroupIngress", Status: 400, Code: "InvalidParameterValue",
							Message: fmt.Sprintf("Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$* (%s %q)", direction, d)}
					}
				}
			}
			return nil
		},
	},
	{
		// Alias names: alias/ then [0-9A-Za-z_/-], never alias/aws/ (reserved
		// for AWS managed keys) — terraform-provider-aws
		// internal/service/kms/validate.go, validNameForResource; and
		// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
		name: "provider-kms-alias-name", types: []string{typeAlias}, ops: createOrUpdate,
		check: func(r Request) *Error {
			name := str(r.Inputs["name"])
			if !aliasName.MatchString(name) || strings.HasPrefix(name, "alias/aws/") {
				return &Error{Service: "KMS", Operation: "CreateAlias", Status: 400, Code: "ValidationException",
					Message: fmt.Sprintf("Alias %s must begin with 'alias/', contain only [0-9A-Za-z_/-] and not begin with the reserved prefix alias/aws/", name)}
			}
			return nil
		},
	},
	{
		// Retention values PutRetentionPolicy accepts.
		// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
		// (and terraform-provider-aws internal/service/logs/group.go,
		// retention_in_days: validation.IntInSlice, where 0 means never expire).
		name: "logs-retention-values", types: []string{typeLogGroup}, ops: createOrUpdate,
		check: func(r Request) *Error {
			v, ok := r.Inputs["retentionInDays"]
			if !ok || slices.Contains(retentionDays, int(toFloat(v))) {
				return nil
			}
			return &Error{Service: "CloudWatch Logs", Operation: "PutRetentionPolicy", Status: 400, Code: "InvalidParameterException",
				Message: fmt.Sprintf("1 validation error detected: Value '%v' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: %v", v, retentionDays[1:])}
		},
	},
	{
		// Rule names: 1–64 characters of . - _ A-Z a-z 0-9.
		// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
		name: "events-rule-name", types: []string{typeEventRule}, ops: createOrUpdate,
		check: func(r Request) *Error {
			name := str(r.Inputs["name"])
			if len(name) > 64 || !eventRuleName.MatchString(name) {
				return &Error{Service: "EventBridge", Operation: "PutRule", Status: 400, Code: "ValidationException",
					Message: fmt.Sprintf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64 and satisfy [\\.\\-_A-Za-z0-9]+", name)}
			}
			return nil
		},
	},
	{
		// Parameter names: a-zA-Z0-9_.-/ only, at most 1011 characters with the
		// ARN's system part, at most 15 levels, not starting with aws or ssm,
		// a hierarchy starts with /.
		// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
		name: "ssm-parameter-name", types: []string{typeParameter}, ops: create,
		check: func(r Request) *Error {
			name := str(r.Inputs["name"])
			if unknown(name) {
				return nil
			}
			fail := func(code, msg string) *Error {
				return &Error{Service: "SSM", Operation: "PutParameter", Status: 400, Code: code, Message: msg}
			}
			if strings.Count(strings.Trim(name, "/"), "/")+1 > 15 {
				return fail("HierarchyLevelLimitExceededException", "Parameter name hierarchy can have a maximum of 15 levels: "+name)
			}
			arnPrefix := fmt.Sprintf("arn:aws:ssm:%s:%s:parameter", r.Region, r.Account)
			if !parameterName.MatchString(name) || len(arnPrefix)+len(name) > 1011 ||
				strings.Contains(name, "/") && !strings.HasPrefix(name, "/") {
				return fail("ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive); only a-zA-Z0-9_.-/ and at most 1011 characters with the ARN; a hierarchy begins with /: "+name)
			}
			first := strings.ToLower(strings.TrimPrefix(name, "/"))
			if strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
				return fail("ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive): "+name)
			}
			return nil
		},
	},
	{
		// ConnectionName: 1–32 characters; a GitHub Enterprise Server
		// connection needs the host (HostArn) that registers the server.
		// https://docs.aws.amazon.com/codeconnections/latest/APIReference/API_CreateConnection.html
		// https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-create-gheserver.html
		name: "codeconnections-connection", types: []string{typeConnection}, ops: create,
		check: func(r Request) *Error {
			name := str(r.Inputs["name"])
			if len(name) > 32 || name == "" {
				return &Error{Service: "CodeConnections", Operation: "CreateConnection", Status: 400, Code: "ValidationException",
					Message: fmt.Sprintf("1 validation error detected: Value '%s' at 'connectionName' failed to satisfy constraint: Member must have length less than or equal to 32", name)}
			}
			if str(r.Inputs["providerType"]) == "GitHubEnterpriseServer" && str(r.Inputs["hostArn"]) == "" {
				return &Error{Service: "CodeConnections", Operation: "CreateConnection", Status: 400, Code: "InvalidInputException",
					Message: "A host ARN is required for provider type GitHubEnterpriseServer"}
			}
			return nil
		},
	},
	{
		// Topic names: 1–256 characters of A-Z a-z 0-9 - _ (a FIFO topic ends
		// in .fifo). https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
		name: "sns-topic-name", types: []string{typeTopic}, ops: create,
		check: func(r Request) *Error {
			name := strings.TrimSuffix(str(r.Inputs["name"]), ".fifo")
			if len(name) > 256 || !topicName.MatchString(name) {
				return &Error{Service: "SNS", Operation: "CreateTopic", Status: 400, Code: "InvalidParameter",
					Message: "Invalid parameter: Topic Name"}
			}
			return nil
		},
	},
}

var (
	securityGroupText = regexp.MustCompile(`^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$`)
	eventRuleName     = regexp.MustCompile(`^[.\-_A-Za-z0-9]+$`)
	parameterName     = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)
	topicName         = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	aliasName         = regexp.MustCompile(`^alias/[0-9A-Za-z_/-]+$`)
	bucketChars       = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	// retentionDays: 0 is the provider's "never expire".
	retentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

func bucketNameProblem(name string) string {
	switch {
	case len(name) < 3 || len(name) > 63:
		return "must be 3 to 63 characters"
	case !bucketChars.MatchString(name):
		return "only lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit"
	case strings.Contains(name, ".."):
		return "no two adjacent periods"
	case net.ParseIP(name) != nil:
		return "must not be formatted as an IP address"
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return "must not start with " + p
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return "must not end with " + s
		}
	}
	return ""
}

// allowsCallerToManage reports whether a key policy lets the account (its
// root, which delegates to IAM) call kms:PutKeyPolicy.
func allowsCallerToManage(policy, account string) bool {
	var doc struct {
		Statement []struct {
			Effect    string
			Principal json.RawMessage
			Action    any
		}
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	root := "arn:aws:iam::" + account + ":root"
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			continue
		}
		p := string(s.Principal)
		if !strings.Contains(p, root) && !strings.Contains(p, `"`+account+`"`) {
			continue
		}
		for _, a := range anyStrings(s.Action) {
			if a == "*" || strings.EqualFold(a, "kms:*") || strings.EqualFold(a, "kms:PutKeyPolicy") {
				return true
			}
		}
	}
	return false
}

// iamSize counts a policy as IAM does, without white space.
func iamSize(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string { return anyStrings(v) }

func asMaps(v any) []map[string]any {
	list, _ := v.([]any)
	var out []map[string]any
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func anyStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
