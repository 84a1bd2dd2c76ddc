package coverage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The ATT&CK Navigator layer format 4.5 (attack-navigator, layers/LAYERFORMATv4_5.md), field by
// field: for each object, its properties with their JSON types, and the required ones.
type field struct {
	kind     string // "string", "number", "boolean", "object", "array"
	required bool
}

var (
	layerFields = map[string]field{
		"versions": {"object", false}, "name": {"string", true}, "description": {"string", false},
		"domain": {"string", true}, "customDataURL": {"string", false}, "filters": {"object", false},
		"sorting": {"number", false}, "layout": {"object", false}, "hideDisabled": {"boolean", false},
		"techniques": {"array", false}, "gradient": {"object", false}, "legendItems": {"array", false},
		"showTacticRowBackground": {"boolean", false}, "tacticRowBackground": {"string", false},
		"selectTechniquesAcrossTactics": {"boolean", false}, "selectSubtechniquesWithParent": {"boolean", false},
		"selectVisibleTechniques": {"boolean", false}, "metadata": {"array", false}, "links": {"array", false},
	}
	versionFields   = map[string]field{"attack": {"string", false}, "navigator": {"string", true}, "layer": {"string", true}}
	techniqueFields = map[string]field{
		"techniqueID": {"string", true}, "tactic": {"string", false}, "comment": {"string", false},
		"enabled": {"boolean", false}, "score": {"number", false}, "color": {"string", false},
		"metadata": {"array", false}, "links": {"array", false}, "showSubtechniques": {"boolean", false},
	}
	gradientFields = map[string]field{"colors": {"array", true}, "minValue": {"number", true}, "maxValue": {"number", true}}
	metadataFields = map[string]field{"name": {"string", true}, "value": {"string", true}}
	layoutFields   = map[string]field{
		"layout": {"string", false}, "showID": {"boolean", false}, "showName": {"boolean", false},
		"showAggregateScores": {"boolean", false}, "countUnscored": {"boolean", false},
		"aggregateFunction": {"string", false}, "expandedSubtechniques": {"string", false},
	}
	techniqueID = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)
	hexColor    = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// kindOf names the JSON type of a value decoded into any.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "null"
}

// checkObject checks obj's properties against fields: no unknown property, every required one, each
// of its type.
func checkObject(where string, obj map[string]any, fields map[string]field) []string {
	var bad []string
	for k, v := range obj {
		f, ok := fields[k]
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("%s: unknown property %q", where, k))
		case kindOf(v) != f.kind:
			bad = append(bad, fmt.Sprintf("%s.%s: %s, want %s", where, k, kindOf(v), f.kind))
		}
	}
	for k, f := range fields {
		if _, ok := obj[k]; f.required && !ok {
			bad = append(bad, fmt.Sprintf("%s: no required %q", where, k))
		}
	}
	return bad
}

// atLeast reports whether the dotted version v is at least min.
func atLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := range max(len(a), len(b)) {
		x, y := 0, 0
		if i < len(a) {
			x, _ = strconv.Atoi(a[i])
		}
		if i < len(b) {
			y, _ = strconv.Atoi(b[i])
		}
		if x != y {
			return x > y
		}
	}
	return true
}

// validateLayer checks a layer file against the 4.5 format and returns every problem.
func validateLayer(data []byte) []string {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	bad := checkObject("layer", doc, layerFields)
	if d, _ := doc["domain"].(string); !slices.Contains([]string{"enterprise-attack", "mobile-attack", "ics-attack"}, d) {
		bad = append(bad, fmt.Sprintf("domain %q", d))
	}
	if s, ok := doc["sorting"].(float64); ok && (s != float64(int(s)) || s < 0 || s > 3) {
		bad = append(bad, fmt.Sprintf("sorting %v, want 0 to 3", s))
	}
	if v, ok := doc["versions"].(map[string]any); ok {
		bad = append(bad, checkObject("versions", v, versionFields)...)
		if v["layer"] != "4.5" {
			bad = append(bad, fmt.Sprintf("versions.layer %v, want 4.5", v["layer"]))
		}
		if n, _ := v["navigator"].(string); !atLeast(n, "4.9.0") {
			bad = append(bad, fmt.Sprintf("versions.navigator %q, want at least 4.9.0", n))
		}
	} else {
		bad = append(bad, "no versions: the layer format would be taken as the oldest")
	}
	if l, ok := doc["layout"].(map[string]any); ok {
		bad = append(bad, checkObject("layout", l, layoutFields)...)
		if s, ok := l["layout"].(string); ok && !slices.Contains([]string{"side", "flat", "mini"}, s) {
			bad = append(bad, "layout.layout "+s)
		}
		if s, ok := l["aggregateFunction"].(string); ok && !slices.Contains([]string{"average", "min", "max", "sum"}, s) {
			bad = append(bad, "layout.aggregateFunction "+s)
		}
		if s, ok := l["expandedSubtechniques"].(string); ok && !slices.Contains([]string{"none", "all", "annotated"}, s) {
			bad = append(bad, "layout.expandedSubtechniques "+s)
		}
	}
	if g, ok := doc["gradient"].(map[string]any); ok {
		bad = append(bad, checkObject("gradient", g, gradientFields)...)
		colors, _ := g["colors"].([]any)
		if len(colors) < 2 {
			bad = append(bad, "gradient.colors: fewer than two")
		}
		for _, c := range colors {
			if s, _ := c.(string); !hexColor.MatchString(s) {
				bad = append(bad, fmt.Sprintf("gradient color %v", c))
			}
		}
		if lo, hi := g["minValue"].(float64), g["maxValue"].(float64); !(hi > lo) {
			bad = append(bad, fmt.Sprintf("gradient maxValue %v not above minValue %v", hi, lo))
		}
	}
	bad = append(bad, checkMetadata("layer.metadata", doc["metadata"])...)
	techs, _ := doc["techniques"].([]any)
	ids := map[string]bool{}
	for _, t := range techs {
		if id, _ := t.(map[string]any)["techniqueID"].(string); id != "" {
			ids[id] = true
		}
	}
	seen := map[string]bool{}
	for i, t := range techs {
		obj, ok := t.(map[string]any)
		if !ok {
			bad = append(bad, fmt.Sprintf("techniques[%d]: not an object", i))
			continue
		}
		where := fmt.Sprintf("techniques[%d]", i)
		bad = append(bad, checkObject(where, obj, techniqueFields)...)
		id, _ := obj["techniqueID"].(string)
		if !techniqueID.MatchString(id) {
			bad = append(bad, fmt.Sprintf("%s: techniqueID %q is not T#### or T####.###", where, id))
		}
		if seen[id] { // one entry per technique (no entry names a tactic)
			bad = append(bad, where+": "+id+" twice")
		}
		seen[id] = true
		if sub, _ := obj["showSubtechniques"].(bool); sub {
			hasSub := false
			for other := range ids {
				hasSub = hasSub || strings.HasPrefix(other, id+".")
			}
			if strings.Contains(id, ".") || !hasSub {
				bad = append(bad, where+": showSubtechniques on "+id+", which has no sub-technique in the layer")
			}
		}
		bad = append(bad, checkMetadata(where+".metadata", obj["metadata"])...)
	}
	return bad
}

