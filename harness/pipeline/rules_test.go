package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
)

func TestDefaultRules(t *testing.T) {
	rs := DefaultRules()
	if rs != DefaultRules() {
		t.Error("DefaultRules returned a different set on the second call")
	}
	want := "rules(defaults: C2-web allowed_traffic@collector web, C2-dns allowed_traffic@collector dns, P1 policy_access@platform web, " +
		"P2-firewall default_allow@platform firewall, P2-dns default_allow@platform dns, P3 ssl_handshake@platform web)"
	if got := rs.String(); got != want {
		t.Errorf("DefaultRules().String() =\n%s; want\n%s", got, want)
	}
	if rs.Len() != 6 {
		t.Errorf("Len() = %d; want 6", rs.Len())
	}
	if got := (*Rules)(nil).String() + " " + New(nil, nil, Options{}).String(); got != "rules(none) Pipeline{maxLine=65536 strict=false rules(none) mappings=0}" {
		t.Errorf("nil String() = %q", got)
	}
}

func TestRuleConditions(t *testing.T) {
	rs, err := ParseRules("conds.json", []byte(`{"rules": [
		{"id": "fields", "reason": "default_allow", "stage": "collector", "feed": "dns",
		 "fields": {"cs2": ["Allow"], "cs3": ["*"]},
		 "unless": [{"name": ["keep"]}]},
		{"id": "any-feed-prefix", "reason": "ssl_handshake", "name": ["TLS *", "exact"]}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := New(rs, nil, Options{}).NewDecider()
	cases := []struct {
		line string
		want verdict.Expectation
	}{
		{fw("Drop", "TLS handshake"), drop(fwF, verdict.ReasonSSLHandshake)},
		{fw("Drop", "TLS "), alert(fwF, "TLS", "")}, // the name is trimmed before matching
		{web("Blocked", "exact"), drop(webF, verdict.ReasonSSLHandshake)},
		{fw("Drop", "exactly"), alert(fwF, "exactly", "")},
		{dns("X", "r", "Allow", ""), verdict.Expectation{Feed: dnsF, Stage: verdict.StageCollector, Kind: verdict.KindDropped, Reason: verdict.ReasonDefaultAllow}},
		{nss("NSSDNSlog", "X", "r", "cs2=Allow"), alert(dnsF, "r", "")},                                                                                                               // cs3 missing
		{dns("X", "keep", "Allow", "Allow"), alert(dnsF, "keep", "")},                                                                                                                 // unless
		{fw("X", "r") + " cs3=Allow", alert(fwF, "r", "")},                                                                                                                            // feed
		{dns("X", "r", "allow", "Allow"), alert(dnsF, "r", "")},                                                                                                                       // case-sensitive
		{nss("NSSDNSlog", "X", "r", "cs2=Allow cs3="), verdict.Expectation{Feed: dnsF, Stage: verdict.StageCollector, Kind: verdict.KindDropped, Reason: verdict.ReasonDefaultAllow}}, // "*" matches empty
	}
	for _, tc := range cases {
		var v verdict.Verdict
		d.Decide([]byte(tc.line), &v)
		rid := ""
		if strings.Contains(tc.line, "externalId") {
			rid = "7379073205867184130"
		}
		checkVerdict(t, tc.line, &v, tc.want, rid)
	}
}

// TestParseRulesErrors checks that every bad rules file is rejected with file:line:col, the field and
// the problem.
func TestParseRulesErrors(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string // one per reported problem, in order
	}{
		{"empty file", ``, []string{`r.json:1:1: invalid JSON: cannot parse empty string`}},
		{"syntax error", "{\"rules\": [\n  {\"reason\": \"policy_access\" \"name\": [\"x\"]}\n]}",
			[]string{`r.json:2:30: invalid JSON: cannot parse object: cannot parse object value: cannot parse array: cannot parse array value: cannot parse object: missing ',' after object value`}},
		{"trailing data", "{\"rules\": []}\n}", []string{`r.json:2:1: invalid JSON: unexpected data after the JSON value`}},
		{"syntax error far into a long file", "{\"rules\": [\n" + strings.Repeat("  {\"reason\": \"policy_access\", \"name\": [\"a name long enough to push the tail past eighty bytes\"]},\n", 3) +
			"  {\"reason\": \"policy_access\", \"name\": [\"x\"],, \"feed\": \"web\", \"comment\": \"and more text after the error\"}\n]}",
			[]string{`r.json:5:45: invalid JSON: cannot parse object: cannot parse object value: cannot parse array: cannot parse array value: cannot parse object: cannot find opening '"" for object key`}},
		{"top is a list", `[]`, []string{`r.json:1:1: want an object, got array`}},
		{"missing rules", `{}`, []string{`r.json:1:1: missing "rules" (a list of rule objects)`}},
		{"rules not a list", `{"rules": {}}`, []string{`r.json:1:11: rules: want a list of rule objects`}},
		{"unknown top-level field", `{"rules": [], "version": 2}`, []string{`r.json:1:26: version: unknown field (want one of rules)`}},
		{"rule not an object", `{"rules": ["x"]}`, []string{`r.json:1:12: rules[0]: want an object, got string`}},
		{"missing reason", "{\"rules\": [\n {\"name\": [\"x\"]}]}", []string{`r.json:2:2: rules[0]: missing "reason" (allowed_traffic, policy_access, default_allow or ssl_handshake)`}},
		{"unknown reason", `{"rules": [{"reason": "noise"}]}`, []string{`r.json:1:23: rules[0].reason: unknown drop reason "noise"`}},
		{"malformed is built in", `{"rules": [{"reason": "malformed"}]}`, []string{`r.json:1:23: rules[0].reason: "malformed" is built in (C1) and cannot be a rule's reason`}},
		{"reason not a string", `{"rules": [{"reason": 3}]}`, []string{`r.json:1:23: rules[0].reason: want a string, got number`}},
		{"bad stage", `{"rules": [{"reason": "policy_access", "stage": "edge"}]}`, []string{`r.json:1:49: rules[0].stage: unknown stage "edge" (want collector or platform)`}},
		{"bad feed", `{"rules": [{"reason": "policy_access", "feed": "proxy"}]}`, []string{`r.json:1:48: rules[0].feed: unknown feed "proxy" (want web, firewall or dns)`}},
		{"unknown rule field", `{"rules": [{"reason": "policy_access", "names": ["x"]}]}`,
			[]string{`r.json:1:49: rules[0].names: unknown field (want one of id, comment, reason, stage, feed, action, name, fields, anyOf, unless)`}},
		{"name not a list", `{"rules": [{"reason": "policy_access", "name": "x"}]}`, []string{`r.json:1:48: rules[0].name: want a non-empty list of strings, e.g. ["Allow"]`}},
		{"empty action list", `{"rules": [{"reason": "policy_access", "action": []}]}`, []string{`r.json:1:50: rules[0].action: want a non-empty list of strings, e.g. ["Allow"]`}},
		{"name element not a string", `{"rules": [{"reason": "policy_access", "name": ["x", 1]}]}`, []string{`r.json:1:54: rules[0].name[1]: want a string, got number`}},
		{"fields not an object", `{"rules": [{"reason": "policy_access", "fields": ["cs2"]}]}`, []string{`r.json:1:50: rules[0].fields: want an object, got array`}},
		{"empty fields", `{"rules": [{"reason": "policy_access", "fields": {}}]}`, []string{`r.json:1:50: rules[0].fields: empty fields object (want "key": [values])`}},
		{"bad field key", `{"rules": [{"reason": "policy_access", "fields": {"cs 2": ["x"]}}]}`, []string{`r.json:1:59: rules[0].fields.cs 2: not a CEF extension key ([A-Za-z0-9_.-[]]+)`}},
		{"bad field values", `{"rules": [{"reason": "policy_access", "fields": {"cs2": "x"}}]}`, []string{`r.json:1:58: rules[0].fields.cs2: want a non-empty list of strings, e.g. ["Allow"]`}},
		{"anyOf not a list", `{"rules": [{"reason": "policy_access", "anyOf": {}}]}`, []string{`r.json:1:49: rules[0].anyOf: want a non-empty list of condition objects`}},
		{"empty condition", `{"rules": [{"reason": "policy_access", "unless": [{}]}]}`, []string{`r.json:1:51: rules[0].unless[0]: empty condition (want action, name or fields)`}},
		{"condition with unknown field", `{"rules": [{"reason": "policy_access", "anyOf": [{"feed": "web"}]}]}`,
			[]string{`r.json:1:59: rules[0].anyOf[0].feed: unknown field (want one of action, name, fields)`, `r.json:1:50: rules[0].anyOf[0]: empty condition (want action, name or fields)`}},
		{"collector rule after platform rule", "{\"rules\": [\n{\"id\": \"p\", \"reason\": \"policy_access\"},\n{\"id\": \"c\", \"reason\": \"allowed_traffic\"}]}",
			[]string{`r.json:3:1: rules[1]: collector rule "c" after a platform rule: collector rules come first`}},
		{"duplicate id", `{"rules": [{"id": "a", "reason": "policy_access"}, {"id": "a", "reason": "ssl_handshake"}]}`,
			[]string{`r.json:1:59: rules[1].id: duplicate rule id "a" (also rules[0])`}},
		{"every problem is reported", "{\"rules\": [\n{\"reason\": \"x\"},\n{\"reason\": \"policy_access\", \"feed\": \"y\"}]}",
			[]string{`r.json:2:12: rules[0].reason: unknown drop reason "x"`, `r.json:3:37: rules[1].feed: unknown feed "y" (want web, firewall or dns)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := ParseRules("r.json", []byte(tc.data))
			if err == nil {
				t.Fatalf("ParseRules(%q) = %v; want an error", tc.data, rs)
			}
			if rs != nil {
				t.Errorf("ParseRules(%q) returned rules with the error", tc.data)
			}
			checkFileErrors(t, err, tc.want)
		})
	}
}

// checkFileErrors fails t unless err joins exactly the *FileError values whose messages are want.
func checkFileErrors(t *testing.T, err error, want []string) {
	t.Helper()
	var got []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			got = append(got, e.Error())
			var fe *FileError
			if !errors.As(e, &fe) {
				t.Errorf("error %v is a %T; want *FileError", e, e)
			}
		}
	} else {
		got = append(got, err.Error())
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Errorf("error %v is a %T; want *FileError", err, err)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadRules(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(path, defaultRules, 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rs.String(), strings.Replace(DefaultRules().String(), "defaults", path, 1); got != want {
		t.Errorf("LoadRules(%s).String() = %s; want %s", path, got, want)
	}
	if _, err := LoadRules(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadRules(missing) error = %v; want ErrNotExist", err)
	}
	os.WriteFile(path, []byte(`{"rules": [{"reason": "x"}]}`), 0o644)
	if _, err := LoadRules(path); err == nil || !strings.HasPrefix(err.Error(), path+":1:23: ") {
		t.Errorf("LoadRules(bad) error = %v; want it to start with %s:1:23:", err, path)
	}
}

// TestAssignSlots checks that the field tests of a key share one slot wherever they are (when, anyOf,
// unless, other rules) and that distinct keys get distinct slots: a decision looks each key up once.
func TestAssignSlots(t *testing.T) {
	rs, err := ParseRules("t", []byte(`{"rules": [
		{"reason": "allowed_traffic", "fields": {"cs2": ["a"]}, "anyOf": [{"fields": {"cs3": ["b"]}}]},
		{"reason": "default_allow", "unless": [{"fields": {"cs3": ["c"], "cs2": ["d"], "act": ["e"]}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if rs.fieldKeys() != 3 {
		t.Fatalf("fieldKeys = %d; want 3", rs.fieldKeys())
	}
	slot := map[string]int{}
	for _, c := range []cond{rs.rules[0].when, rs.rules[0].anyOf[0], rs.rules[1].unless[0]} {
		for _, f := range c.fields {
			k := fmt.Sprint(f.key)
			if s, ok := slot[k]; ok && s != f.slot {
				t.Errorf("key %s in slots %d and %d", k, s, f.slot)
			}
			slot[k] = f.slot
		}
	}
	seen := map[int]bool{}
	for k, s := range slot {
		if seen[s] || s < 0 || s >= 3 {
			t.Errorf("key %s has slot %d, taken or out of range", k, s)
		}
		seen[s] = true
	}
}
