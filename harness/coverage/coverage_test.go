package coverage

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/reports/golden"
)

func defaults() *Coverage { return FromMappings("defaults", pipeline.DefaultMappings()) }

func proposed(t *testing.T) *Coverage {
	t.Helper()
	m, _, err := pipeline.LoadMappings("testdata/proposed.json")
	if err != nil {
		t.Fatal(err)
	}
	return FromMappings("proposed.json", m)
}

// observed is what a corpus run of the default mapping could see: mapped and unmapped alerts and
// drops.
func observed() *Coverage {
	var tl Tally
	rdp := &verdict.Threat{ID: "T1021.001", Name: "Remote Desktop Protocol"}
	phish := &verdict.Threat{ID: "T1566", Name: "Phishing"}
	for range 306 {
		tl.Add(&verdict.Verdict{Kind: verdict.KindAlert, Feed: verdict.FeedFirewall, Stage: verdict.StagePlatform, AlertType: []byte("RDP Allow"), Threat: rdp})
	}
	for range 5 {
		tl.Add(&verdict.Verdict{Kind: verdict.KindDropped, Feed: verdict.FeedFirewall, Stage: verdict.StagePlatform, AlertType: []byte("Allow")})
		tl.Add(&verdict.Verdict{Kind: verdict.KindAlert, Feed: verdict.FeedWeb, Stage: verdict.StagePlatform, AlertType: []byte("Custom block")})
	}
	tl.AddCount("Reputation block outbound request: phishing site", verdict.FeedWeb, phish, 295)
	tl.AddCount("Malware block: malicious file", verdict.FeedWeb, &verdict.Threat{ID: "T1204.002", Name: "Malicious File"}, 40)
	return FromTally("golden corpora", &tl)
}

func TestFromMappings(t *testing.T) {
	c := defaults()
	if c.Score != ScoreAlertTypes || len(c.Rows) != 10 || c.AlertTypes() != 10 || len(c.Techniques) != 9 {
		t.Fatalf("score %q, %d rows, %d alert types, %d techniques; want alert types, 10, 10, 9", c.Score, len(c.Rows), c.AlertTypes(), len(c.Techniques))
	}
	mal := c.Technique("T1204.002")
	want := []string{"Malware block: malicious file", "Sandbox block inbound response: malicious file"}
	if mal == nil || mal.Score != 2 || mal.Name != "Malicious File" || !slices.Equal(mal.AlertTypes, want) || !slices.Equal(mal.Feeds, []string{"web"}) {
		t.Errorf("T1204.002: %+v", mal)
	}
	if rdp := c.Technique("T1021.001"); rdp == nil || !slices.Equal(rdp.Feeds, []string{"firewall"}) || rdp.Score != 1 {
		t.Errorf("T1021.001: %+v", rdp)
	}
	if c.Technique("T1204") != nil || c.Technique("T1021") != nil {
		t.Error("a parent technique is covered only through its sub-technique's id")
	}
	if !slices.IsSortedFunc(c.Techniques, func(a, b Technique) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("techniques are not sorted by id")
	}
	if len(c.Unmapped()) != 0 {
		t.Errorf("a mapping table has unmapped rows: %v", c.Unmapped())
	}
}

func TestFromTally(t *testing.T) {
	c := observed()
	if c.Score != ScoreRecords || len(c.Techniques) != 3 || c.AlertTypes() != 3 {
		t.Fatalf("score %q, %d techniques, %d alert types", c.Score, len(c.Techniques), c.AlertTypes())
	}
	if rdp := c.Technique("T1021.001"); rdp == nil || rdp.Records != 306 || rdp.Score != 306 {
		t.Errorf("T1021.001: %+v", rdp)
	}
	un := c.Unmapped()
	if len(un) != 1 || un[0].AlertType != "Custom block" || un[0].Records != 5 || un[0].Feed != verdict.FeedWeb {
		t.Errorf("unmapped %+v; want Custom block, web, 5 records (drops not counted)", un)
	}
}

func TestCompare(t *testing.T) {
	d := Compare(defaults(), proposed(t))
	ids := func(ts []Technique) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	if got := ids(d.Gained); !slices.Equal(got, []string{"T1071.004", "T1566.002"}) {
		t.Errorf("gained %v", got)
	}
	if got := ids(d.Lost); !slices.Equal(got, []string{"T1021.001"}) {
		t.Errorf("lost %v", got)
	}
	want := []Change{
		{AlertType: "DNS tunnel", New: Ref{"T1071.004", "DNS"}},
		{AlertType: "RDP Allow", Feed: verdict.FeedFirewall, Old: Ref{"T1021.001", "Remote Desktop Protocol"}},
		{AlertType: "Reputation block outbound request: phishing site", Feed: verdict.FeedWeb, Old: Ref{"T1566", "Phishing"}, New: Ref{"T1566.002", "Spearphishing Link"}},
		{AlertType: "Reputation block outbound request: phishing | lookalike", Feed: verdict.FeedWeb, New: Ref{"T1566", "Phishing"}},
	}
	if !slices.Equal(d.Changed, want) {
		t.Errorf("changed\n%+v\nwant\n%+v", d.Changed, want)
	}
	if same := Compare(defaults(), defaults()); !same.Empty() {
		t.Errorf("a table against itself: %+v", same)
	}
}

func TestRender(t *testing.T) {
	prop := proposed(t)
	cases := []struct {
		name string
		c    *Coverage
		d    *Diff
	}{
		{"defaults", defaults(), nil},
		{"proposed_vs_defaults", prop, Compare(defaults(), prop)},
		{"observed", observed(), nil},
		{"observed_vs_empty", observed(), Compare(FromTally("base corpora", &Tally{}), observed())},
	}
	for _, tc := range cases {
		for _, f := range []struct {
			name  string
			write func(*bytes.Buffer) error
		}{
			{"layer", func(b *bytes.Buffer) error { return tc.c.Layer().WriteJSON(b) }},
			{"text", func(b *bytes.Buffer) error { return WriteText(b, tc.c, tc.d) }},
			{"markdown", func(b *bytes.Buffer) error { return WriteMarkdown(b, tc.c, tc.d) }},
		} {
			if f.name == "layer" && tc.d != nil {
				continue // the layer does not depend on the diff
			}
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.write(&b); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, b.Bytes())
			})
		}
	}
}
