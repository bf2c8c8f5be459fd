package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// providerConfig is the part of the provider configuration the double honours.
type providerConfig struct {
	region              string
	allowedAccountIDs   []string
	forbiddenAccountIDs []string
	defaultTags         map[string]any
}

// parseConfig reads the configuration from the structured args, falling back
// to the legacy "<pkg>:config:<key>" variables, and the region from the
// environment as the AWS SDK does.
func parseConfig(pkg string, args *structpb.Struct, variables map[string]string) (providerConfig, error) {
	values := toMap(args)
	lookup := func(key string) (any, bool) {
		if v, ok := values[key]; ok && v != nil {
			return v, true
		}
		for _, name := range []string{pkg + ":config:" + key, pkg + ":" + key} {
			if v, ok := variables[name]; ok {
				return v, true
			}
		}
		return nil, false
	}
	var cfg providerConfig
	var err error
	if v, ok := lookup("region"); ok {
		cfg.region, _ = v.(string)
	}
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if cfg.region == "" {
			cfg.region = os.Getenv(env)
		}
	}
	if cfg.region == "" {
		return cfg, fmt.Errorf("fakeaws: %s provider: no region: set %s:region or AWS_REGION", pkg, pkg)
	}
	if v, ok := lookup("allowedAccountIds"); ok {
		if cfg.allowedAccountIDs, err = stringList(v); err != nil {
			return cfg, fmt.Errorf("fakeaws: %s provider: allowedAccountIds: %w", pkg, err)
		}
	}
	if v, ok := lookup("forbiddenAccountIds"); ok {
		if cfg.forbiddenAccountIDs, err = stringList(v); err != nil {
			return cfg, fmt.Errorf("fakeaws: %s provider: forbiddenAccountIds: %w", pkg, err)
		}
	}
	if v, ok := lookup("defaultTags"); ok {
		var defaults struct {
			Tags map[string]any `json:"tags"`
		}
		if err := decodeLenient(v, &defaults); err != nil {
			return cfg, fmt.Errorf("fakeaws: %s provider: defaultTags: %w", pkg, err)
		}
		cfg.defaultTags = defaults.Tags
	}
	return cfg, nil
}

// admits refuses an account the configuration does not allow, with the
// message the real AWS provider gives.
func (c providerConfig) admits(account string) error {
	if len(c.allowedAccountIDs) > 0 && !slices.Contains(c.allowedAccountIDs, account) {
		return fmt.Errorf("fakeaws: AWS account ID not allowed: %s (allowedAccountIds: %s)",
			account, strings.Join(c.allowedAccountIDs, ", "))
	}
	if slices.Contains(c.forbiddenAccountIDs, account) {
		return fmt.Errorf("fakeaws: AWS account ID not allowed: %s (in forbiddenAccountIds)", account)
	}
	return nil
}

// stringList accepts a list, or a JSON-encoded list as stack config gives it.
func stringList(v any) ([]string, error) {
	var out []string
	if err := decodeLenient(v, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeLenient decodes a structured value, or a string holding JSON, into out.
func decodeLenient(v any, out any) error {
	data, isString := v.(string)
	raw := []byte(data)
	if !isString {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return err
		}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("cannot decode %q: %w", raw, err)
	}
	return nil
}
