package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The versions a layer names (ATT&CK Navigator layer format 4.5, which needs Navigator 4.9.0 or later).
const (
	LayerFormat      = "4.5"
	NavigatorVersion = "5.0.0"
	AttackVersion    = "14"
	// Domain is the ATT&CK domain of every layer: NSS logs are enterprise traffic.
	Domain = "enterprise-attack"
)

// Layer is an ATT&CK Navigator layer (layer format 4.5): the subset of its fields a coverage fills.
type Layer struct {
	Name         string           `json:"name"`
	Versions     LayerVersions    `json:"versions"`
	Domain       string           `json:"domain"`
	Description  string           `json:"description"`
	Sorting      int              `json:"sorting"` // 3: descending by score
	Layout       LayerLayout      `json:"layout"`
	HideDisabled bool             `json:"hideDisabled"`
	Techniques   []LayerTechnique `json:"techniques"`
	Gradient     LayerGradient    `json:"gradient"`
	Metadata     []LayerMetadata  `json:"metadata"`
}

// LayerVersions is a layer's versions object.
type LayerVersions struct {
	Attack    string `json:"attack"`
	Navigator string `json:"navigator"`
	Layer     string `json:"layer"`
}

// LayerLayout is a layer's layout object.
type LayerLayout struct {
	Layout                string `json:"layout"`
	ShowID                bool   `json:"showID"`
	ShowName              bool   `json:"showName"`
	ExpandedSubtechniques string `json:"expandedSubtechniques"` // "annotated": a scored sub-technique shows without a click
}

// LayerTechnique is one technique or sub-technique entry of a layer. Without a tactic the annotation
// shows under every tactic the technique belongs to.
type LayerTechnique struct {
	TechniqueID       string          `json:"techniqueID"`
	Score             uint64          `json:"score"`
	Comment           string          `json:"comment"`
	Enabled           bool            `json:"enabled"`
	ShowSubtechniques bool            `json:"showSubtechniques,omitempty"` // a parent whose sub-techniques are in the layer too
	Metadata          []LayerMetadata `json:"metadata,omitempty"`
}

// LayerGradient is a layer's score gradient.
type LayerGradient struct {
	Colors   []string `json:"colors"`
	MinValue uint64   `json:"minValue"`
	MaxValue uint64   `json:"maxValue"`
}

// LayerMetadata is one name/value metadata entry.
type LayerMetadata struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Layer returns c as a Navigator layer: one entry per technique and sub-technique, scored by c.Score,
// with a comment naming the alert types.
func (c *Coverage) Layer() *Layer {
	l := &Layer{
		Name:        "nssbench coverage: " + c.Source,
		Versions:    LayerVersions{Attack: AttackVersion, Navigator: NavigatorVersion, Layer: LayerFormat},
		Domain:      Domain,
		Description: c.description(),
		Sorting:     3,
		Layout:      LayerLayout{Layout: "side", ShowID: true, ShowName: true, ExpandedSubtechniques: "annotated"},
		Techniques:  []LayerTechnique{},
		Gradient:    LayerGradient{Colors: []string{"#e5f5e0", "#31a354"}, MaxValue: 1},
		Metadata: []LayerMetadata{{Name: "source", Value: c.Source}, {Name: "score", Value: string(c.Score)},
			{Name: "generator", Value: "nssbench"}},
	}
	for _, t := range c.Techniques {
		e := LayerTechnique{TechniqueID: t.ID, Score: t.Score, Comment: c.comment(&t), Enabled: true,
			ShowSubtechniques: c.hasSubtechniques(t.ID)}
		e.Metadata = append(e.Metadata, LayerMetadata{Name: "mapped as", Value: t.Name})
		if len(t.Feeds) > 0 {
			e.Metadata = append(e.Metadata, LayerMetadata{Name: "feeds", Value: strings.Join(t.Feeds, ", ")})
		}
		l.Techniques = append(l.Techniques, e)
		l.Gradient.MaxValue = max(l.Gradient.MaxValue, t.Score)
	}
	return l
}

// description says what the layer shows and what its scores count.
func (c *Coverage) description() string {
	if c.Score == ScoreRecords {
		return fmt.Sprintf("ATT&CK techniques reached by the alerts observed in %s: %d techniques from %d alert types; score = alert records",
			c.Source, len(c.Techniques), c.AlertTypes())
	}
	return fmt.Sprintf("ATT&CK techniques the mapping table %s reaches: %d techniques from %d alert types; score = alert types mapped",
		c.Source, len(c.Techniques), c.AlertTypes())
}

// comment names the alert types of t, with their records for observed coverage.
func (c *Coverage) comment(t *Technique) string {
	parts := make([]string, len(t.AlertTypes))
	for i, a := range t.AlertTypes {
		parts[i] = a
		if c.Score == ScoreRecords {
			parts[i] += " (" + strconv.FormatUint(c.records(a, t.ID), 10) + ")"
		}
	}
	head := plural(uint64(len(t.AlertTypes)), "alert type")
	if c.Score == ScoreRecords {
		head = plural(t.Records, "record") + " from " + head
	}
	return head + ": " + strings.Join(parts, "; ")
}

// records returns the records of an alert type mapped to technique id.
func (c *Coverage) records(alertType, id string) uint64 {
	var n uint64
	for _, r := range c.Rows {
		if r.AlertType == alertType && r.TechniqueID == id {
			n += r.Records
		}
	}
	return n
}

// hasSubtechniques reports whether id is a technique with a sub-technique in c.
func (c *Coverage) hasSubtechniques(id string) bool {
	if strings.Contains(id, ".") {
		return false
	}
	for _, t := range c.Techniques {
		if strings.HasPrefix(t.ID, id+".") {
			return true
		}
	}
	return false
}

// WriteJSON writes the layer as indented JSON with a final newline.
func (l *Layer) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return fmt.Errorf("write navigator layer: %w", err)
	}
	return nil
}

// plural writes "1 alert type", "2 alert types".
func plural(n uint64, noun string) string {
	s := strconv.FormatUint(n, 10) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}
