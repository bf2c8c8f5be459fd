// Command mlprov provisions the AWS infrastructure of an ML product.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mlprov/mlprov/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go interrupts(signals, cancel)
	code := cli.Main(os.Args[1:], cli.Deps{
		Out: os.Stdout, Err: os.Stderr, Now: time.Now, Context: ctx, Getenv: os.Getenv, Version: version, Audit: true,
	})
	signal.Stop(signals)
	cancel()
	os.Exit(code)
}

// interrupts: the first signal cancels the operation, which then winds down
// cleanly (the engine finishes in-flight steps and releases its lock); a
// second one ends mlprov at once, saying what may be left.
func interrupts(signals <-chan os.Signal, cancel context.CancelFunc) {
	<-signals
	cancel()
	<-signals
	fmt.Fprintln(os.Stderr, "mlprov: second interrupt: exiting now without waiting for the clean-up. "+
		"The Pulumi CLI may still be stopping; the stack may be left locked and its state may hold pending operations. "+
		"Check with `mlprov list-products` (an update in progress) and `mlprov show-changes`, and deploy again to converge.")
	os.Exit(cli.ExitInterrupted)
}
