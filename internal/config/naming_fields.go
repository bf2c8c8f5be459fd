package config

import "github.com/mlprov/mlprov/internal/naming"

// NamingFields implements naming.Source, so callers write naming.For(cfg).
// (naming cannot import config: the validator below checks name lengths.)
func (c *Config) NamingFields() naming.Fields {
	f := naming.Fields{
		CompanyPrefix: c.Client.CompanyPrefix,
		Env:           c.Environment.Env,
		TenantID:      c.Client.TenantID,
		Region:        c.Environment.Region,
		UseCase:       c.MLProduct.UseCase,
		Workload:      c.MLProduct.Workload,
		SourceControl: string(c.MLProduct.SourceControl),
	}
	if n := c.MLProduct.Network; n != nil {
		f.Network = &naming.NetworkFields{
			Mode:                   string(n.Mode),
			VPCSource:              string(n.VPCSource),
			VPCName:                n.VPCName,
			SecurityGroupParameter: n.SecurityGroupParameter,
			HasRouteTables:         len(n.RouteTableIDs) > 0,
		}
	}
	return f
}
