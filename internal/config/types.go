// Package config holds the typed product configuration (PRODUCT.md §1), its
// strict loader, semantic validation with field paths and lines, and the
// published JSON Schema.
package config

import (
	"time"

	"github.com/mlprov/mlprov/internal/environments"
	"github.com/mlprov/mlprov/internal/tiers"
)

// Tier is the product tier. What a tier means is the one table in
// internal/tiers.
type Tier string

const (
	TierStarter      Tier = tiers.Starter
	TierProfessional Tier = tiers.Professional
	TierEnterprise   Tier = tiers.Enterprise
)

// Tiers lists the tiers from smallest to largest.
var Tiers = []Tier{TierStarter, TierProfessional, TierEnterprise}

// SourceControl is where the model build / deploy code lives.
type SourceControl string

const (
	SourceCodeCommit      SourceControl = "codecommit"
	SourceS3              SourceControl = "s3"
	SourceCodeConnections SourceControl = "codeconnections"
)

// NetworkMode: standalone creates the endpoint security group; sgprov reads it
// from an SSM parameter published by a separate security-group provisioner.
type NetworkMode string

const (
	NetworkStandalone NetworkMode = "standalone"
	NetworkSGProv     NetworkMode = "sgprov"
)

// VPCSource: ssm reads the VPC and subnets from /vpc/{vpc_name}/...; direct
// takes them from the config.
type VPCSource string

const (
	VPCFromSSM    VPCSource = "ssm"
	VPCFromDirect VPCSource = "direct"
)

// Config is one product configuration file.
type Config struct {
	Client      Client            `yaml:"client" json:"client"`
	Environment Environment       `yaml:"environment" json:"environment"`
	MLProduct   MLProduct         `yaml:"ml_product" json:"ml_product"`
	Tags        map[string]string `yaml:"tags,omitempty" json:"tags,omitempty"`

	// Path is the file the config was loaded from ("" when built in code).
	Path string `yaml:"-" json:"-"`
}

type Client struct {
	CompanyName   string `yaml:"company_name" json:"company_name"`
	CompanyPrefix string `yaml:"company_prefix" json:"company_prefix"`
	AccountID     string `yaml:"account_id" json:"account_id"`
	TenantID      string `yaml:"tenant_id" json:"tenant_id"`
}

type Environment struct {
	Env    string `yaml:"env" json:"env"`
	Region string `yaml:"region" json:"region"`
	// CIDeployerRoleARN (prod only) is the IAM role of a CI pipeline that
	// cannot present MFA: the deployer policy exempts it, and only it, from
	// production's MFA requirement on mutating actions.
	CIDeployerRoleARN string `yaml:"ci_deployer_role_arn,omitempty" json:"ci_deployer_role_arn,omitempty"`
}

type MLProduct struct {
	Tier             Tier          `yaml:"tier" json:"tier"`
	UseCase          string        `yaml:"use_case" json:"use_case"`
	Workload         string        `yaml:"workload,omitempty" json:"workload,omitempty"`
	SourceControl    SourceControl `yaml:"source_control" json:"source_control"`
	S3Prefix         string        `yaml:"s3_prefix,omitempty" json:"s3_prefix,omitempty"`
	Repository       *Repository   `yaml:"repository,omitempty" json:"repository,omitempty"`
	AlertsEmail      string        `yaml:"alerts_email,omitempty" json:"alerts_email,omitempty"`
	LogRetentionDays int           `yaml:"log_retention_days,omitempty" json:"log_retention_days,omitempty"`
	Approval         *Approval     `yaml:"approval,omitempty" json:"approval,omitempty"`
	Network          *Network      `yaml:"network,omitempty" json:"network,omitempty"`
	Suppressions     []Suppression `yaml:"suppressions,omitempty" json:"suppressions,omitempty"`
}

// Repository is the external Git repository pair for codeconnections.
type Repository struct {
	Provider      string `yaml:"provider" json:"provider"`
	Build         string `yaml:"build" json:"build"`
	Deploy        string `yaml:"deploy" json:"deploy"`
	Branch        string `yaml:"branch" json:"branch"`
	ConnectionARN string `yaml:"connection_arn,omitempty" json:"connection_arn,omitempty"`
}

type Approval struct {
	// ManualBeforeDeploy is nil when unset; use (*Config).ManualApproval().
	ManualBeforeDeploy *bool `yaml:"manual_before_deploy,omitempty" json:"manual_before_deploy,omitempty"`
}

type Network struct {
	Mode                   NetworkMode `yaml:"mode" json:"mode"`
	VPCSource              VPCSource   `yaml:"vpc_source" json:"vpc_source"`
	VPCName                string      `yaml:"vpc_name,omitempty" json:"vpc_name,omitempty"`
	VPCID                  string      `yaml:"vpc_id,omitempty" json:"vpc_id,omitempty"`
	SubnetIDs              []string    `yaml:"subnet_ids,omitempty" json:"subnet_ids,omitempty"`
	RouteTableIDs          []string    `yaml:"route_table_ids,omitempty" json:"route_table_ids,omitempty"`
	SecurityGroupParameter string      `yaml:"security_group_parameter,omitempty" json:"security_group_parameter,omitempty"`
	ExtraEndpoints         []string    `yaml:"extra_endpoints,omitempty" json:"extra_endpoints,omitempty"`
}

// Suppression waives one policy rule for one resource (by logical name) until
// Expires. Expired or unknown-rule waivers are violations of their own.
type Suppression struct {
	Rule     string `yaml:"rule" json:"rule"`
	Resource string `yaml:"resource" json:"resource"`
	Reason   string `yaml:"reason" json:"reason"`
	Owner    string `yaml:"owner" json:"owner"`
	// Expires is a calendar date, YYYY-MM-DD.
	Expires string `yaml:"expires" json:"expires"`
}

// ExpiresAt parses Expires; the waiver is valid through the end of that day (UTC).
func (s Suppression) ExpiresAt() (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s.Expires)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(24*time.Hour - time.Nanosecond), nil
}

// IsProd reports whether this is a production environment.
func (c *Config) IsProd() bool { return c.Environment.Env == environments.Prod }

// EnvProperties are the rules of the config's environment (internal/environments).
func (c *Config) EnvProperties() environments.Properties {
	p, _ := environments.Of(c.Environment.Env)
	return p
}

// ManualApproval reports whether the deploy pipeline gets a manual approval
// stage: explicit setting, else true for staging and prod.
func (c *Config) ManualApproval() bool {
	if c.MLProduct.Approval != nil && c.MLProduct.Approval.ManualBeforeDeploy != nil {
		return *c.MLProduct.Approval.ManualBeforeDeploy
	}
	return c.EnvProperties().ManualApproval
}
