package generator_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// orgLines renders n web events of org through a format of the user's fields only:
// login|cip|location|dept.
func orgLines(t *testing.T, org generator.Org, users, n int) [][]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "org.txt")
	if err := os.WriteFile(path, []byte("%s{login}|%s{cip}|%s{location}|%s{dept}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := feeds.FromFile(path, verdict.FeedWeb)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := f.Compile(feeds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[verdict.FeedWeb] = prog
	g, err := generator.New(generator.Config{Seed: 3, Users: users, Programs: progs, Org: org,
		Classes: library(t, func(c *generator.Class) bool { return c.Feed == verdict.FeedWeb && c.Malform == generator.MalformNone })})
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]string, n)
	for i := range out {
		line, _ := g.Append(nil, uint64(i))
		out[i] = strings.Split(string(line), "|")
	}
	return out
}

// TestOrg checks a custom organisation: every login @acme.test, every client address inside the
// networks (location i's inside network i mod 2), every location and department from the lists, and
// each list entry used.
func TestOrg(t *testing.T) {
	org := generator.Org{EmailDomain: "acme.test",
		Networks:    []netip.Prefix{netip.MustParsePrefix("10.77.0.0/16"), netip.MustParsePrefix("192.0.2.0/28")},
		Locations:   []string{"Paris HQ", "Lyon", "Remote"},
		Departments: []string{"Ops", "Dev"}}
	used := map[string]bool{}
	for _, f := range orgLines(t, org, 300, 3000) {
		login, cip, loc, dept := f[0], f[1], f[2], f[3]
		if !strings.HasSuffix(login, "@acme.test") {
			t.Fatalf("login %q not @acme.test", login)
		}
		li := slices.Index(org.Locations, loc)
		if li < 0 || !slices.Contains(org.Departments, dept) {
			t.Fatalf("location %q, department %q: not from the lists", loc, dept)
		}
		if a, err := netip.ParseAddr(cip); err != nil || !org.Networks[li%2].Contains(a) {
			t.Fatalf("location %q (%d): client address %q not in %v", loc, li, cip, org.Networks[li%2])
		}
		used[loc], used[dept] = true, true
	}
	for _, name := range append(slices.Clone(org.Locations), org.Departments...) {
		if !used[name] {
			t.Errorf("%q never drawn", name)
		}
	}
}

// TestOrgDefaults checks that the zero Org is the built-in organisation.
func TestOrgDefaults(t *testing.T) {
	for _, f := range orgLines(t, generator.Org{}, 50, 200) {
		if !strings.HasSuffix(f[0], "@example.com") {
			t.Fatalf("default login %q not @example.com", f[0])
		}
	}
}

// TestOrgInvalid checks New's errors for an organisation that the scenario decoder would refuse too.
func TestOrgInvalid(t *testing.T) {
	f, err := feeds.ByName("web")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := f.Compile(feeds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[verdict.FeedWeb] = prog
	_, err = generator.New(generator.Config{Seed: 1, Programs: progs,
		Org:     generator.Org{EmailDomain: "-bad.test", Networks: []netip.Prefix{netip.MustParsePrefix("fd00::/8")}, Locations: []string{""}, Departments: []string{""}},
		Classes: library(t, func(c *generator.Class) bool { return c.Feed == verdict.FeedWeb && c.Malform == generator.MalformNone })})
	for _, want := range []string{"org email domain", "org network 0 fd00::/8: want an IPv4 network", "org location 0: empty name", "org department 0: empty name"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New error %v; want %q", err, want)
		}
	}
}
