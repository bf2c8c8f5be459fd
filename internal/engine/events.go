package engine

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/mlprov/mlprov/internal/warnings"
)

// collector consumes one operation's engine event stream: it records the
// typed result and writes live progress. run must be started before the
// operation and wait called after it returns.
type collector struct {
	ch       chan events.EngineEvent
	done     chan struct{}
	progress *progress

	changes  []Change
	index    map[string]int // URN → position in changes
	steps    []apitype.StepEventMetadata
	outputs  []apitype.StepEventMetadata
	failures []*ResourceError
	policy   []PolicyViolation
	// warnings are the program's own (not a resource's), each once.
	warnings []string
	// summary counts resource steps by op (the engine's own resources aside).
	summary map[string]int
}

func newCollector(p *progress) *collector {
	return &collector{
		ch:       make(chan events.EngineEvent),
		done:     make(chan struct{}),
		progress: p,
		index:    map[string]int{},
		summary:  map[string]int{},
	}
}

func (c *collector) run() {
	go func() {
		defer close(c.done)
		for e := range c.ch {
			c.handle(e)
		}
	}()
}

// wait returns once the event stream is drained. When the operation failed
// before the Automation API started tailing its event log, the stream is
// never closed: then wait gives up after a short grace period.
func (c *collector) wait(opErr error) {
	if opErr == nil {
		<-c.done
		return
	}
	select {
	case <-c.done:
	case <-time.After(streamGrace):
	}
}

// streamGrace is how long a failed operation's event stream may take to drain.
const streamGrace = 3 * time.Second

// internalType marks the engine's own bookkeeping resources, never shown.
func internalType(typ string) bool {
	return typ == "pulumi:pulumi:Stack" || strings.HasPrefix(typ, "pulumi:providers:")
}

func (c *collector) handle(e events.EngineEvent) {
	switch {
	case e.ResourcePreEvent != nil:
		m := e.ResourcePreEvent.Metadata
		c.steps = append(c.steps, m)
		if internalType(m.Type) {
			return
		}
		op := string(m.Op)
		c.summary[op]++
		if op != string(apitype.OpSame) {
			ch := Change{URN: m.URN, Type: m.Type, Name: nameOf(m.URN), Op: op, Diffs: m.Diffs}
			if i, ok := c.index[m.URN]; ok {
				c.changes[i] = ch
			} else {
				c.index[m.URN] = len(c.changes)
				c.changes = append(c.changes, ch)
			}
		}
		c.progress.started(m)
	case e.ResOutputsEvent != nil:
		m := e.ResOutputsEvent.Metadata
		c.outputs = append(c.outputs, m)
		if !internalType(m.Type) {
			c.progress.finished(m)
		}
	case e.ResOpFailedEvent != nil:
		m := e.ResOpFailedEvent.Metadata
		c.failure(m.URN, m.Type, string(m.Op), "")
	case e.DiagnosticEvent != nil:
		d := e.DiagnosticEvent
		if d.Severity == "error" && d.URN != "" && !internalType(typeOf(d.URN)) {
			c.failure(d.URN, typeOf(d.URN), "", d.Message)
		}
		if w, ok := warnings.FromDiagnostic(cleanDiagnostic(d.Message)); ok && d.Severity == "warning" && !slices.Contains(c.warnings, w) {
			c.warnings = append(c.warnings, w)
		}
	case e.PolicyEvent != nil:
		p := e.PolicyEvent
		c.policy = append(c.policy, PolicyViolation{
			Policy: p.PolicyName, Enforcement: p.EnforcementLevel, URN: p.ResourceURN, Message: p.Message,
		})
	}
}

// deployment is the stack's state as a successful up's events left it: each
// resource's last outputs event, in the order the program registered them,
// and the root stack resource's outputs. The events carry secrets as
// "[secret]" already.
func (c *collector) deployment(stack string) *Deployment {
	last := map[string]apitype.StepEventMetadata{}
	for _, m := range c.outputs {
		switch {
		case m.Op == apitype.OpDelete || m.Op == apitype.OpReadDiscard:
			delete(last, m.URN)
		case m.New != nil && m.Op != apitype.OpDeleteReplaced && m.Op != apitype.OpDiscardReplaced:
			last[m.URN] = m
		}
	}
	d := newDeployment(stack)
	seen := map[string]bool{}
	for _, step := range c.steps {
		m, ok := last[step.URN]
		if !ok || seen[step.URN] {
			continue
		}
		seen[step.URN] = true
		if m.Type == rootStackType {
			d.setOutputs(m.New.Outputs)
			continue
		}
		d.add(m.URN, m.Type, string(m.New.ID), m.New.Custom, m.New.Protect, m.New.RetainOnDelete, m.New.Outputs)
	}
	return d
}

