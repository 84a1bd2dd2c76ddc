package nssfmt

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"host", "host", 2, 0},
		{"hots", "host", 2, 1},  // transposition
		{"hots", "ehost", 2, 2}, // insertion + transposition
		{"hst", "host", 2, 1},   // insertion
		{"hostt", "host", 2, 1}, // deletion
		{"hest", "host", 2, 1},  // substitution
		{"abcdef", "ab", 2, 3},  // length gap beyond the limit
		{"zzzz", "host", 2, 3},  // early exit
		{"", "ab", 2, 2},
		{"ab", "", 1, 2},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d; want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"hots", []string{"host", "ehost"}},
		{"rulelable", []string{"rulelabel", "erulelabel", "orulelabel"}},
		{"LOGIN", []string{"login", "elogin", "ologin"}},
		{"dd1", []string{"dd"}},
		{"departmnt", []string{"department", "edepartment", "odepartment"}},
		{"qqqqqqqqq", nil},
		// Completions of a prefix follow the near names, shortest first.
		{"srcip", []string{"srcip_country", "sip", "cip"}},
		{"inst_level1", []string{"inst_level1_id", "inst_level1_type", "inst_level1_name"}},
		{"ecs", []string{"ecs_slot", "ecs_prefix"}},
		// Documented fields resolve; a near miss names them.
		{"ipsrulelable", []string{"ipsrulelabel", "oipsrulelabel"}},
		{"ecs_prefx", []string{"ecs_prefix"}},
	}
	for _, tt := range tests {
		if got := suggest(tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
	// At most maxSuggestions, closest first.
	if got := suggest("ss"); len(got) > maxSuggestions || len(got) == 0 || got[0] != "ss" {
		t.Errorf("suggest(%q) = %q; want at most %d names starting with ss", "ss", got, maxSuggestions)
	}
}
