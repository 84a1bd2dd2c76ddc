package kubernetes_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// built is the nssbench binary the container arguments are checked against, built once per test run.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// nssbenchBinary builds cmd/nssbench (once) and returns its path.
func nssbenchBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "nssbench-k8s-test-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "nssbench")
		// go test puts its own go first on PATH.
		cmd := exec.Command("go", "build", "-o", built.path, "github.com/nssbench/nssbench/cmd/nssbench")
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build nssbench: %v\n%s", built.err, built.out)
	}
	return built.path
}

// commandWords returns how many leading arguments name the nssbench command: "report merge" is two
// words, every other command one.
func commandWords(args []string) int {
	if len(args) > 1 && args[0] == "report" {
		return 2
	}
	return 1
}

// argsError runs the binary bin on a container's arguments with -h appended: flag parsing then sets
// every flag through its real parser (a misspelt flag or a bad value such as --shard=16/16 exits 2),
// and reaching -h prints the usage and exits 0 without running anything. Positional arguments end
// flag parsing, so only the flags before them are checked this way.
func argsError(bin string, args []string) error {
	if len(args) == 0 {
		return errors.New("no args: the image's entrypoint is nssbench, the args must name a command")
	}
	words := commandWords(args)
	flags := args[words:]
	if positional := slices.IndexFunc(flags, func(a string) bool { return !strings.HasPrefix(a, "-") }); positional >= 0 {
		if args[0] != "report" {
			// run and collect take none (and collect, ignoring one, would start serving).
			return fmt.Errorf("nssbench %s takes no arguments, got %q", args[0], flags[positional])
		}
		flags = flags[:positional]
	}
	cmdline := append(append(slices.Clone(args[:words]), flags...), "-h")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, cmdline...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		first, _, _ := strings.Cut(stderr.String(), "\n") // the reason; the usage follows
		return fmt.Errorf("nssbench %s: %v: %s", strings.Join(cmdline, " "), err, first)
	}
	if want := "Usage: nssbench " + strings.Join(args[:words], " "); !strings.HasPrefix(stdout.String(), want) {
		return fmt.Errorf("nssbench %s printed %q; want usage starting %q", strings.Join(cmdline, " "), stdout.String(), want)
	}
	return nil
}

func TestContainerArgsAreValidFlags(t *testing.T) {
	objs := loadObjects(t)
	_, _, n := shardJob(t, objs)
	bin := nssbenchBinary(t)
	for owner, spec := range podSpecs(objs) {
		for _, c := range spec.Containers {
			if len(c.Command) > 0 {
				t.Errorf("%s: container %s overrides the entrypoint; the args alone should name the nssbench command", owner, c.Name)
			}
			c.Args = expandEnv(c.Args, c.Env)
			if !strings.Contains(strings.Join(c.Args, " "), "$("+indexVar+")") {
				if err := argsError(bin, c.Args); err != nil {
					t.Errorf("%s: container %s: %v", owner, c.Name, err)
				}
				continue
			}
			// The arguments every pod of the Indexed Job gets.
			for i := range n {
				args := make([]string, len(c.Args))
				for k, a := range c.Args {
					args[k] = strings.ReplaceAll(a, "$("+indexVar+")", strconv.Itoa(i))
				}
				if err := argsError(bin, args); err != nil {
					t.Errorf("%s: container %s, index %d: %v", owner, c.Name, i, err)
					break
				}
			}
		}
	}
}

// expandEnv replaces $(NAME) in args with the value of each of env's variables that has a literal value,
// as the kubelet does; variables set from elsewhere (the completion index) are left as they are.
func expandEnv(args []string, env []corev1.EnvVar) []string {
	out := slices.Clone(args)
	for _, v := range env {
		if v.ValueFrom != nil {
			continue
		}
		for i := range out {
			out[i] = strings.ReplaceAll(out[i], "$("+v.Name+")", v.Value)
		}
	}
	return out
}

func TestArgsErrorCatchesBadArgs(t *testing.T) {
	// The check above must be able to fail.
	bin := nssbenchBinary(t)
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{"valid run", []string{"run", "--shard=15/16", "--target=tcp://collector:5514", "--rate=800000/s", "--quiet"}, true},
		{"valid merge", []string{"report", "merge", "/reports/a.json", "/reports/b.json"}, true},
		{"unknown flag", []string{"run", "--no-such-flag=1"}, false},
		{"bad rate", []string{"run", "--rate=fast"}, false},
		{"valid start time", []string{"run", "--start-at=2026-11-25T23:30:00Z"}, true},
		{"no start time", []string{"run", "--start-at="}, true},
		{"bad start time", []string{"run", "--start-at=$(START_AT)"}, false},
		{"shard index out of range", []string{"run", "--shard=16/16"}, false},
		{"bool flag given a value it cannot take", []string{"run", "--quiet=maybe"}, false},
		{"positional to collect", []string{"collect", "stray"}, false},
		{"no command", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := argsError(bin, tt.args)
			if (err == nil) != tt.ok {
				t.Fatalf("argsError(%q) = %v; want ok %v", tt.args, err, tt.ok)
			}
		})
	}
}
