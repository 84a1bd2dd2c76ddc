package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDocCommandsParse: the extraction the docs test relies on: continuation lines, console prompts,
// markers, "# long" and "# exit N".
func TestDocCommandsParse(t *testing.T) {
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
