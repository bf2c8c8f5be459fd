// Command fakeaws-provider is the fakeaws test double for the AWS resource
// provider plugins. Built as pulumi-resource-aws or pulumi-resource-aws-native
// and put first on PATH, it lets the real Pulumi engine run end-to-end tests
// with "cloud" state kept in $MLPROV_FAKEAWS_DIR. It never talks to AWS and is
// never shipped.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	fakeaws "github.com/mlprov/mlprov/test/fakeaws/provider"
)

// packageName may be set with -ldflags "-X main.packageName=aws-native";
// otherwise it comes from the binary's name (pulumi-resource-<package>).
var packageName string

// pluginVersions are the SDK versions go.mod pins, reported as the plugin
// version so the engine sees what the program asked for.
var pluginVersions = map[string]string{
	"aws":        "6.83.2",
	"aws-native": "1.70.0",
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	pkg := packageName
	if pkg == "" {
		pkg = strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-")
	}
	version, ok := pluginVersions[pkg]
	if !ok {
		return fmt.Errorf("fakeaws-provider: cannot tell which package to serve from %q: build it as pulumi-resource-aws or pulumi-resource-aws-native (see test/fakeaws/build.sh)", os.Args[0])
	}
	return provider.Main(pkg, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return fakeaws.NewFromEnv(pkg, version)
	})
}
