// Package provtemplate defines the provisioning template document: the offline
// rendering of one product's full resource graph. It is written by
// internal/render, judged by the policy rules, read by internal/iampolicy and
// internal/report. It is plain data with no Pulumi dependency.
package provtemplate

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// FormatVersion changes when the document's shape changes incompatibly.
const FormatVersion = 1

// PlaceholderPrefix marks values that only AWS can supply (caller identity,
// SSM lookups) and that an offline render fills in with a stand-in.
const PlaceholderPrefix = "offline-placeholder:"

// Placeholder builds a clearly marked offline stand-in value.
func Placeholder(what string) string { return PlaceholderPrefix + what }

// IsPlaceholder reports whether v is an offline stand-in.
func IsPlaceholder(v string) bool { return strings.HasPrefix(v, PlaceholderPrefix) }

// Document is a rendered product.
type Document struct {
	FormatVersion int        `json:"formatVersion"`
	Generator     string     `json:"generator"`
	Product       Product    `json:"product"`
	Resources     []Resource `json:"resources"`
	// Outputs are the SSM parameters the product publishes.
	Outputs []Output `json:"outputs"`
	// Lookups are the values the program reads from AWS (invokes).
	Lookups []Lookup `json:"lookups"`
	// Suppressions are the config's policy waivers, copied so the template
	// can be judged on its own.
	Suppressions []Suppression `json:"suppressions,omitempty"`
}

// Product identifies what was rendered.
type Product struct {
	MLName        string `json:"mlName"`
	Tier          string `json:"tier"`
	Scenario      string `json:"scenario"`
	Env           string `json:"env"`
	Region        string `json:"region"`
	AccountID     string `json:"accountId"`
	TenantID      string `json:"tenantId"`
	CompanyPrefix string `json:"companyPrefix"`
	CompanyName   string `json:"companyName"`
	UseCase       string `json:"useCase"`
	Workload      string `json:"workload,omitempty"`
	SourceControl string `json:"sourceControl"`
	Stack         string `json:"stack"`
	Project       string `json:"project"`
	ConfigFile    string `json:"configFile,omitempty"`
	// CIDeployerRoleARN is the prod CI role exempt from MFA (config
	// environment.ci_deployer_role_arn); the deployer policy reads it.
	CIDeployerRoleARN string `json:"ciDeployerRoleArn,omitempty"`
}

// Resource is one registered resource (component or custom).
type Resource struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	// LogicalName is the Pulumi resource name (unique in the stack).
	LogicalName string `json:"logicalName"`
	// PhysicalName is the AWS name, "" for resources without one.
	PhysicalName string `json:"physicalName,omitempty"`
	// Parent is the parent's URN ("" for the stack itself).
	Parent    string   `json:"parent,omitempty"`
	DependsOn []string `json:"dependsOn,omitempty"`
	// Custom is false for ComponentResources.
	Custom  bool `json:"custom"`
	Protect bool `json:"protect,omitempty"`
	// Provider is the provider package ("aws", "aws-native"), "" for components.
	Provider string         `json:"provider,omitempty"`
	Inputs   map[string]any `json:"inputs"`
}

// Output is one SSM parameter the product publishes.
type Output struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Lookup is one value the program reads from AWS.
type Lookup struct {
	Token       string         `json:"token"`
	Args        map[string]any `json:"args,omitempty"`
	Placeholder bool           `json:"placeholder"`
	Result      map[string]any `json:"result,omitempty"`
}

// Suppression mirrors config.Suppression.
type Suppression struct {
	Rule     string `json:"rule"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
	Owner    string `json:"owner"`
	Expires  string `json:"expires"`
}

// Custom returns the custom (non-component) resources.
func (d *Document) Custom() []Resource {
	var out []Resource
	for _, r := range d.Resources {
		if r.Custom {
			out = append(out, r)
		}
	}
	return out
}

// ByType returns the resources of one type token.
func (d *Document) ByType(token string) []Resource {
	var out []Resource
	for _, r := range d.Resources {
		if r.Type == token {
			out = append(out, r)
		}
	}
	return out
}

// Read loads a document from a file.
func Read(path string) (*Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: not a provisioning template: %w", path, err)
	}
	return &d, nil
}
