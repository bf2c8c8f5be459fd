package rules

// kmsPolicyPath is where a key type carries its key policy.
func kmsPolicyPath(r Resource) string {
	if r.Type == typeNativeKMSKey {
		return "keyPolicy"
	}
	return "policy"
}

// symmetricKey reports whether a key can rotate automatically (only
// symmetric encryption keys can).
func symmetricKey(r Resource) bool {
	spec := r.Props.String("customerMasterKeySpec")
	if spec == "" {
		spec = r.Props.String("keySpec")
	}
	return spec == "" || spec == "SYMMETRIC_DEFAULT"
}
