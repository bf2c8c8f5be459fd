package engine

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// recordingCLI stands in for the Pulumi CLI: it records each call and answers
// every one with an empty JSON list.
type recordingCLI struct{ calls []string }

func (r *recordingCLI) Run(_ context.Context, _ string, _ io.Reader, _, _ []io.Writer, _ []string, args ...string) (string, string, int, error) {
	r.calls = append(r.calls, strings.Join(args, " "))
	return "[]", "", 0, nil
}

func (r *recordingCLI) Version() semver.Version { return semver.MustParse(PinnedCLIVersion) }

// The summary read auto.Stack makes after an up (History(ctx, 1, 1), built
// by the pinned SDK itself) never starts the CLI; other reads still do.
func TestSummaryReadNeverStartsTheCLI(t *testing.T) {
	ctx := context.Background()
	cli := &recordingCLI{}
	ws, err := auto.NewLocalWorkspace(ctx, auto.Pulumi(withoutSummaryRead{cli}), auto.WorkDir(t.TempDir()),
		auto.Project(workspace.Project{Name: "summary-test", Runtime: workspace.NewProjectRuntimeInfo("go", nil)}))
	if err != nil {
		t.Fatal(err)
	}
	stack, err := auto.SelectStack(ctx, "dev", ws)
	if err != nil {
		t.Fatal(err)
	}
	before := len(cli.calls)
	if history, err := stack.History(ctx, 1, 1); err != nil || len(history) != 0 {
		t.Fatalf("summary read: %v, %v", history, err)
	}
	if len(cli.calls) != before {
		t.Errorf("the summary read started the CLI: %q", cli.calls[before:])
	}
	if _, err := stack.History(ctx, 10, 1); err != nil {
		t.Fatal(err)
	}
	if len(cli.calls) != before+1 || !strings.HasPrefix(cli.calls[before], "stack history") {
		t.Errorf("a longer history read must run the CLI, calls %q", cli.calls[before:])
	}
}
