// Command mlprov-program is the mlprov Pulumi program for `pulumi up` on the
// project's Pulumi.yaml: it reads the product config named by the stack's
// mlprov:configFile setting and runs stacks.Program.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/stacks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// configFileKey is the stack setting naming the product config.
const configFileKey = "configFile"

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		path, err := configPath(pulumiconfig.Require(ctx, configFileKey), ctx.RootDirectory())
		if err != nil {
			return err
		}
		cfg, err := config.Load(path)
		if err != nil {
			return err
		}
		return stacks.Program(cfg)(ctx)
	})
}

// configPath resolves a relative path against the project root (the folder of
// Pulumi.yaml), since the language host may run the program elsewhere.
func configPath(path, projectRoot string) (string, error) {
	if filepath.IsAbs(path) {
		return path, nil
	}
	candidate := filepath.Join(projectRoot, path)
	if _, err := os.Stat(candidate); err != nil {
		return "", fmt.Errorf("mlprov:configFile %q: no such file under the project root %s", path, projectRoot)
	}
	return candidate, nil
}
