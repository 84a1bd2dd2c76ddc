package reports

import (
	"fmt"
	"strings"
)

// Incomparable says why the reports at basePath and curPath must not be compared, one line each, or
// nothing when they ran the same experiment: every difference (Differences), or the experiment fields a
// report written before they existed lacks (MissingExperiment), then what is never compared.
func Incomparable(basePath, curPath string, base, cur *Report) []string {
	missing := map[string][]string{basePath: MissingExperiment(&base.Meta), curPath: MissingExperiment(&cur.Meta)}
	diffs := Differences(&base.Meta, &cur.Meta)
	if len(diffs) == 0 && len(missing[basePath]) == 0 && len(missing[curPath]) == 0 {
		return nil
	}
	var lines []string
	if len(diffs) > 0 {
		lines = append(lines, fmt.Sprintf("%s and %s ran different experiments; -force compares them anyway:", basePath, curPath))
		for _, d := range diffs {
			lines = append(lines, fmt.Sprintf("  %s", d))
		}
	}
	for _, path := range []string{basePath, curPath} {
		if m := missing[path]; len(m) > 0 {
			lines = append(lines, fmt.Sprintf("%s does not say which experiment it ran (a report of an older nssbench): it lacks %s; -force compares it anyway",
				path, strings.Join(m, ", ")))
		}
	}
	return append(lines, fmt.Sprintf("  not compared: version %q vs %q, machine %q vs %q", base.Meta.Version, cur.Meta.Version, base.Meta.Machine, cur.Meta.Machine))
}
