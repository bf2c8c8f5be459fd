package provider

import (
	"github.com/mlprov/mlprov/test/fakeaws/awsrules"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// checkAWSRules checks a create, update or delete against AWS's input
// constraints and documented rules (package awsrules), and records the rules
// applied on the call. inputs are the new inputs, or for a delete the
// engine's state of the resource.
func (s *Server) checkAWSRules(call *cloudstate.Call, inputs map[string]any) error {
	applied, err := awsrules.Check(awsrules.Request{
		Op: call.Op, Type: call.Type, ID: call.ID, Inputs: inputs,
		Account: s.account, Region: s.currentConfig().region, Cloud: s.store,
	})
	call.Rules = applied
	return err
}
