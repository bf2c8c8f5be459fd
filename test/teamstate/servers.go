// Package teamstate starts the real implementations the team-state tests
// run mlprov's s3:// backend and awskms:// secrets provider against, on
// loopback addresses: an S3-compatible object store (tools/s3server, the
// gofakes3 S3 protocol implementation, objects in memory) and a KMS emulator
// (local-kms, github.com/nsmithuk/local-kms). `make servers` builds both
// into bin/. Test infrastructure only; nothing here reaches outside the
// machine.
package teamstate

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/testenv"
)

// Binaries `make servers` builds, relative to the repository root.
const (
	S3ServerBinary = "bin/s3server"
	KMSBinary      = "bin/local-kms"
	// BuildCommand builds them.
	BuildCommand = "make servers"
)

// Region and credentials the servers accept (any signature passes; the AWS
// SDK only needs some credentials to sign with).
const (
	Region          = "us-east-1"
	AccessKeyID     = "mlprov-test"
	SecretAccessKey = "mlprov-test-secret"
	// StateKeyAlias is the KMS key seeded for state secrets.
	StateKeyAlias = "alias/mlprov-state"
	stateKeyID    = "6f1f6c1e-4b7a-4f3e-9b1d-5c2a7e9d0a11"
	accountID     = "111122223333"
)

// Servers are a running object store and KMS emulator.
type Servers struct {
	S3Endpoint  string // http://127.0.0.1:PORT
	KMSEndpoint string
	Bucket      string
}

// requireBinary returns the absolute path of a server binary; a missing one
// skips the test, or fails it under CI=true, naming the build command.
func requireBinary(t *testing.T, root, rel string) string {
	t.Helper()
	path := filepath.Join(root, rel)
	if _, err := os.Stat(path); err != nil {
		testenv.Missing(t, path+" missing", BuildCommand)
	}
	return path
}

// Start starts both servers for the test (stopped when it ends) with an
// empty bucket. root is the repository root.
func Start(t *testing.T, root string) *Servers {
	t.Helper()
	s3bin, kmsbin := requireBinary(t, root, S3ServerBinary), requireBinary(t, root, KMSBinary)
	s := &Servers{Bucket: "mlprov-team-state"}
	dir := t.TempDir()
	addrFile := filepath.Join(dir, "s3.addr")
	start(t, exec.Command(s3bin, "-listen", "127.0.0.1:0", "-bucket", s.Bucket, "-addr-file", addrFile))
	addr := waitForFile(t, addrFile)
	s.S3Endpoint = "http://" + addr

	port := freePort(t)
	seed := filepath.Join(dir, "kms-seed.yaml")
	if err := os.WriteFile(seed, []byte(kmsSeed), 0o644); err != nil {
		t.Fatal(err)
	}
	kms := exec.Command(kmsbin)
	kms.Env = append(os.Environ(), "PORT="+port, "KMS_REGION="+Region, "KMS_ACCOUNT_ID="+accountID,
		"KMS_SEED_PATH="+seed, "KMS_DATA_PATH="+filepath.Join(dir, "kms-data"))
	start(t, kms)
	s.KMSEndpoint = "http://127.0.0.1:" + port
	waitForHTTP(t, s.KMSEndpoint)
	waitForHTTP(t, s.S3Endpoint)
	return s
}

// kmsSeed creates the state key (AES, symmetric) and its alias.
const kmsSeed = `Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ` + stateKeyID + `
        BackingKeys:
          - 5a2c3f0e9b8d7c6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa9988
Aliases:
  - AliasName: ` + StateKeyAlias + `
    TargetKeyId: ` + stateKeyID + `
`

// BackendURL is the documented s3:// form for an S3-compatible store.
func (s *Servers) BackendURL() string {
	return BackendURL(s.Bucket, s.S3Endpoint)
}

// BackendURL is s3://BUCKET?endpoint=…&s3ForcePathStyle=true&region=….
func BackendURL(bucket, endpoint string) string {
	q := url.Values{"endpoint": {endpoint}, "s3ForcePathStyle": {"true"}, "region": {Region}}
	return "s3://" + bucket + "?" + q.Encode()
}

// SecretsProvider is the awskms:// URL of a key alias on the emulator.
func (s *Servers) SecretsProvider(alias string) string {
	q := url.Values{"endpoint": {s.KMSEndpoint}, "region": {Region}}
	return "awskms://" + alias + "?" + q.Encode()
}

// Env is the environment mlprov needs to talk to the servers.
func Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + SecretAccessKey, "AWS_REGION=" + Region,
		"AWS_EC2_METADATA_DISABLED=true"}
}

// Object reads an object from the bucket ("" and false when absent).
func (s *Servers) Object(t *testing.T, key string) (string, bool) {
	t.Helper()
	body, status := send(t, mustRequest(t, http.MethodGet, s.S3Endpoint+"/"+s.Bucket+"/"+key, ""))
	return body, status == http.StatusOK
}

// Keys lists the bucket's keys under prefix.
func (s *Servers) Keys(t *testing.T, prefix string) []string {
	t.Helper()
	body, _ := send(t, mustRequest(t, http.MethodGet, s.S3Endpoint+"/"+s.Bucket+"?list-type=2&prefix="+url.QueryEscape(prefix), ""))
	var keys []string
	for _, part := range strings.Split(body, "<Key>")[1:] {
		key, _, _ := strings.Cut(part, "</Key>")
		keys = append(keys, key)
	}
	return keys
}

func start(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	var stderr strings.Builder
	cmd.Stderr, cmd.Stdout = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(cmd.Path), stderr.String())
		}
	})
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not write %s within 30s", path)
	return ""
}

// waitForHTTP waits until endpoint answers HTTP at all.
func waitForHTTP(t *testing.T, endpoint string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("%s did not answer within 30s: %v", endpoint, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Decrypt asks the KMS emulator to decrypt a base64 ciphertext blob (the
// KMS Decrypt API) and returns the plaintext; it fails the test when KMS
// refuses.
func (s *Servers) Decrypt(t *testing.T, ciphertextBase64 string) []byte {
	t.Helper()
	out, status := s.call(t, "Decrypt", `{"CiphertextBlob":"`+ciphertextBase64+`"}`)
	var resp struct{ Plaintext []byte }
	if status != http.StatusOK || json.Unmarshal([]byte(out), &resp) != nil {
		t.Fatalf("KMS Decrypt: HTTP %d %s", status, out)
	}
	return resp.Plaintext
}

// call sends one KMS API call (AWS JSON 1.1, X-Amz-Target
// TrentService.<op>, per the KMS API model's metadata) to the emulator.
func (s *Servers) call(t *testing.T, op, body string) (string, int) {
	t.Helper()
	req := mustRequest(t, http.MethodPost, s.KMSEndpoint, body)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService."+op)
	return send(t, req)
}

func mustRequest(t *testing.T, method, target, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// send sends req and returns the response body and status.
func send(t *testing.T, req *http.Request) (string, int) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	return b.String(), resp.StatusCode
}
