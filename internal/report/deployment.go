package report

import (
	"sort"
	"time"
)

// DeploymentInput is what deploy-product hands the deployment report. The
// engine maps its typed up-result onto it.
type DeploymentInput struct {
	Product   Summary
	StartedAt time.Time
	Duration  time.Duration
	// Succeeded is false when up failed part-way; Error says why.
	Succeeded bool
	Error     string
	Resources []DeployedResource
	// Outputs are the SSM parameters written, with their values.
	Outputs []PublishedOutput
	// Pending are confirmations the product waits for (an SNS email
	// subscription, a CodeConnections handshake).
	Pending []PendingConfirmation
	Now     time.Time
	Version string
}

// Resource operations, as the engine reports them.
const (
	OpCreate  = "create"
	OpUpdate  = "update"
	OpReplace = "replace"
	OpDelete  = "delete"
	OpSame    = "same"
)

// DeployedResource is one resource after up.
type DeployedResource struct {
	URN         string `json:"urn"`
	Type        string `json:"type"`
	LogicalName string `json:"logicalName"`
	// ID is the cloud ID (ARN, name or id) the provider returned.
	ID string `json:"id"`
	Op string `json:"op"`
	// ChangedProperties names the inputs an update or replace changed.
	ChangedProperties []string `json:"changedProperties,omitempty"`
}

// PublishedOutput is one SSM output with its deployed value.
type PublishedOutput struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PendingConfirmation is something a person must still do.
type PendingConfirmation struct {
	What   string `json:"what"`
	Detail string `json:"detail"`
}

// Deployment is the deployment report and its JSON twin.
type Deployment struct {
	Header
	StartedAt time.Time             `json:"startedAt"`
	Duration  string                `json:"duration"`
	Seconds   float64               `json:"durationSeconds"`
	Succeeded bool                  `json:"succeeded"`
	Error     string                `json:"error,omitempty"`
	Counts    map[string]int        `json:"counts"`
	Changed   []DeployedResource    `json:"changed"`
	Resources []DeployedResource    `json:"resources"`
	Outputs   []PublishedOutput     `json:"outputs"`
	Pending   []PendingConfirmation `json:"pendingConfirmations"`
}

// opOrder shows the most consequential changes first.
var opOrder = map[string]int{OpReplace: 0, OpDelete: 1, OpCreate: 2, OpUpdate: 3, OpSame: 4}

// BuildDeployment assembles the deployment report.
func BuildDeployment(in DeploymentInput) Deployment {
	d := Deployment{
		Header: Header{Kind: KindDeployment, Title: "Deployment: " + in.Product.MLName, GeneratedAt: in.Now.UTC(),
			Generator: "mlprov " + in.Version, Product: in.Product},
		StartedAt: in.StartedAt.UTC(), Duration: in.Duration.Round(time.Millisecond).String(), Seconds: in.Duration.Seconds(),
		Succeeded: in.Succeeded, Error: in.Error, Counts: map[string]int{},
		Changed: []DeployedResource{}, Resources: []DeployedResource{},
		Outputs: nonNil(in.Outputs), Pending: nonNil(in.Pending),
	}
	for _, r := range in.Resources {
		d.Counts[r.Op]++
		d.Resources = append(d.Resources, r)
		if r.Op != OpSame {
			d.Changed = append(d.Changed, r)
		}
	}
	sort.SliceStable(d.Changed, func(i, j int) bool { return opOrder[d.Changed[i].Op] < opOrder[d.Changed[j].Op] })
	return d
}

// WriteDeployment builds the deployment report and writes it to paths
// (PathsFor(workdir, names, KindDeployment)).
func WriteDeployment(paths Paths, in DeploymentInput) (Deployment, error) {
	d := BuildDeployment(in)
	return d, writeTwins(paths, KindDeployment, d)
}

// nonNil makes empty lists render as [] in the JSON twin.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
