package scenarios

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator"
)

const orgBase = `"duration":"1s","pacer":{"rate":1},"mix":{"*":1}`

// TestParseOrg: the organisation's keys, read into generator.Org.
func TestParseOrg(t *testing.T) {
	s, err := Parse("x.json", []byte(`{`+orgBase+`,"org":{"emailDomain":"corp.example.org","networks":["10.20.0.0/16","172.16.4.0/22"],
		"locations":["Paris HQ","Lyon"],"departments":["Ops","Dev"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := generator.Org{EmailDomain: "corp.example.org",
		Networks:  []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16"), netip.MustParsePrefix("172.16.4.0/22")},
		Locations: []string{"Paris HQ", "Lyon"}, Departments: []string{"Ops", "Dev"}}
	if s.Org.EmailDomain != want.EmailDomain || !slices.Equal(s.Org.Networks, want.Networks) ||
		!slices.Equal(s.Org.Locations, want.Locations) || !slices.Equal(s.Org.Departments, want.Departments) {
		t.Errorf("Org = %+v; want %+v", s.Org, want)
	}
	if s, err := Parse("x.json", []byte(`{`+orgBase+`}`)); err != nil || s.Org.EmailDomain != "" || s.Org.Networks != nil {
		t.Errorf("without org: %+v, %v; want the zero Org (the built-in organisation)", s.Org, err)
	}
}

// TestParseOrgErrors: every problem of an org, each at its line and field.
func TestParseOrgErrors(t *testing.T) {
	_, err := Parse("x.json", []byte("{"+orgBase+`,"org":{
"emailDomain": "exa mple.com",
"networks": ["10.20.0.0/33", "fd00::/8", "10.1.0.0/16"],
"locations": [],
"departments": ["Ops", "", "Ops"],
"size": 3}}`))
	if err == nil {
		t.Fatal("Parse accepted a bad org")
	}
	for _, want := range []string{
		`x.json:2: org.emailDomain: "exa mple.com": ' ' is not a letter, digit or inner hyphen`,
		`x.json:3: org.networks[0]: "10.20.0.0/33": want an IPv4 network in CIDR notation`,
		`x.json:3: org.networks[1]: "fd00::/8": want an IPv4 network`,
		`x.json:4: org.locations: empty: give at least one`,
		`x.json:5: org.departments[1]: empty string`,
		`x.json:5: org.departments[2]: "Ops": repeated`,
		`x.json:6: org.size: unknown key (known: emailDomain, networks, locations, departments)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestOrgReachesTheGenerator: GeneratorFor hands the scenario's org to the generator (generator's
// TestOrg checks what it does with it).
func TestOrgReachesTheGenerator(t *testing.T) {
	s, err := Parse("x.json", []byte(`{`+orgBase+`,"org":{"emailDomain":"acme.test"}}`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := GeneratorFor(s, false)
	if err != nil {
		t.Fatal(err)
	}
	for seq := uint64(0); seq < 50; seq++ {
		if line, _ := g.Append(nil, seq); bytes.Contains(line, []byte("@example.com")) {
			t.Fatalf("line %d has the default domain: %s", seq, line)
		}
	}
}
