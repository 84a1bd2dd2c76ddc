package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	badRules := write("bad-rules.json", `{"rules": [{"name": 5}]}`)
	badMaps := write("bad-maps.json", `{"mappings": 1}`)
	listing := filepath.Join("testdata", "sophos-integration-mappings.txt")

	p, w, err := Load("", "", Options{Strict: true})
	if err != nil || len(w) != 0 {
		t.Fatalf("built-in: %v, warnings %v", err, w)
	}
	if want := New(DefaultRules(), DefaultMappings(), Options{Strict: true}).String(); p.String() != want {
		t.Errorf("built-in pipeline %s; want %s", p, want)
	}
	p, w, err = Load("", listing, Options{})
	if err != nil || len(w) != 1 || w[0].File != listing {
		t.Errorf("listing: %v, warnings %v; want its one duplicate-row warning", err, w)
	}
	if m, _, _ := LoadMappings(listing); p == nil || !reflect.DeepEqual(p.maps.Rows(), m.Rows()) ||
		reflect.DeepEqual(m.Rows(), DefaultMappings().Rows()) {
		t.Errorf("listing: the pipeline does not map with the listing's rows")
	}
	for _, tc := range []struct {
		rules, maps, want string
	}{
		{badRules, "", "bad-rules.json:1:"},
		{"", badMaps, "bad-maps.json:1:"},
		{badRules, badMaps, "bad-rules.json:1:"}, // the rules first
		{filepath.Join(dir, "missing.json"), "", "missing.json"},
	} {
		_, _, err := Load(tc.rules, tc.maps, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q, %q) error %v; want it to contain %q", tc.rules, tc.maps, err, tc.want)
		}
		var fe *FileError
		if tc.rules != "" && !strings.HasSuffix(tc.rules, "missing.json") && !errors.As(err, &fe) {
			t.Errorf("Load(%q, %q) error %T; want a *FileError", tc.rules, tc.maps, err)
		}
	}
}