// checkMetadata checks a metadata array: Metadata objects {name, value} or Divider objects {divider}.
func checkMetadata(where string, v any) []string {
	if v == nil {
		return nil
	}
	var bad []string
	arr, _ := v.([]any)
	for i, m := range arr {
		obj, _ := m.(map[string]any)
		w := fmt.Sprintf("%s[%d]", where, i)
		if _, ok := obj["divider"]; ok {
			bad = append(bad, checkObject(w, obj, map[string]field{"divider": {"boolean", true}})...)
			continue
		}
		bad = append(bad, checkObject(w, obj, metadataFields)...)
	}
	return bad
}

func TestLayerFormat(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Coverage
	}{{"defaults", defaults()}, {"proposed", proposed(t)}, {"observed", observed()}, {"empty", FromTally("nothing", &Tally{})}} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.c.Layer().WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			for _, p := range validateLayer(b.Bytes()) {
				t.Error(p)
			}
		})
	}
}

// TestValidateLayer shows the validator catches what the format forbids.
func TestValidateLayer(t *testing.T) {
	good := `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T1566","showSubtechniques":true},{"techniqueID":"T1566.002","score":1}]}`
	if bad := validateLayer([]byte(good)); len(bad) != 0 {
		t.Fatalf("a valid layer: %v", bad)
	}
	tests := []struct{ name, layer, want string }{
		{"no name", `{"versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack"}`, `no required "name"`},
		{"bad domain", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise"}`, `domain "enterprise"`},
		{"old layer", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.4"},"domain":"enterprise-attack"}`, "want 4.5"},
		{"old navigator", `{"name":"x","versions":{"navigator":"4.8.2","layer":"4.5"},"domain":"enterprise-attack"}`, "at least 4.9.0"},
		{"unknown field", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T1566","technique":"x"}]}`, `unknown property "technique"`},
		{"bad id", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T1566.2"}]}`, "not T#### or T####.###"},
		{"string score", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T1566","score":"1"}]}`, "score: string, want number"},
		{"twice", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T1566"},{"techniqueID":"T1566"}]}`, "T1566 twice"},
		{"lonely showSubtechniques", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T1566","showSubtechniques":true}]}`, "no sub-technique"},
		{"flat gradient", `{"name":"x","versions":{"navigator":"5.0.0","layer":"4.5"},"domain":"enterprise-attack","gradient":{"colors":["#ffffff","#000000"],"minValue":1,"maxValue":1}}`, "not above minValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := validateLayer([]byte(tt.layer))
			if !strings.Contains(strings.Join(bad, "\n"), tt.want) {
				t.Errorf("problems %v; want one with %q", bad, tt.want)
			}
		})
	}
}

func TestLayerEntries(t *testing.T) {
	l := proposed(t).Layer()
	var ids []string
	for _, e := range l.Techniques {
		ids = append(ids, e.TechniqueID)
		if !e.Enabled {
			t.Errorf("%s disabled", e.TechniqueID)
		}
		if want := e.TechniqueID == "T1566" || e.TechniqueID == "T1071"; e.ShowSubtechniques != want {
			t.Errorf("%s: showSubtechniques %v", e.TechniqueID, e.ShowSubtechniques)
		}
	}
	want := []string{"T1020", "T1027", "T1071", "T1071.004", "T1189", "T1204.002", "T1496", "T1566", "T1566.002", "T1598.003"}
	if !slices.Equal(ids, want) {
		t.Errorf("entries %v; want %v", ids, want)
	}
	mal := l.Techniques[slices.Index(ids, "T1204.002")]
	if mal.Score != 2 || mal.Comment != "2 alert types: Malware block: malicious file; Sandbox block inbound response: malicious file" {
		t.Errorf("T1204.002: score %d, comment %q", mal.Score, mal.Comment)
	}
	if l.Gradient.MaxValue != 2 || l.Domain != "enterprise-attack" || l.Versions.Layer != "4.5" {
		t.Errorf("gradient max %d, domain %q, versions %+v", l.Gradient.MaxValue, l.Domain, l.Versions)
	}
}
