// Package cloudstate is the on-disk "cloud" of the fakeaws test double: the
// resources the fake provider plugins created, the values tests seeded (SSM
// parameters, VPCs), the faults tests injected and the log of provider calls.
//
// It is test infrastructure only. The plugin processes (one per provider
// instance the engine starts) and the test process all share one directory, so
// every read-modify-write happens under an flock on a lock file and every file
// is replaced atomically (write to a temporary file, then rename).
//
// Layout of a state directory:
//
//	resources/<type>__<id>__<hash>.json   one Resource per file
//	seeds/parameters/<name>__<hash>.json  SeededParameter
//	seeds/vpcs/<id>__<hash>.json          SeededVPC
//	seeds/buckets/<name>__<hash>.json     SeededBucket
//	faults.json                           pending Faults
//	calls.jsonl                           one Call per line
//	authorizer.json                       AuthorizerConfig (optional)
package cloudstate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Environment variables read by the fake provider plugins.
const (
	// DirEnv names the state directory; the plugins refuse to start without it.
	DirEnv = "MLPROV_FAKEAWS_DIR"
	// AccountEnv is the AWS account the fake credentials belong to.
	AccountEnv = "MLPROV_FAKEAWS_ACCOUNT"
	// DefaultAccount is the account used when AccountEnv is unset.
	DefaultAccount = "123456789012"
)

