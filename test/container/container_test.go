// Package container tests the OCI image `make image` builds. No container can
// run on these machines (podman builds images but cannot start them), so the
// test builds the image, exports its file system, checks its metadata and
// layout, and runs its /mlprov in a chroot of that file system as mluser,
// with the old tool's mounts bound in (/app/configs read-only).
package container

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

const (
	image      = "ml-provisioner"
	version    = "9.9.9-test"
	mluserID   = 1000
	configName = "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml"
	product    = "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm"
)

// need fails under CI=true and skips elsewhere when a prerequisite is missing.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI must run this test)", what)
	}
	t.Skip(what)
}

func run(t *testing.T, dir string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func TestImageHasTheOldInterface(t *testing.T) {
	_, err := exec.LookPath("podman")
	need(t, err == nil, "podman is missing: install it with `apt-get install -y podman` (or `make podman`)")
	need(t, os.Geteuid() == 0, "the chroot run needs root (chroot and bind mounts)")
	if testing.Short() {
		t.Skip("builds an image: not in -short")
	}

	run(t, "../..", "make", "--no-print-directory", "image", "VERSION="+version)

	// Metadata: user, entrypoint, working directory, version label, tier tags.
	var inspect []struct {
		RepoTags []string
		Config   struct {
			User       string
			Entrypoint []string
			WorkingDir string
			Env        []string
			Labels     map[string]string
		}
	}
	if err := json.Unmarshal(run(t, ".", "podman", "image", "inspect", image+":enterprise"), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("podman image inspect: %v", err)
	}
	img := inspect[0]
	if img.Config.User != "mluser" || !slices.Equal(img.Config.Entrypoint, []string{"/mlprov"}) || img.Config.WorkingDir != "/app" {
		t.Errorf("user %q, entrypoint %q, workdir %q; want mluser, [/mlprov], /app", img.Config.User, img.Config.Entrypoint, img.Config.WorkingDir)
	}
	if got := img.Config.Labels["org.opencontainers.image.version"]; got != version {
		t.Errorf("OCI version label %q, want %q", got, version)
	}
	for _, tag := range []string{"starter", "professional", "enterprise", version} {
		if !slices.Contains(img.RepoTags, "localhost/"+image+":"+tag) {
			t.Errorf("tag %s missing from %v", tag, img.RepoTags)
		}
	}

	// The file system, as `podman export` gives it.
	root := t.TempDir()
	name := "mlprov-container-test"
	exec.Command("podman", "rm", "-f", name).Run()
	run(t, ".", "podman", "create", "--name", name, image+":enterprise")
	defer exec.Command("podman", "rm", "-f", name).Run()
	extract(t, run(t, ".", "podman", "export", name), root)

	checkLayout(t, root)

	// The old tool's mounts, as its guide binds them.
	host := t.TempDir()
	hostDir := func(rel string, owner int) string {
		p := filepath.Join(host, rel)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chown(p, owner, owner)
		return p
	}
	configs, policies := hostDir("ml/configs", 0), hostDir("ml/policies", mluserID)
	templates, reports, aws := hostDir("ml/templates", mluserID), hostDir("ml/reports", mluserID), hostDir("aws", 0)
	cfg, err := os.ReadFile(filepath.Join("../../configs", configName))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(configs, configName), cfg, 0o644)
	os.WriteFile(filepath.Join(aws, "config"), []byte("[default]\nregion = us-west-2\n"), 0o644)
	before := snapshot(t, configs)

	bind(t, configs, filepath.Join(root, "app/configs"), true)
	bind(t, policies, filepath.Join(root, "app/policies"), false)
	bind(t, templates, filepath.Join(root, "app/templates"), false)
	bind(t, reports, filepath.Join(root, "app/reports"), false)
	bind(t, aws, filepath.Join(root, "home/mluser/.aws"), true)

	for _, action := range []string{"validate-config", "create-policy", "create-prov-template", "create-review-report"} {
		cmd := exec.Command("/mlprov", "-con", configName, "-act", action)
		cmd.Dir = "/app"
		cmd.Env = img.Config.Env
		cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: mluserID, Gid: mluserID}}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s in the image: %v\n%s", action, err, out.String())
		}
	}

	// The files land where the old tool put them.
	for _, want := range []string{
		filepath.Join(policies, product+"-iam-policy.json"),
		filepath.Join(templates, product+"-template.json"),
		filepath.Join(reports, product+"-create-review-report-*.html"),
		filepath.Join(reports, product+"-create-review-report-*.log"),
		filepath.Join(reports, product+"-validate-config-*.log"),
		filepath.Join(reports, product+"-create-policy-*.log"),
	} {
		if got, _ := filepath.Glob(want); len(got) == 0 {
			t.Errorf("no %s", want)
		}
	}
	if after := snapshot(t, configs); !maps.Equal(before, after) {
		t.Errorf("the read-only configs mount changed: before %v, after %v", before, after)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Join(root, "app/configs"), &st); err != nil || st.Flags&1 == 0 { // ST_RDONLY
		t.Errorf("/app/configs is not mounted read-only (flags %#x, %v)", st.Flags, err)
	}
}

