package control

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// BuildPlugins builds pulumi-resource-aws and pulumi-resource-aws-native into
// dir with test/fakeaws/build.sh, the one recipe for building the double.
func BuildPlugins(ctx context.Context, dir string) error {
	_, thisFile, _, ok := runtime.Caller(0)
	if !ok {
		return errors.New("fakeaws: cannot locate build.sh")
	}
	script := filepath.Join(filepath.Dir(thisFile), "..", "build.sh")
	out, err := exec.CommandContext(ctx, "sh", script, dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("fakeaws: %s %s: %w\n%s", script, dir, err, out)
	}
	return nil
}

// PluginEnv is the environment a Pulumi CLI needs to run against the double:
// pluginDir (from BuildPlugins) first on PATH, and the state directory.
// Add AccountEnv to act as an account other than DefaultAccount.
func PluginEnv(pluginDir, stateDir string) map[string]string {
	return map[string]string{
		"PATH": pluginDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		DirEnv: stateDir,
	}
}
