package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocCommandsParse: the extraction the docs test relies on: continuation lines, console prompts,
// markers, "# long" and "# exit N".
func TestDocCommandsParse(t *testing.T) {
	t.Parallel()
	md := "text\n```sh\n# a comment\nnssbench run \\\n  -quiet   # exit 3\nnssbench sweep   # long, external host\n```\n" +
		"<!-- docs-test: skip (needs a cluster) -->\n```sh\nkubectl apply\n```\n" +
		"```console\n$ nssbench version\nnssbench v1\n$ echo '# not a comment' # ok\n```\n" +
		"<!-- docs-test: needs no-such-program-xyz -->\n```sh\nno-such-program-xyz\n```\n```yaml\nx: 1\n```\n"
	path := filepath.Join(t.TempDir(), "x.md")
	if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := docCommands(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []docCommand{
		{line: 4, text: "nssbench run -quiet   # exit 3", expect: 3},
		{line: 13, text: "nssbench version", expect: -1},
		{line: 15, text: "echo '# not a comment' # ok", expect: -1},
	}
	if len(got) != len(want) {
		t.Fatalf("docCommands = %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("command %d = %+v; want %+v", i, got[i], want[i])
		}
	}
}

func TestSharedResources(t *testing.T) {
	t.Parallel()
	cmd := func(text string) []docCommand { return []docCommand{{text: text}} }
	for _, tc := range []struct {
		name  string
		files map[string][]docCommand
		want  string // "" for no error, else a substring of it
	}{
		{"disjoint", map[string][]docCommand{
			"a.md": cmd("nssbench collect -listen tcp://127.0.0.1:5514 -R /tmp/sng-a/persist"),
			"b.md": cmd("nssbench collect -listen tcp://127.0.0.1:5524 -R /tmp/sng-b/persist"),
		}, ""},
		{"one file may reuse its own", map[string][]docCommand{
			"a.md": {{text: "x tcp://127.0.0.1:5514"}, {text: "y tcp://127.0.0.1:5514"}},
		}, ""},
		{"same port, other host spelling", map[string][]docCommand{
			"a.md": cmd("nssbench collect -listen tcp://:5514"),
			"b.md": cmd("nssbench run -target tcp://127.0.0.1:5514"),
		}, "port 5514 (a.md, b.md)"},
		{"same state directory", map[string][]docCommand{
			"a.md": cmd("mkdir -p /tmp/sng"),
			"b.md": cmd("syslog-ng -p /tmp/sng/pid"),
		}, "/tmp/sng (a.md, b.md)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sharedResources(tc.files)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("sharedResources: %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("sharedResources: %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
