package render

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
)

// Generator names the writer of the template document.
const Generator = "mlprov"

// ssmParameterType is the type token of the SSM outputs the product publishes.
const ssmParameterType = awstypes.SSMParameter

// Product renders the program of one product configuration into the
// template document. The caller passes the program (stacks.Program…) so this
// package stays below stacks and component tests can use the recorder.
func Product(cfg *config.Config, names naming.Names, program pulumi.RunFunc) (*provtemplate.Document, error) {
	rec, err := Program(program, Options{
		Stack:     names.StackName,
		AccountID: cfg.Client.AccountID,
		Region:    cfg.Environment.Region,
	})
	if err != nil {
		return nil, err
	}
	return Document(cfg, names, rec), nil
}

// Document assembles the template document from a recording.
func Document(cfg *config.Config, names naming.Names, rec *Recording) *provtemplate.Document {
	doc := &provtemplate.Document{
		FormatVersion: provtemplate.FormatVersion,
		Generator:     Generator,
		Product: provtemplate.Product{
			MLName:        names.MLName,
			Tier:          string(cfg.MLProduct.Tier),
			Scenario:      names.Scenario,
			Env:           cfg.Environment.Env,
			Region:        cfg.Environment.Region,
			AccountID:     cfg.Client.AccountID,
			TenantID:      cfg.Client.TenantID,
			CompanyPrefix: cfg.Client.CompanyPrefix,
			CompanyName:   cfg.Client.CompanyName,
			UseCase:       cfg.MLProduct.UseCase,
			Workload:      cfg.MLProduct.Workload,
			SourceControl: string(cfg.MLProduct.SourceControl),
			Stack:         names.StackName,
			Project:       naming.Project,
			ConfigFile:    cfg.Path,

			CIDeployerRoleARN: cfg.Environment.CIDeployerRoleARN,
		},
		Resources: rec.Resources,
		Lookups:   rec.Lookups,
		Outputs:   []provtemplate.Output{},
	}
	prefix := names.SSMPrefix()
	for _, r := range rec.ByType(ssmParameterType) {
		if !strings.HasPrefix(r.PhysicalName, prefix) {
			continue
		}
		// Outputs are published with insecureValue: they are ARNs and names,
		// and pulumi-aws marks `value` secret, which would hide them everywhere.
		value, _ := r.Inputs["insecureValue"].(string)
		if value == "" {
			value, _ = r.Inputs["value"].(string)
		}
		doc.Outputs = append(doc.Outputs, provtemplate.Output{
			Key: strings.TrimPrefix(r.PhysicalName, prefix), Name: r.PhysicalName, Value: value,
		})
	}
	sort.Slice(doc.Outputs, func(i, j int) bool { return doc.Outputs[i].Key < doc.Outputs[j].Key })
	for _, s := range cfg.MLProduct.Suppressions {
		doc.Suppressions = append(doc.Suppressions, provtemplate.Suppression(s))
	}
	if doc.Lookups == nil {
		doc.Lookups = []provtemplate.Lookup{}
	}
	return doc
}
