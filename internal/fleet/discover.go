package fleet

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
)

// ConfigPattern is the documented rule for which files --all DIR takes.
const ConfigPattern = "every *.yaml and *.yml file under DIR, recursively, skipping folders whose name starts with a dot"

// ConfigFiles lists the config files under dir (see ConfigPattern), sorted.
func ConfigFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// Entry is one config of the fleet, loaded once to learn its stack name.
type Entry struct {
	// Config is the file's path as found under the folder.
	Config string
	// Stack is the product's stack name; "" when the config does not load
	// (the action then reports why, with exit code and problems).
	Stack    string
	Tier     string
	Scenario string
	// ShardKey places the entry in a shard: the stack name, or for a config
	// that does not load, its path relative to the folder (the same on every
	// CI runner's checkout).
	ShardKey string
	// DuplicateOf is an earlier config of the same stack. Scenarios of one
	// product share a stack and render to distinct files, so offline actions
	// run them all; an engine action reports the duplicate instead (two
	// configs compared against one deployed stack cannot both be right).
	DuplicateOf string
}

// Label names the entry in progress lines and tables.
func (e Entry) Label() string { return label(e.Stack, e.Scenario, e.Config) }

// label is the stack and scenario, or the config file when it did not load.
func label(stack, scenario, config string) string {
	if stack == "" {
		return config
	}
	return stack + " [" + scenario + "]"
}

// Discover lists the fleet under dir and keeps the entries in shard.
func Discover(dir string, shard Shard) ([]Entry, error) {
	files, err := ConfigFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("--all %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("--all %s: no config found (%s)", dir, ConfigPattern)
	}
	entries := make([]Entry, 0, len(files))
	firstByStack := map[string]string{}
	for _, f := range files {
		e := Entry{Config: f}
		if cfg, err := config.Load(f); err == nil {
			n := naming.For(cfg)
			e.Stack, e.Tier, e.Scenario, e.ShardKey = n.StackName, string(cfg.MLProduct.Tier), n.Scenario, n.StackName
			if first, ok := firstByStack[n.StackName]; ok {
				e.DuplicateOf = first
			} else {
				firstByStack[n.StackName] = f
			}
		} else {
			rel, relErr := filepath.Rel(dir, f)
			if relErr != nil {
				rel = f
			}
			e.ShardKey = filepath.ToSlash(rel)
		}
		if shard.Contains(e.ShardKey) {
			entries = append(entries, e)
		}
	}
	return entries, nil
}