// failure records (or completes) the failure of one resource.
func (c *collector) failure(urn, typ, op, message string) {
	for _, f := range c.failures {
		if f.URN == urn {
			if f.Op == "" {
				f.Op = op
			}
			if f.Message == "" {
				f.Message = cleanDiagnostic(message)
			}
			return
		}
	}
	c.failures = append(c.failures, &ResourceError{URN: urn, Type: typ, Name: nameOf(urn), Op: op, Message: cleanDiagnostic(message)})
	c.progress.failed(urn, cleanDiagnostic(message))
}

// mandatory returns the policy findings that block the operation.
func (c *collector) mandatory() []PolicyViolation {
	var out []PolicyViolation
	for _, v := range c.policy {
		if v.Enforcement == "mandatory" || v.Enforcement == "remediate" {
			out = append(out, v)
		}
	}
	return out
}

// advisory returns the findings that do not block.
func (c *collector) advisory() []PolicyViolation {
	var out []PolicyViolation
	for _, v := range c.policy {
		if v.Enforcement == "advisory" {
			out = append(out, v)
		}
	}
	return out
}

// typeOf is the type token inside a URN (urn:pulumi:stack::project::[parent$]type::name).
func typeOf(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return ""
	}
	t := parts[2]
	if i := strings.LastIndex(t, "$"); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// cleanDiagnostic drops the engine's colour codes and blank lines.
func cleanDiagnostic(s string) string {
	s = strings.NewReplacer("<{%reset%}>", "", "<{%fg 1%}>", "", "<{%bold%}>", "").Replace(s)
	return strings.TrimSpace(s)
}

// progress writes per-resource lines: plain lines, or on a terminal one
// status line rewritten in place plus a line per finished resource.
type progress struct {
	w         io.Writer
	terminal  bool
	verb      string // "preview", "deploy", …
	dryRun    bool
	active    int
	finishedN int
}

func newProgress(w io.Writer, terminal bool, verb string, dryRun bool) *progress {
	return &progress{w: w, terminal: terminal, verb: verb, dryRun: dryRun}
}

func (p *progress) started(m apitype.StepEventMetadata) {
	if p == nil || p.w == nil || m.Op == apitype.OpSame {
		return
	}
	if p.dryRun {
		p.line(fmt.Sprintf("  %-8s %s (%s)%s", m.Op, nameOf(m.URN), m.Type, diffSuffix(m.Diffs)))
		return
	}
	p.active++
	if p.terminal {
		p.status(fmt.Sprintf("%s: %d done, %d in progress — %s %s", p.verb, p.finishedN, p.active, m.Op, nameOf(m.URN)))
		return
	}
	p.line(fmt.Sprintf("  %-8s %s (%s)...", m.Op, nameOf(m.URN), m.Type))
}

func (p *progress) finished(m apitype.StepEventMetadata) {
	if p == nil || p.w == nil || p.dryRun || m.Op == apitype.OpSame {
		return
	}
	p.active--
	p.finishedN++
	p.line(fmt.Sprintf("  %-8s %s (%s) done", m.Op, nameOf(m.URN), m.Type))
}

func (p *progress) failed(urn, message string) {
	if p == nil || p.w == nil {
		return
	}
	p.line(fmt.Sprintf("  FAILED   %s (%s): %s", nameOf(urn), typeOf(urn), firstLine(message)))
}

// line prints a permanent line (clearing a terminal status line first).
func (p *progress) line(s string) {
	if p.terminal {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintln(p.w, s)
}

func (p *progress) status(s string) { fmt.Fprint(p.w, "\r\033[K"+s) }

// end clears the terminal status line.
func (p *progress) end() {
	if p != nil && p.w != nil && p.terminal {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func diffSuffix(diffs []string) string {
	if len(diffs) == 0 {
		return ""
	}
	return " [" + strings.Join(diffs, ", ") + "]"
}
