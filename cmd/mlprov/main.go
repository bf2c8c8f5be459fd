// Command mlprov provisions the AWS infrastructure of an ML product.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mlprov/mlprov/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(os.Args[1:], cli.Deps{
		Out: os.Stdout, Err: os.Stderr, Now: time.Now, Context: ctx, Getenv: os.Getenv, Version: version, Audit: true,
	})
	stop()
	os.Exit(code)
}
