package nssfmt

import (
	"slices"
	"strings"
)

// maxSuggestions bounds the names an unknown-field error suggests.
const maxSuggestions = 3

// minPrefix is the shortest unknown name suggest completes to longer names it begins
// ("srcip" → srcip_country).
const minPrefix = 3

// candidates are the names suggest picks from, in table order: each field, then its documented
// `e`, `o` and `b64` variants; then the aliases and theirs.
var candidates = func() []string {
	var names []string
	add := func(name string, flags fieldFlags) {
		names = append(names, name)
		if flags&fE != 0 {
			names = append(names, "e"+name)
		}
		if flags&fO != 0 {
			names = append(names, "o"+name)
		}
		if flags&fB != 0 {
			names = append(names, b64Prefix+name)
		}
	}
	for _, fi := range table {
		add(fi.name, fi.flags)
	}
	for _, a := range aliases {
		add(a.name, a.flags)
	}
	return names
}()

// suggest returns the known names closest to an unknown one, at most maxSuggestions: those within
// an edit distance (insertions, deletions, substitutions, adjacent transpositions; case ignored) of
// 2, or of 1 for names shorter than 4 bytes, and, for names of at least minPrefix bytes, the longer
// names that begin with it. Names 1 edit away come first, then completions (shortest first), then
// names 2 edits away.
func suggest(name string) []string {
	limit := 2
	if len(name) < 4 {
		limit = 1
	}
	lower := strings.ToLower(name)
	type near struct {
		name string
		dist int
		rank int
	}
	var found []near
	for rank, cand := range candidates {
		// dist orders the names: 2×distance for near names; 3 for completions, which rank after a
		// name 1 edit away and before one 2 edits away.
		if d := distance(lower, cand, limit); d <= limit {
			found = append(found, near{cand, 2 * d, rank})
		} else if len(lower) >= minPrefix && strings.HasPrefix(cand, lower) {
			found = append(found, near{cand, 3, rank})
		}
	}
	slices.SortFunc(found, func(a, b near) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		if a.dist == 3 && len(a.name) != len(b.name) {
			return len(a.name) - len(b.name) // shorter completions first
		}
		return a.rank - b.rank
	})
	var out []string
	for _, n := range found[:min(len(found), maxSuggestions)] {
		out = append(out, n.name)
	}
	return out
}

// distance returns the optimal-string-alignment distance between a and b, or limit+1 as soon as
// it is sure to exceed limit.
func distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	// Three rows of the dynamic-programming matrix: i-2, i-1 and i.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
