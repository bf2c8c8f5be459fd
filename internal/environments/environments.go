// Package environments is the one table of what an environment (dev, test,
// staging, prod) means for a product. Config validation, the program
// (stacks), the policy rules and the deployer policy all read it; it
// imports nothing so each of them can.
package environments

// Environment names.
const (
	Dev     = "dev"
	Test    = "test"
	Staging = "staging"
	Prod    = "prod"
)

// Names lists the accepted environment names.
var Names = []string{Dev, Test, Staging, Prod}

// Properties are the environment's rules for a product.
type Properties struct {
	// ManualApproval: the deploy pipeline waits for a manual approval before
	// its deploy stage. It is the config default, and policy rule MLP-CP-003
	// requires it, so the config may not turn it off.
	ManualApproval bool
	// DeletionProtection: the model registry, the artifact bucket and the
	// product key (on tiers that have one) are protected (MLP-SM-001), on
	// every tier; delete-product lifts it only with --force.
	DeletionProtection bool
	// NoStatefulDeletes: the deployer policy denies deleting the product's
	// stateful resources (registry, bucket, key, repositories), so the
	// product cannot be deleted while its other resources stay replaceable.
	NoStatefulDeletes bool
	// MFAForMutating: the deployer policy denies every mutating action to a
	// session without MFA (except the config's CI deployer role).
	MFAForMutating bool
	// KeyDeletionWindowDays is the KMS key deletion window the program sets;
	// MLP-KMS-003 advises against anything shorter.
	KeyDeletionWindowDays int
	// MinSubnets is how many private subnets (availability zones) a VPC
	// product needs.
	MinSubnets int
}

// MinKeyDeletionWindowDays is the shortest window AWS KMS accepts
// (ScheduleKeyDeletion PendingWindowInDays: 7 to 30).
const MinKeyDeletionWindowDays = 7

var table = map[string]Properties{
	Dev:     {KeyDeletionWindowDays: MinKeyDeletionWindowDays, MinSubnets: 1},
	Test:    {KeyDeletionWindowDays: MinKeyDeletionWindowDays, MinSubnets: 1},
	Staging: {ManualApproval: true, NoStatefulDeletes: true, KeyDeletionWindowDays: MinKeyDeletionWindowDays, MinSubnets: 1},
	Prod: {ManualApproval: true, DeletionProtection: true, MFAForMutating: true,
		KeyDeletionWindowDays: 30, MinSubnets: 2},
}

// Of returns an environment's properties; ok is false for an unknown name
// (then the properties are the least strict: a foreign stack without an
// environment tag is judged by what its resources are).
func Of(name string) (p Properties, ok bool) {
	p, ok = table[name]
	return p, ok
}

// With lists the environments that have a property.
func With(has func(Properties) bool) []string {
	var out []string
	for _, name := range Names {
		if has(table[name]) {
			out = append(out, name)
		}
	}
	return out
}
