package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layers are the project's import layers, lowest first (docs/ARCHITECTURE.md, "Layers"): a package may
// import packages of its own layer or lower ones, never higher. A package is in the layer of the
// longest prefix below that names it.
var layers = []struct {
	name     string
	prefixes []string
}{
	{"vocabulary", []string{"generator/verdict"}},
	{"formats", []string{"generator/nssfmt", "generator/vocab", "generator/pacer", "harness/framing", "harness/cef", "harness/endpoint", "harness/tlsconfig", "scenarios/jsonpos"}},
	{"generation", []string{"generator"}},
	{"reports", []string{"reports"}},
	{"scenarios", []string{"scenarios"}},
	{"harness", []string{"harness"}},
	{"corpus", []string{"corpus"}},
	{"cli", []string{"cmd", "deploy"}},
}

const modulePath = "github.com/nssbench/nssbench"

// layerOf returns the layer index of a project package path (relative to the module), or -1.
func layerOf(rel string) int {
	best, bestLen := -1, -1
	for i, l := range layers {
		for _, p := range l.prefixes {
			if (rel == p || strings.HasPrefix(rel, p+"/")) && len(p) > bestLen {
				best, bestLen = i, len(p)
			}
		}
	}
	return best
}

// layerViolations returns a message for every package of graph (project-relative path → imports,
// full paths) that has no layer or imports a project package of a layer above its own.
func layerViolations(graph map[string][]string) []string {
	var bad []string
	for rel, imports := range graph {
		from := layerOf(rel)
		if from < 0 {
			bad = append(bad, "package "+rel+" has no layer: add it to layers (and to docs/ARCHITECTURE.md)")
			continue
		}
		for _, imp := range imports {
			irel, ok := strings.CutPrefix(imp, modulePath+"/")
			if !ok {
				continue
			}
			if to := layerOf(irel); to > from {
				bad = append(bad, rel+" (layer "+layers[from].name+") imports "+irel+" (layer "+layers[to].name+", above it)")
			}
		}
	}
	slices.Sort(bad)
	return bad
}

// TestLayers checks the import graph of every non-test package of the module (go list).
func TestLayers(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command("go", "list", "-json", modulePath+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		graph[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, modulePath), "/")] = p.Imports
	}
	if len(graph) < 20 {
		t.Fatalf("go list found %d packages; want the whole module", len(graph))
	}
	for _, msg := range layerViolations(graph) {
		t.Error(msg)
	}
}

// TestLayerViolations checks the rule on a made-up graph: an import up, a package without a layer,
// and imports down or outside the module that are fine.
func TestLayerViolations(t *testing.T) {
	t.Parallel()
	got := layerViolations(map[string][]string{
		"generator":         {modulePath + "/harness/verdict", modulePath + "/generator/verdict", "fmt"},
		"harness/run":       {modulePath + "/generator", modulePath + "/reports", modulePath + "/scenarios"},
		"elsewhere/thing":   nil,
		"generator/verdict": {"strconv"},
	})
	want := []string{
		"generator (layer generation) imports harness/verdict (layer harness, above it)",
		"package elsewhere/thing has no layer: add it to layers (and to docs/ARCHITECTURE.md)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("layerViolations = %q;\nwant %q", got, want)
	}
}

// TestLayerOf pins the prefix rule: the longest prefix decides.
func TestLayerOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pkg  string
		want string
	}{
		{"generator/verdict", "vocabulary"},
		{"generator/pacer", "formats"},
		{"generator", "generation"},
		{"generator/feeds", "generation"},
		{"harness/cef", "formats"},
		{"harness/cefx", "harness"},
		{"harness/offer", "harness"},
		{"harness/run", "harness"},
		{"corpus", "corpus"},
		{"cmd/nssbench", "cli"},
	} {
		if got := layerOf(c.pkg); got < 0 || layers[got].name != c.want {
			t.Errorf("layerOf(%q) = %d; want layer %s", c.pkg, got, c.want)
		}
	}
	if got := layerOf("elsewhere"); got != -1 {
		t.Errorf("layerOf(elsewhere) = %d; want -1", got)
	}
}
