// Package outputs publishes the product's outputs as SSM parameters under
// /ml/{ml_name}/, the contract downstream systems read.
package outputs

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:outputs:Parameters"

// Value is one output: its key (naming.Out*) and value.
type Value struct {
	Key   string
	Value pulumi.StringInput
}

// Args configures the parameters.
type Args struct {
	// Path maps an output key to its parameter name (naming.Names.SSMPath).
	Path   func(key string) string
	Values []Value
	Tags   map[string]string
}

// Parameters are the published outputs.
type Parameters struct {
	pulumi.ResourceState
}

// New creates one String parameter per value.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Parameters, error) {
	c := &Parameters{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	outs := pulumi.Map{}
	for _, v := range args.Values {
		if _, err := ssm.NewParameter(ctx, name+"-"+v.Key, &ssm.ParameterArgs{
			Name: pulumi.String(args.Path(v.Key)),
			Type: pulumi.String("String"),
			// Outputs are names and ARNs, not secrets: InsecureValue keeps them
			// readable in state and to the policy pack (Value is always secret).
			InsecureValue: v.Value,
			Description:   pulumi.String("mlprov output " + v.Key),
			Tags:          pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c)); err != nil {
			return nil, err
		}
		outs[v.Key] = v.Value
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
}