// Resource is one resource the fake cloud holds.
type Resource struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	// Name is the physical name ("" when the type has none).
	Name    string         `json:"name,omitempty"`
	URN     string         `json:"urn,omitempty"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
	// ObjectVersions counts the object versions in a bucket (written by a
	// test standing in for the pipelines); DeleteBucket fails while any exist.
	ObjectVersions int `json:"objectVersions,omitempty"`
}

// Fault makes the next Times calls of Op on matching resources fail with
// Message; nothing is persisted by a failed call.
type Fault struct {
	// Op is one of OpCreate, OpUpdate, OpDelete, OpRead.
	Op string `json:"op"`
	// Type is the resource type token, e.g. "aws:s3/bucketV2:BucketV2".
	Type string `json:"type"`
	// Name matches the physical name or the id; "" matches every resource of Type.
	Name    string `json:"name,omitempty"`
	Times   int    `json:"times"`
	Message string `json:"message"`
}

// Operations a Fault or Call can name.
const (
	OpConfigure = "configure"
	OpCreate    = "create"
	OpRead      = "read"
	OpUpdate    = "update"
	OpDelete    = "delete"
	OpInvoke    = "invoke"
)

// Call is one entry of the call log. Preview-only calls (which would not reach
// AWS) are not logged.
type Call struct {
	Time     time.Time `json:"time"`
	Provider string    `json:"provider"` // "aws" or "aws-native"
	Op       string    `json:"op"`
	// Type is the resource type token, or the function token for an invoke.
	Type   string         `json:"type,omitempty"`
	ID     string         `json:"id,omitempty"`
	Name   string         `json:"name,omitempty"`
	Inputs map[string]any `json:"inputs,omitempty"`
	// Error is the error the call returned, "" on success.
	Error string `json:"error,omitempty"`
	// Rules are the AWS rules (awsrules) the call was checked against.
	Rules []string `json:"rules,omitempty"`
}

// SeededParameter is an SSM parameter that exists outside the stack.
type SeededParameter struct {
	Name  string `json:"name"`
	Type  string `json:"type"` // String | StringList | SecureString
	Value string `json:"value"`
}

// SeededVPC is a VPC (and its subnets) that exists outside the stack.
type SeededVPC struct {
	ID        string   `json:"id"`
	CidrBlock string   `json:"cidrBlock"`
	SubnetIDs []string `json:"subnetIds"`
	// DNS attributes (both on unless a test turns one off); private DNS of an
	// interface endpoint needs both.
	DNSSupportDisabled   bool `json:"dnsSupportDisabled,omitempty"`
	DNSHostnamesDisabled bool `json:"dnsHostnamesDisabled,omitempty"`
	// SubnetRouteTables are the explicit subnet associations (subnet →
	// route table); every other subnet uses the main route table.
	SubnetRouteTables map[string]string `json:"subnetRouteTables,omitempty"`
}

// MainRouteTable is the VPC's main route table: every VPC has one, used by
// each subnet without an explicit association
// (https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#RouteTables).
func (v SeededVPC) MainRouteTable() string { return "rtb-main" + strings.TrimPrefix(v.ID, "vpc") }

// RouteTableOf is the route table a subnet uses.
func (v SeededVPC) RouteTableOf(subnet string) string {
	if t, ok := v.SubnetRouteTables[subnet]; ok {
		return t
	}
	return v.MainRouteTable()
}

// SeededBucket is an S3 bucket that exists outside the stack (an S3
// source's), with the one setting the program reads.
type SeededBucket struct {
	Name string `json:"name"`
	// EventBridgeEnabled: the bucket sends its events to EventBridge
	// (PutBucketNotificationConfiguration with an EventBridgeConfiguration).
	EventBridgeEnabled bool `json:"eventBridgeEnabled"`
}

// AuthorizerConfig selects the policy the plugins enforce on every call.
type AuthorizerConfig struct {
	// Kind is "allow-all" (the default when no file exists).
	Kind string `json:"kind"`
	// Policy is a raw policy document for authorizers that need one.
	Policy json.RawMessage `json:"policy,omitempty"`
}

// ErrAlreadyExists is returned by CreateResource when type+id is taken.
var ErrAlreadyExists = errors.New("resource already exists")

// ErrNotFound is returned when a resource or seed does not exist.
var ErrNotFound = errors.New("not found")

const (
	resourcesDir  = "resources"
	parametersDir = "seeds/parameters"
	vpcsDir       = "seeds/vpcs"
	bucketsDir    = "seeds/buckets"
	faultsFile    = "faults.json"
	callsFile     = "calls.jsonl"
	lockFile      = ".lock"
	// AuthorizerFile is the optional authorizer configuration in the state dir.
	AuthorizerFile = "authorizer.json"
)

// Store is a state directory.
type Store struct {
	dir string
}

// Open creates (if needed) and opens the state directory dir.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("fakeaws: empty state directory")
	}
	for _, sub := range []string{resourcesDir, parametersDir, vpcsDir, bucketsDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("fakeaws: create state directory: %w", err)
		}
	}
	return &Store{dir: dir}, nil
}

// OpenFromEnv opens the directory named by DirEnv.
func OpenFromEnv() (*Store, error) {
	dir := os.Getenv(DirEnv)
	if dir == "" {
		return nil, fmt.Errorf("fakeaws: %s is not set: the fake AWS provider (a test double) needs a state directory", DirEnv)
	}
	return Open(dir)
}

// Dir is the state directory.
func (s *Store) Dir() string { return s.dir }

// locked runs fn while holding the directory's exclusive lock, which orders
// read-modify-write sequences across plugin processes and goroutines.
func (s *Store) locked(fn func() error) error {
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("fakeaws: open lock: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("fakeaws: lock state: %w", err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing releases it anyway
	return fn()
}

// fileKey is a readable, collision-free file name for the given parts.
func fileKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	readable := make([]string, len(parts))
	for i, p := range parts {
		readable[i] = strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
				return r
			}
			return '_'
		}, p)
		if len(readable[i]) > 80 {
			readable[i] = readable[i][:80]
		}
	}
	return strings.Join(readable, "__") + "__" + hex.EncodeToString(sum[:6]) + ".json"
}

func writeJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("fakeaws: encode %s: %w", filepath.Base(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("fakeaws: write %s: %w", filepath.Base(path), err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("fakeaws: write %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("fakeaws: write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("fakeaws: write %s: %w", filepath.Base(path), err)
	}
	return nil
}

// readJSON decodes path into v; it returns ErrNotFound when path is missing.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("fakeaws: read %s: %w", filepath.Base(path), err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("fakeaws: decode %s: %w", path, err)
	}
	return nil
}

// readAll decodes every JSON file of subdir, in file name order.
func readAll[T any](s *Store, subdir string) ([]T, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, subdir))
	if err != nil {
		return nil, fmt.Errorf("fakeaws: list %s: %w", subdir, err)
	}
	var out []T
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		var v T
		if err := readJSON(filepath.Join(s.dir, subdir, e.Name()), &v); err != nil {
			if errors.Is(err, ErrNotFound) { // deleted while listing
				continue
			}
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Store) resourcePath(typ, id string) string {
	return filepath.Join(s.dir, resourcesDir, fileKey(typ, id))
}

// CreateResource stores r unless a resource with the same type and id exists.
func (s *Store) CreateResource(r Resource) error {
	return s.locked(func() error {
		path := s.resourcePath(r.Type, r.ID)
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%w: %s %q", ErrAlreadyExists, r.Type, r.ID)
		}
		return writeJSONAtomic(path, r)
	})
}

// PutResource stores r, replacing any resource with the same type and id.
func (s *Store) PutResource(r Resource) error {
	return s.locked(func() error { return writeJSONAtomic(s.resourcePath(r.Type, r.ID), r) })
}

// GetResource loads one resource; it returns ErrNotFound when it is absent.
func (s *Store) GetResource(typ, id string) (Resource, error) {
	var r Resource
	err := readJSON(s.resourcePath(typ, id), &r)
	return r, err
}

// UpdateResource applies change to a stored resource under the lock.
func (s *Store) UpdateResource(typ, id string, change func(*Resource) error) error {
	return s.locked(func() error {
		r, err := s.GetResource(typ, id)
		if err != nil {
			return fmt.Errorf("%s %q: %w", typ, id, err)
		}
		if err := change(&r); err != nil {
			return err
		}
		return writeJSONAtomic(s.resourcePath(typ, id), r)
	})
}

// DeleteResource removes a resource and reports whether it existed.
func (s *Store) DeleteResource(typ, id string) (existed bool, err error) {
	err = s.locked(func() error {
		rmErr := os.Remove(s.resourcePath(typ, id))
		if errors.Is(rmErr, fs.ErrNotExist) {
			return nil
		}
		existed = rmErr == nil
		return rmErr
	})
	return existed, err
}

// Resources lists every stored resource, sorted by type then id.
func (s *Store) Resources() ([]Resource, error) {
	rs, err := readAll[Resource](s, resourcesDir)
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Type != rs[j].Type {
			return rs[i].Type < rs[j].Type
		}
		return rs[i].ID < rs[j].ID
	})
	return rs, err
}

// PutParameter seeds an SSM parameter.
func (s *Store) PutParameter(p SeededParameter) error {
	return s.locked(func() error {
		return writeJSONAtomic(filepath.Join(s.dir, parametersDir, fileKey(p.Name)), p)
	})
}

// Parameter loads a seeded SSM parameter; ErrNotFound when absent.
func (s *Store) Parameter(name string) (SeededParameter, error) {
	var p SeededParameter
	err := readJSON(filepath.Join(s.dir, parametersDir, fileKey(name)), &p)
	return p, err
}

// PutVPC seeds a VPC.
func (s *Store) PutVPC(v SeededVPC) error {
	return s.locked(func() error {
		return writeJSONAtomic(filepath.Join(s.dir, vpcsDir, fileKey(v.ID)), v)
	})
}

// VPCs lists the seeded VPCs.
func (s *Store) VPCs() ([]SeededVPC, error) { return readAll[SeededVPC](s, vpcsDir) }

// PutBucket seeds a bucket.
func (s *Store) PutBucket(b SeededBucket) error {
	return s.locked(func() error {
		return writeJSONAtomic(filepath.Join(s.dir, bucketsDir, fileKey(b.Name)), b)
	})
}

// Bucket loads a seeded bucket; ErrNotFound when absent.
func (s *Store) Bucket(name string) (SeededBucket, error) {
	var b SeededBucket
	err := readJSON(filepath.Join(s.dir, bucketsDir, fileKey(name)), &b)
	return b, err
}

// AddFault queues a fault.
func (s *Store) AddFault(f Fault) error {
	return s.locked(func() error {
		faults, err := s.faults()
		if err != nil {
			return err
		}
		return writeJSONAtomic(filepath.Join(s.dir, faultsFile), append(faults, f))
	})
}

// Faults lists the pending faults.
func (s *Store) Faults() ([]Fault, error) { return s.faults() }

func (s *Store) faults() ([]Fault, error) {
	var faults []Fault
	err := readJSON(filepath.Join(s.dir, faultsFile), &faults)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return faults, err
}

// ConsumeFault finds the first pending fault for op on a resource of type typ
// whose physical name or id matches, uses up one of its Times and returns it.
func (s *Store) ConsumeFault(op, typ string, names ...string) (Fault, bool, error) {
	var hit Fault
	var found bool
	err := s.locked(func() error {
		faults, err := s.faults()
		if err != nil {
			return err
		}
		for i, f := range faults {
			if f.Op != op || f.Type != typ || !matchesName(f.Name, names) {
				continue
			}
			hit, found = f, true
			faults[i].Times--
			if faults[i].Times <= 0 {
				faults = append(faults[:i], faults[i+1:]...)
			}
			return writeJSONAtomic(filepath.Join(s.dir, faultsFile), faults)
		}
		return nil
	})
	return hit, found, err
}

func matchesName(want string, names []string) bool {
	if want == "" {
		return true
	}
	for _, n := range names {
		if n != "" && n == want {
			return true
		}
	}
	return false
}

// AppendCall adds c to the call log.
func (s *Store) AppendCall(c Call) error {
	line, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("fakeaws: encode call: %w", err)
	}
	return s.locked(func() error {
		f, err := os.OpenFile(filepath.Join(s.dir, callsFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("fakeaws: open call log: %w", err)
		}
		if _, err := f.Write(append(line, '\n')); err != nil {
			f.Close()
			return fmt.Errorf("fakeaws: append call log: %w", err)
		}
		return f.Close()
	})
}

// Calls reads the call log in order.
func (s *Store) Calls() ([]Call, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, callsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fakeaws: read call log: %w", err)
	}
	var calls []Call
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	for sc.Scan() {
		var c Call
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("fakeaws: decode call log line %d: %w", len(calls)+1, err)
		}
		calls = append(calls, c)
	}
	return calls, sc.Err()
}

// Authorizer loads the authorizer configuration; Kind "allow-all" when absent.
func (s *Store) Authorizer() (AuthorizerConfig, error) {
	cfg := AuthorizerConfig{Kind: "allow-all"}
	err := readJSON(filepath.Join(s.dir, AuthorizerFile), &cfg)
	if errors.Is(err, ErrNotFound) {
		return AuthorizerConfig{Kind: "allow-all"}, nil
	}
	return cfg, err
}

// SetAuthorizer writes the authorizer configuration.
func (s *Store) SetAuthorizer(cfg AuthorizerConfig) error {
	return s.locked(func() error { return writeJSONAtomic(filepath.Join(s.dir, AuthorizerFile), cfg) })
}
