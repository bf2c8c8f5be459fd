package awsrules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

//go:embed members.json
var membersJSON []byte

//go:embed testdata/api-constraints.json
var constraintsJSON []byte

// member maps one Pulumi input path to an API member path.
type member struct {
	Prop string `json:"prop"`
	API  string `json:"api"`
}

// constraint is one API member's constraints from the AWS API model.
type constraint struct {
	Shape   string   `json:"shape"`
	Type    string   `json:"type"`
	Pattern string   `json:"pattern"`
	Min     *float64 `json:"min"`
	Max     *float64 `json:"max"`
	Enum    []string `json:"enum"`
	Model   string   `json:"model"`
	re      *regexp.Regexp
}

var (
	memberMap   map[string][]member
	constraints map[string]*constraint
)

func init() {
	var m struct {
		Types map[string][]member `json:"types"`
	}
	if err := json.Unmarshal(membersJSON, &m); err != nil {
		panic("awsrules: members.json: " + err.Error())
	}
	memberMap = m.Types
	if err := json.Unmarshal(constraintsJSON, &constraints); err != nil {
		panic("awsrules: api-constraints.json: " + err.Error())
	}
	for api, c := range constraints {
		if c.Pattern == "" {
			continue
		}
		re, err := compileJavaPattern(c.Pattern)
		if err != nil {
			panic(fmt.Sprintf("awsrules: %s pattern %q: %v", api, c.Pattern, err))
		}
		c.re = re
	}
}

// javaEscape is the \uXXXX escape the models' (Java) patterns use.
var javaEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// compileJavaPattern compiles a model pattern as AWS applies it: to the
// whole value.
func compileJavaPattern(p string) (*regexp.Regexp, error) {
	p = javaEscape.ReplaceAllString(p, `\x{$1}`)
	return regexp.Compile(`^(?:` + p + `)$`)
}

// operationOf splits "iam/CreateRole/RoleName".
func operationOf(api string) (service, op, path string) {
	service, rest, _ := strings.Cut(api, "/")
	op, path, _ = strings.Cut(rest, "/")
	return service, op, path
}

type memberResult struct {
	rule string
	err  *Error
}

// checkAPIMembers checks every mapped input of typ.
func checkAPIMembers(typ string, inputs map[string]any) []memberResult {
	var out []memberResult
	for _, m := range memberMap[typ] {
		c := constraints[m.API]
		if c == nil {
			continue
		}
		for _, v := range valuesAt(inputs, strings.Split(m.Prop, ".")) {
			res := memberResult{rule: "api:" + m.API}
			if problem := c.violation(v); problem != "" {
				res.err = validationError(m.API, v, problem)
			}
			out = append(out, res)
		}
	}
	return out
}

// valuesAt collects the values at a property path ([] list elements, {k}
// map keys, {v} map values).
func valuesAt(v any, path []string) []any {
	if len(path) == 0 {
		if v == nil {
			return nil
		}
		return []any{v}
	}
	var out []any
	switch seg := path[0]; seg {
	case "[]":
		list, _ := v.([]any)
		for _, e := range list {
			out = append(out, valuesAt(e, path[1:])...)
		}
	case "{k}", "{v}":
		m, _ := v.(map[string]any)
		for k, e := range m {
			if seg == "{k}" {
				out = append(out, valuesAt(k, path[1:])...)
			} else {
				out = append(out, valuesAt(e, path[1:])...)
			}
		}
	default:
		m, _ := v.(map[string]any)
		// A nested block the provider declares as a list of one (Pulumi sends
		// an object or a one-element list).
		if list, ok := v.([]any); ok && len(list) == 1 {
			m, _ = list[0].(map[string]any)
		}
		out = valuesAt(m[seg], path[1:])
	}
	return out
}

// violation returns how v breaks the constraint, in the words of AWS's
// validation messages, or "".
func (c *constraint) violation(v any) string {
	switch x := v.(type) {
	case string:
		if unknown(x) {
			return ""
		}
		n := utf8.RuneCountInString(x)
		if c.Min != nil && float64(n) < *c.Min {
			return fmt.Sprintf("Member must have length greater than or equal to %d", int(*c.Min))
		}
		if c.Max != nil && float64(n) > *c.Max {
			return fmt.Sprintf("Member must have length less than or equal to %d", int(*c.Max))
		}
		if c.re != nil && !c.re.MatchString(x) {
			return "Member must satisfy regular expression pattern: " + c.Pattern
		}
		if len(c.Enum) > 0 && !contains(c.Enum, x) {
			return "Member must satisfy enum value set: [" + strings.Join(c.Enum, ", ") + "]"
		}
	case float64, int64, int:
		f := toFloat(x)
		if c.Min != nil && f < *c.Min {
			return fmt.Sprintf("Member must have value greater than or equal to %d", int(*c.Min))
		}
		if c.Max != nil && f > *c.Max {
			return fmt.Sprintf("Member must have value less than or equal to %d", int(*c.Max))
		}
	case []any:
		if c.Type != "list" {
			return ""
		}
		if c.Min != nil && float64(len(x)) < *c.Min {
			return fmt.Sprintf("Member must have length greater than or equal to %d", int(*c.Min))
		}
		if c.Max != nil && float64(len(x)) > *c.Max {
			return fmt.Sprintf("Member must have length less than or equal to %d", int(*c.Max))
		}
	}
	return ""
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	return 0
}

// serviceErrors are each service's display name in SDK errors and the code
// it answers a failed constraint with (query protocols say ValidationError,
// JSON protocols ValidationException).
var serviceErrors = map[string]struct{ name, code string }{
	"iam": {"IAM", "ValidationError"}, "monitoring": {"CloudWatch", "ValidationError"},
	"sns": {"SNS", "InvalidParameter"}, "s3": {"S3", "InvalidArgument"},
	"kms": {"KMS", "ValidationException"}, "codecommit": {"CodeCommit", "ValidationException"},
	"codebuild": {"CodeBuild", "ValidationException"}, "codepipeline": {"CodePipeline", "ValidationException"},
	"eventbridge": {"EventBridge", "ValidationException"}, "logs": {"CloudWatch Logs", "InvalidParameterException"},
	"ssm": {"SSM", "ValidationException"}, "codeconnections": {"CodeConnections", "ValidationException"},
	"ec2": {"EC2", "InvalidParameterValue"}, "sagemaker": {"SageMaker", "ValidationException"},
}

// validationError is AWS's "1 validation error detected" answer.
func validationError(api string, v any, problem string) *Error {
	service, op, path := operationOf(api)
	se := serviceErrors[service]
	member := path
	if i := strings.LastIndex(path, "."); i >= 0 {
		member = path[i+1:]
	}
	member = strings.ToLower(member[:1]) + member[1:]
	return &Error{Service: se.name, Operation: op, Status: 400, Code: se.code, Rule: "api:" + api,
		Message: fmt.Sprintf("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", v, member, problem)}
}
