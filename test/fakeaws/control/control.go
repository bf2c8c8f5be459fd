// Package control is how end-to-end tests drive the fakeaws test double: seed
// what exists outside the stack, inspect what the engine created, change or
// delete resources behind the engine's back (drift) and inject failures.
//
// Every function takes the state directory the plugins were started with
// (the value of MLPROV_FAKEAWS_DIR).
package control

import (
	"errors"
	"fmt"
	"github.com/mlprov/mlprov/internal/awstypes"
	"strings"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// Types shared with the plugins.
type (
	Resource         = cloudstate.Resource
	Fault            = cloudstate.Fault
	Call             = cloudstate.Call
	AuthorizerConfig = cloudstate.AuthorizerConfig
)

// Environment variables the plugins read.
const (
	DirEnv         = cloudstate.DirEnv
	AccountEnv     = cloudstate.AccountEnv
	DefaultAccount = cloudstate.DefaultAccount
)

// SeedParameter makes an SSM String parameter exist outside the stack.
func SeedParameter(dir, name, value string) error {
	return SeedParameterOfType(dir, name, "String", value)
}

// SeedParameterOfType makes an SSM parameter of the given type exist
// (String, StringList with comma-separated values, or SecureString).
func SeedParameterOfType(dir, name, paramType, value string) error {
	if !strings.HasPrefix(name, "/") && strings.Contains(name, "/") {
		return fmt.Errorf("fakeaws: parameter %q: a hierarchical name must start with /", name)
	}
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.PutParameter(cloudstate.SeededParameter{Name: name, Type: paramType, Value: value})
}

// SeedVPC makes a VPC with the given CIDR and subnets exist outside the stack.
func SeedVPC(dir, vpcID, cidr string, subnetIDs []string) error {
	return SeedVPCAs(dir, cloudstate.SeededVPC{ID: vpcID, CidrBlock: cidr, SubnetIDs: subnetIDs})
}

// SeedVPCAs makes a VPC exist as described (DNS attributes, route tables).
func SeedVPCAs(dir string, v cloudstate.SeededVPC) error {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.PutVPC(v)
}

// SeedBucket makes an S3 bucket (an S3 source's) exist outside the stack,
// with EventBridge notifications on or off.
func SeedBucket(dir, name string, eventBridge bool) error {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.PutBucket(cloudstate.SeededBucket{Name: name, EventBridgeEnabled: eventBridge})
}

// Resources lists every resource the double holds, sorted by type then id.
func Resources(dir string) ([]Resource, error) {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return nil, err
	}
	return s.Resources()
}

// Mutate sets property to value on a resource behind the engine's back: in
// its outputs and, when the property is also an input, in its inputs (as a
// real provider's read would report it).
func Mutate(dir, typeToken, id, property string, value any) error {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.UpdateResource(typeToken, id, func(r *Resource) error {
		if r.Outputs == nil {
			r.Outputs = map[string]any{}
		}
		r.Outputs[property] = value
		if _, isInput := r.Inputs[property]; isInput {
			r.Inputs[property] = value
		}
		return nil
	})
}

// Remove deletes a resource behind the engine's back.
func Remove(dir, typeToken, id string) error {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	existed, err := s.DeleteResource(typeToken, id)
	if err != nil {
		return err
	}
	if !existed {
		return fmt.Errorf("fakeaws: remove %s %q: %w", typeToken, id, cloudstate.ErrNotFound)
	}
	return nil
}

// InjectFault makes the next f.Times calls of f.Op on matching resources fail
// with f.Message, persisting nothing.
func InjectFault(dir string, f Fault) error {
	switch f.Op {
	case cloudstate.OpCreate, cloudstate.OpUpdate, cloudstate.OpDelete, cloudstate.OpRead:
	default:
		return fmt.Errorf("fakeaws: fault op %q: want create, update, delete or read", f.Op)
	}
	if f.Type == "" {
		return errors.New("fakeaws: fault needs a resource type token")
	}
	if f.Times < 1 {
		return fmt.Errorf("fakeaws: fault times %d: want at least 1", f.Times)
	}
	if f.Message == "" {
		return errors.New("fakeaws: fault needs a message")
	}
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.AddFault(f)
}

// PendingFaults lists the faults not yet used up.
func PendingFaults(dir string) ([]Fault, error) {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return nil, err
	}
	return s.Faults()
}

// Calls returns every non-preview provider call, in order.
func Calls(dir string) ([]Call, error) {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return nil, err
	}
	return s.Calls()
}

// SetAuthorizer selects the authorizer the plugins consult before every call.
func SetAuthorizer(dir string, cfg AuthorizerConfig) error {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.SetAuthorizer(cfg)
}

// WriteObjectVersions adds n object versions to a bucket behind the engine's
// back, as the pipelines do when they run.
func WriteObjectVersions(dir, bucketID string, n int) error {
	s, err := cloudstate.Open(dir)
	if err != nil {
		return err
	}
	return s.UpdateResource(bucketType, bucketID, func(r *Resource) error {
		r.ObjectVersions += n
		return nil
	})
}

// bucketType is the type token of the buckets the double holds.
const bucketType = awstypes.S3BucketV2

// RulesApplied returns every AWS rule the double applied to the calls so far
// (awsrules), with how many calls each was applied to.
func RulesApplied(dir string) (map[string]int, error) {
	calls, err := Calls(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, c := range calls {
		for _, r := range c.Rules {
			out[r]++
		}
	}
	return out, nil
}
