package corpus

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// writeText renders outcomes for Text (see there).
func writeText(w io.Writer, outs []Outcome) error {
	bw := bufio.NewWriter(w)
	total := Total(outs)
	if total.Changed > 0 {
		writeChanges(bw, outs)
		fmt.Fprintf(bw, "%s\n\n", total)
	}
	for i := range outs {
		o := &outs[i]
		r := o.Result
		if o.Update != nil {
			fmt.Fprintf(bw, "%s: rewrote %s: %d of %d records changed", o.Dir, base(o.Update.File), o.Update.Changed, o.Update.Records)
			if o.Update.Removed > 0 {
				fmt.Fprintf(bw, ", %d stale verdicts removed", o.Update.Removed)
			}
			if o.Update.Rules != "" {
				fmt.Fprintf(bw, "; corpus.json now names rules %s", o.Update.Rules)
			}
			if o.Update.Mappings != "" {
				fmt.Fprintf(bw, "; corpus.json now names mappings %s", o.Update.Mappings)
			}
			fmt.Fprintln(bw)
		}
		if r == nil {
			fmt.Fprintf(bw, "%-5s %s: %v\n", o.Status(), o.Dir, o.Err)
			continue
		}
		fmt.Fprintf(bw, "%-5s %s: %d records, %d match, %d mismatch (via %s, %v)\n", o.Status(), o.Dir, r.Records,
			r.Matched, r.Mismatched, r.Via, r.Elapsed.Round(1e5))
		if o.Err != nil {
			fmt.Fprintf(bw, "      error: %v\n", o.Err)
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(bw, "      warning: %s\n", warn)
		}
		if len(r.Fields) > 0 {
			parts := make([]string, len(r.Fields))
			for j, f := range r.Fields {
				parts[j] = fmt.Sprintf("%s %d", f.Field, f.Count)
			}
			fmt.Fprintf(bw, "      differing fields: %s\n", strings.Join(parts, ", "))
		}
		width := len("class")
		for _, c := range r.Classes {
			width = max(width, len(c.Name))
		}
		if len(r.Classes) > 0 {
			fmt.Fprintf(bw, "      %-*s %9s %10s\n", width, "class", "records", "mismatches")
		}
		for _, c := range r.Classes {
			fmt.Fprintf(bw, "      %-*s %9d %10d\n", width, c.Name, c.Records, c.Mismatches)
		}
		if len(r.Mismatches) > 0 {
			fmt.Fprintf(bw, "      first %d of %d mismatches:\n", len(r.Mismatches), r.Mismatched)
			for j := range r.Mismatches {
				for _, l := range strings.SplitAfter(strings.TrimSuffix(r.Mismatches[j].String(), "\n"), "\n") {
					fmt.Fprintf(bw, "      %s", l)
				}
				fmt.Fprintln(bw)
			}
		}
	}
	if total.Changed == 0 {
		fmt.Fprintln(bw, total)
	}
	return bw.Flush()
}

// writeChanges writes, per corpus with mismatches, its changes by alert type: expected → decided.
func writeChanges(bw *bufio.Writer, outs []Outcome) {
	for i := range outs {
		r := outs[i].Result
		if r == nil || r.Mismatched == 0 {
			continue
		}
		types := map[string]bool{}
		for _, c := range r.Changes {
			types[c.AlertType] = true
		}
		fmt.Fprintf(bw, "%s: %s %s changed in %d %s (expected → decided)\n", outs[i].Dir, groupDigits(r.Mismatched),
			plural(r.Mismatched, "record", "records"), len(types), plural(uint64(len(types)), "alert type", "alert types"))
		for j := range r.Changes {
			fmt.Fprintf(bw, "  %s\n", r.Changes[j].String())
		}
	}
}
