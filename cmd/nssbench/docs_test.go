package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The docs test runs every command of the fenced sh and console examples of README.md and docs/*.md
// against a freshly built binary, so that the documentation cannot drift from the code:
//
//   - A block is skipped when the line before its fence is <!-- docs-test: skip (why) -->, and run only
//     when a program is installed with <!-- docs-test: needs PROGRAM -->.
//   - A command whose trailing comment says "# long" (a long run, an external host) is skipped.
//   - A command must exit 0 or 3 (it ran; 3: it failed its gates), or what its comment declares with
//     "# exit N". Usage errors (2), failures (1) and unknown commands (127) fail the test.
//   - A file's blocks run in order in one shell, in a temporary directory that links to the
//     repository's top-level entries, so that examples read the shipped files and write only there. A
//     command ending in '&' runs in the background; the shell's process group is killed at the end.

// docCommand is one command of a documentation example.
type docCommand struct {
	line   int    // where it starts in its file
	text   string // continuation lines joined
	expect int    // -1: 0 or 3
}

var (
	docMarker  = regexp.MustCompile(`^<!-- docs-test: (skip|needs) ?([^ ]*).*-->$`)
	exitMarker = regexp.MustCompile(`#.*\bexit (\d+)`)
)

// docCommands returns the commands of the runnable examples of a Markdown file.
func docCommands(path string) ([]docCommand, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		cmds          []docCommand
		lang, prev    string
		skip          bool
		cur           *docCommand
		lineNo, start int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		switch {
		case lang == "" && (line == "```sh" || line == "```console"):
			lang, skip, start = strings.TrimPrefix(line, "```"), false, lineNo
			if m := docMarker.FindStringSubmatch(prev); m != nil {
				_, err := exec.LookPath(m[2])
				skip = m[1] == "skip" || err != nil
			}
		case lang != "" && line == "```":
			lang = ""
		case lang != "" && !skip:
			text, more := strings.CutSuffix(line, "\\")
			switch {
			case cur != nil:
				cur.text = strings.TrimRight(cur.text, " ") + " " + strings.TrimSpace(text)
			case lang == "console" && !strings.HasPrefix(line, "$ "):
				continue // output
			case strings.HasPrefix(strings.TrimSpace(line), "#") || strings.TrimSpace(line) == "":
				continue
			default:
				cur = &docCommand{line: lineNo, text: strings.TrimPrefix(text, "$ "), expect: -1}
			}
			if !more {
				if c := finishDocCommand(*cur); c != nil {
					cmds = append(cmds, *c)
				}
				cur = nil
			}
		}
		prev = line
	}
	if lang != "" {
		return nil, fmt.Errorf("%s:%d: unterminated %s block", path, start, lang)
	}
	return cmds, sc.Err()
}

// finishDocCommand reads a command's trailing comment: nil for "# long", else its expected exit code.
func finishDocCommand(c docCommand) *docCommand {
	comment := trailingComment(c.text)
	if strings.Contains(comment, "# long") {
		return nil
	}
	if m := exitMarker.FindStringSubmatch(comment); m != nil {
		fmt.Sscan(m[1], &c.expect)
	}
	return &c
}

// trailingComment returns the shell comment that ends s ("" if none): from the first '#' that starts a
// word outside quotes.
func trailingComment(s string) string {
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (i == 0 || s[i-1] == ' '):
			return s[i:]
		}
	}
	return ""
}

// docScript is the shell script that runs cmds, stopping at the first one that exits as it must not.
func docScript(file string, cmds []docCommand) string {
	var b strings.Builder
	b.WriteString("trap 'kill $(jobs -p) 2>/dev/null' EXIT\n") // background commands end with the script
	for _, c := range cmds {
		if strings.HasSuffix(strings.TrimSpace(stripComment(c.text)), "&") {
			fmt.Fprintf(&b, "%s\n", c.text)
			continue
		}
		ok := "0|3"
		if c.expect >= 0 {
			ok = fmt.Sprint(c.expect)
		}
		fmt.Fprintf(&b, "%s\nrc=$?; case $rc in %s) ;; *) echo \"docs-test: %s:%d: exit $rc (want %s): %s\" >&2; exit 1;; esac\n",
			c.text, ok, file, c.line, ok, strings.ReplaceAll(c.text, `"`, `\"`))
	}
	return b.String()
}

func stripComment(s string) string { return strings.TrimSuffix(s, trailingComment(s)) }

func TestDocCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the docs examples take about a minute")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Parallel() // subprocesses only: it overlaps the in-process tests' idle time
	bin := builtBinary(t)
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files := map[string][]docCommand{}
	for _, path := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		rel, _ := filepath.Rel(root, path)
		cmds, err := docCommands(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(cmds) > 0 {
			files[rel] = cmds
		}
	}
	if err := sharedResources(files); err != nil {
		t.Fatal(err)
	}
	for rel, cmds := range files {
		t.Run(rel, func(t *testing.T) {
			t.Parallel() // the files share no port or state directory (sharedResources)
			runDocScript(t, root, bin, docScript(rel, cmds))
		})
	}
}

// docResource is what two documentation files' examples must not both use while they run side by
// side: a port (after a loopback or wildcard host, or none) or a directory under /tmp.
var docResource = regexp.MustCompile(`(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]|//):([0-9]+)|/tmp/[A-Za-z0-9_.-]+`)

// sharedResources returns an error naming every loopback port or /tmp directory that the runnable
// commands of more than one file use, since the files' examples run in parallel.
func sharedResources(files map[string][]docCommand) error {
	users := map[string][]string{}
	for rel, cmds := range files {
		seen := map[string]bool{}
		for _, c := range cmds {
			for _, m := range docResource.FindAllStringSubmatch(c.text, -1) {
				r := m[0]
				if m[1] != "" {
					r = "port " + m[1]
				}
				if !seen[r] {
					seen[r] = true
					users[r] = append(users[r], rel)
				}
			}
		}
	}
	var shared []string
	for r, rels := range users {
		if len(rels) > 1 {
			slices.Sort(rels)
			shared = append(shared, fmt.Sprintf("%s (%s)", r, strings.Join(rels, ", ")))
		}
	}
	if len(shared) == 0 {
		return nil
	}
	slices.Sort(shared)
	return fmt.Errorf("docs examples run in parallel, one file each, but these are used by several files: %s", strings.Join(shared, "; "))
}

var (
	binaryOnce sync.Once
	binaryDir  string
	binaryErr  error
)

// builtBinary builds nssbench once per test process (without the race detector, whatever the tests
// run with) and returns the directory that holds it. TestMain removes it.
func builtBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		binaryDir, binaryErr = os.MkdirTemp("", "nssbench-bin-")
		if binaryErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binaryDir, "nssbench"), ".").CombinedOutput()
		if err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryDir
}

// runDocScript runs script with bash in a temporary directory linking to root's entries, the binary
// in bin first on PATH, within two minutes; then kills what it left in the background.
func runDocScript(t *testing.T, root, bin, script string) {
	dir := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second // a background command that outlives the script must not hold its output open
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // whatever outlived the script's own trap
	}
	if err != nil {
		t.Errorf("%v\n%s", err, tail(string(out), 40))
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
