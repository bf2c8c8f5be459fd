package awstypes

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tokenLiteral matches a quoted Pulumi AWS type token in Go source:
// "aws:{module}/{member}:{Name}" or "aws-native:{module}:{Name}".
var tokenLiteral = regexp.MustCompile(`"(aws:[a-z0-9]+/[A-Za-z0-9]+:[A-Za-z0-9]+|aws-native:[a-z0-9]+:[A-Za-z0-9]+)"`)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package")
		}
		dir = parent
	}
}

// TestNoTokenLiteralOutsideThisPackage is the one-place rule: production
// code names a type token only through this package. Tests may spell tokens
// out: they pin the strings independently of this table.
func TestNoTokenLiteralOutsideThisPackage(t *testing.T) {
	root := repoRoot(t)
	self, _ := filepath.Abs(".")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == self || strings.HasPrefix(d.Name(), ".") || d.Name() == "bin" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue // a comment may show an example token
			}
			for _, m := range tokenLiteral.FindAllStringSubmatch(line, -1) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: type token %s written out; use the internal/awstypes constant (add it there if it is new)", rel, i+1, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAllListsEveryConstant keeps All complete and free of repeats.
func TestAllListsEveryConstant(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "awstypes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				s, err := strconv.Unquote(v.(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				if declared[s] {
					t.Errorf("%s declared twice", s)
				}
				declared[s] = true
			}
		}
	}
	listed := map[string]bool{}
	for _, tok := range All {
		if listed[tok] {
			t.Errorf("%s listed twice in All", tok)
		}
		listed[tok] = true
		if !declared[tok] {
			t.Errorf("%s in All but not a constant", tok)
		}
	}
	for tok := range declared {
		if !listed[tok] {
			t.Errorf("constant %s missing from All", tok)
		}
	}
}

// TestTokensExistInTheSDKs proves every token against the Pulumi SDK that
// registers it (the independent source): the SDK's module package calls
// RegisterResource / Invoke with exactly this string.
func TestTokensExistInTheSDKs(t *testing.T) {
	sdkDir := map[string]string{}
	for pkg, module := range map[string]string{
		"aws":        "github.com/pulumi/pulumi-aws/sdk/v6",
		"aws-native": "github.com/pulumi/pulumi-aws-native/sdk",
	} {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
		if err != nil || strings.TrimSpace(string(out)) == "" {
			t.Fatalf("locate %s in the module cache (go mod download): %v", module, err)
		}
		sdkDir[pkg] = filepath.Join(strings.TrimSpace(string(out)), "go", "aws")
	}
	for _, tok := range All {
		pkg, rest, _ := strings.Cut(tok, ":")
		module, _, _ := strings.Cut(rest, ":")
		module, _, _ = strings.Cut(module, "/")
		dir := sdkDir[pkg]
		if module != "index" {
			dir = filepath.Join(dir, module)
		}
		if !dirQuotes(t, dir, tok) {
			t.Errorf("%s: no SDK source under %s registers or invokes it", tok, dir)
		}
	}
}

func dirQuotes(t *testing.T, dir, tok string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read SDK package: %v", err)
	}
	needle := strconv.Quote(tok)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), needle) {
			return true
		}
	}
	return false
}

// TestEveryRenderedTypeIsListed: every AWS resource the program creates
// (the render golden snapshots of every shipped config) has a constant.
func TestEveryRenderedTypeIsListed(t *testing.T) {
	listed := map[string]bool{}
	for _, tok := range All {
		listed[tok] = true
	}
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "internal", "render", "testdata", "golden", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden snapshots found: %v", err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) == 0 || !strings.HasPrefix(fields[0], "aws") || seen[fields[0]] {
				continue
			}
			seen[fields[0]] = true
			if !listed[fields[0]] {
				t.Errorf("%s (rendered in %s) is not in internal/awstypes", fields[0], filepath.Base(path))
			}
		}
		f.Close()
	}
	if !seen[CodeConnection] {
		t.Errorf("no golden snapshot renders %s; the codeconnections configs should", CodeConnection)
	}
}
