package config

import _ "embed"

//go:embed mlprov-config.schema.json
var schema []byte

// SchemaFileName is the published schema's file name; example configs point
// editors at it with a yaml-language-server comment.
const SchemaFileName = "mlprov-config.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the config file. The
// caller gets its own copy.
func Schema() []byte { return append([]byte(nil), schema...) }
