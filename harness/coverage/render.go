package coverage

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/nssbench/nssbench/generator/verdict"
)

// WriteText writes the coverage for a terminal: with a diff (d may be nil), what changed first, then
// every technique with its score, feeds and alert types, then the alert types that reach none.
func WriteText(w io.Writer, c *Coverage, d *Diff) error {
	var b strings.Builder
	b.WriteString(c.headline() + "\n")
	if d != nil {
		b.WriteString(d.headline() + "\n")
		for _, t := range d.Gained {
			fmt.Fprintf(&b, "  + %s %s: %s\n", t.ID, t.Name, strings.Join(t.AlertTypes, "; "))
		}
		for _, t := range d.Lost {
			fmt.Fprintf(&b, "  - %s %s: was %s\n", t.ID, t.Name, strings.Join(t.AlertTypes, "; "))
		}
		for _, ch := range d.Changed {
			fmt.Fprintf(&b, "  %s%s: %s → %s%s\n", ch.AlertType, feedText(ch.Feed), ch.Old, ch.New, c.recordsText(ch.Records))
		}
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "technique\tname\tscore\tfeeds\talert types\n")
	for _, t := range c.Techniques {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\n", t.ID, t.Name, t.Score, dash(strings.Join(t.Feeds, ", ")), c.alertTypesText(&t))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write coverage: %w", err)
	}
	if un := c.Unmapped(); len(un) > 0 {
		b.WriteString("\nalert types that reach no technique:\n")
		for _, r := range un {
			fmt.Fprintf(&b, "  %s%s%s\n", r.AlertType, feedText(r.Feed), c.recordsText(r.Records))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write coverage: %w", err)
	}
	return nil
}

// WriteMarkdown writes the coverage for a pull-request comment: with a diff (d may be nil), what
// changed first, then the technique table and the alert types that reach none.
func WriteMarkdown(w io.Writer, c *Coverage, d *Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### ATT&CK coverage — %s\n\n", md(c.headline()))
	if d != nil {
		fmt.Fprintf(&b, "**%s**\n\n", md(d.headline()))
		if len(d.Gained)+len(d.Lost) > 0 {
			b.WriteString("| | technique | alert types |\n|---|---|---|\n")
			for _, t := range d.Gained {
				fmt.Fprintf(&b, "| ➕ gained | %s %s | %s |\n", t.ID, md(t.Name), md(strings.Join(t.AlertTypes, "; ")))
			}
			for _, t := range d.Lost {
				fmt.Fprintf(&b, "| ➖ lost | %s %s | %s |\n", t.ID, md(t.Name), md(strings.Join(t.AlertTypes, "; ")))
			}
			b.WriteString("\n")
		}
		if len(d.Changed) > 0 {
			b.WriteString("| alert type | feed | before | after |" + c.recordsHead() + "\n|---|---|---|---|" + c.recordsRule() + "\n")
			for _, ch := range d.Changed {
				fmt.Fprintf(&b, "| %s | %s | %s | %s |%s\n", md(ch.AlertType), dash(feedName(ch.Feed)), md(ch.Old.String()), md(ch.New.String()), c.recordsCell(ch.Records))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("| technique | name | score | feeds | alert types |\n|---|---|--:|---|---|\n")
	for _, t := range c.Techniques {
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s |\n", t.ID, md(t.Name), t.Score, dash(strings.Join(t.Feeds, ", ")), md(c.alertTypesText(&t)))
	}
	if un := c.Unmapped(); len(un) > 0 {
		b.WriteString("\nAlert types that reach no technique:\n\n")
		for _, r := range un {
			fmt.Fprintf(&b, "- %s%s%s\n", md(r.AlertType), feedText(r.Feed), c.recordsText(r.Records))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write coverage: %w", err)
	}
	return nil
}

// headline sums the coverage up in one line.
func (c *Coverage) headline() string {
	what := "mapping table "
	if c.Score == ScoreRecords {
		what = "alerts observed in "
	}
	return fmt.Sprintf("%s%s: %s from %s (score: %s)", what, c.Source, plural(uint64(len(c.Techniques)), "technique"),
		plural(uint64(c.AlertTypes()), "alert type"), c.Score)
}

// headline sums the diff up in one line.
func (d *Diff) headline() string {
	if d.Empty() {
		return "against " + d.Base + ": no change"
	}
	return fmt.Sprintf("against %s: %d gained, %d lost, %s changed technique", d.Base, len(d.Gained), len(d.Lost),
		plural(uint64(len(d.Changed)), "alert type"))
}

// alertTypesText lists t's alert types, with their records for observed coverage.
func (c *Coverage) alertTypesText(t *Technique) string {
	parts := make([]string, len(t.AlertTypes))
	for i, a := range t.AlertTypes {
		parts[i] = a + c.recordsText(c.records(a, t.ID))
	}
	return strings.Join(parts, "; ")
}

// recordsText writes ", 306 records" for observed coverage, "" for a mapping table's.
func (c *Coverage) recordsText(n uint64) string {
	if c.Score != ScoreRecords {
		return ""
	}
	return ", " + plural(n, "record")
}

// recordsHead, recordsRule and recordsCell add a records column to the changes table of observed
// coverage.
func (c *Coverage) recordsHead() string { return c.ifRecords(" records |") }
func (c *Coverage) recordsRule() string { return c.ifRecords("--:|") }
func (c *Coverage) recordsCell(n uint64) string {
	return c.ifRecords(" " + strconv.FormatUint(n, 10) + " |")
}

func (c *Coverage) ifRecords(s string) string {
	if c.Score != ScoreRecords {
		return ""
	}
	return s
}

// feedName is f's name, "" when unknown.
func feedName(f verdict.Feed) string {
	if f == verdict.FeedUnknown {
		return ""
	}
	return f.String()
}

// feedText writes " (firewall)", or "" when the feed is unknown.
func feedText(f verdict.Feed) string {
	if name := feedName(f); name != "" {
		return " (" + name + ")"
	}
	return ""
}

// dash writes s, or "-" for an empty s.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// md escapes s for a Markdown table cell.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;").Replace(s)
}