// checkLayout asserts the exported file system: static binaries, the user,
// its home, the /app folders and the links mlprov's ml/ layout resolves by.
func checkLayout(t *testing.T, root string) {
	t.Helper()
	f, err := elf.Open(filepath.Join(root, "mlprov"))
	if err != nil {
		t.Fatalf("/mlprov: %v", err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("/mlprov is dynamically linked")
		}
	}
	f.Close()
	passwd, _ := os.ReadFile(filepath.Join(root, "etc/passwd"))
	if !strings.Contains(string(passwd), "\nmluser:x:1000:1000:mlprov:/home/mluser:") {
		t.Errorf("/etc/passwd has no mluser (1000) with home /home/mluser:\n%s", passwd)
	}
	for _, dir := range []string{"home/mluser", "app/configs", "app/policies", "app/templates", "app/reports", "app/state"} {
		st, err := os.Stat(filepath.Join(root, dir))
		if err != nil || !st.IsDir() || st.Sys().(*syscall.Stat_t).Uid != mluserID {
			t.Errorf("/%s is not a directory owned by mluser: %v", dir, err)
		}
	}
	for _, d := range []string{"configs", "policies", "templates", "reports", "state"} {
		if target, err := os.Readlink(filepath.Join(root, "app/ml", d)); err != nil || target != "../"+d {
			t.Errorf("/app/ml/%s -> %q (%v), want ../%s", d, target, err, d)
		}
	}
	for _, file := range []string{"etc/ssl/certs/ca-certificates.crt", "opt/mlprov/bin/pulumi", "opt/mlprov/bin/pulumi-analyzer-policy-go"} {
		if st, err := os.Stat(filepath.Join(root, file)); err != nil || st.Size() == 0 {
			t.Errorf("/%s missing: %v", file, err)
		}
	}
}

// extract unpacks a tar stream into dir, keeping modes, owners and links.
func extract(t *testing.T, data []byte, dir string) {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, filepath.Clean("/"+h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, os.FileMode(h.Mode)&os.ModePerm)
		case tar.TypeReg:
			var f *os.File
			if f, err = os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&os.ModePerm); err == nil {
				_, err = io.Copy(f, tr)
				f.Close()
			}
		case tar.TypeSymlink:
			err = os.Symlink(h.Linkname, target)
		default:
			continue
		}
		if err != nil {
			t.Fatalf("extract %s: %v", h.Name, err)
		}
		os.Lchown(target, h.Uid, h.Gid)
		if h.Typeflag != tar.TypeSymlink {
			os.Chmod(target, os.FileMode(h.Mode)&os.ModePerm|stickyOf(h.Mode))
		}
	}
}

func stickyOf(mode int64) os.FileMode {
	if mode&01000 != 0 {
		return os.ModeSticky
	}
	return 0
}

// bind mounts src on dst (read-only when ro) until the test ends.
func bind(t *testing.T, src, dst string, ro bool) {
	t.Helper()
	if err := syscall.Mount(src, dst, "", syscall.MS_BIND, ""); err != nil {
		t.Fatalf("bind %s on %s: %v", src, dst, err)
	}
	t.Cleanup(func() { syscall.Unmount(dst, syscall.MNT_DETACH) })
	if ro {
		if err := syscall.Mount("", dst, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
			t.Fatalf("remount %s read-only: %v", dst, err)
		}
	}
}

// snapshot maps each file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}
