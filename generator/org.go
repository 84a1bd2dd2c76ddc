package generator

import (
	"fmt"
	"net/netip"
	"strconv"
)

// Org describes the synthetic organisation the users belong to; a zero field keeps the built-in
// default (Config.Org).
type Org struct {
	// EmailDomain is the domain of the users' logins, "first.last@EmailDomain" (default example.com).
	EmailDomain string
	// Networks are the internal IPv4 networks client addresses come from: location i's users get
	// consecutive addresses from Networks[i % len(Networks)], starting at its 11th address and
	// wrapping inside it (default: each built-in location's own /24s, from 192.168.1.0, 10.10.0.0,
	// 192.168.0.0, 10.20.0.0 and 172.17.3.0 on).
	Networks []netip.Prefix
	// Locations are the ZIA location names, drawn equally often; location i connects as built-in
	// location i (modulo their number) does: Road Warrior (Client Connector), Headquarters (GRE),
	// Home (Client Connector), Singapore Office (IPsec), new-gre (GRE) (default: those five, weighted).
	Locations []string
	// Departments are the department names, drawn equally often (default: Sales, Engineering, … weighted).
	Departments []string
}

// validate returns the problems of o: empty names, a domain that is no host name, networks that are not
// IPv4.
func (o *Org) validate() []error {
	var errs []error
	if o.EmailDomain != "" {
		if err := CheckDomain(o.EmailDomain); err != nil {
			errs = append(errs, fmt.Errorf("org email domain: %w", err))
		}
	}
	for i, n := range o.Networks {
		if !n.IsValid() || !n.Addr().Is4() {
			errs = append(errs, fmt.Errorf("org network %d %v: want an IPv4 network", i, n))
		}
	}
	for i, l := range o.Locations {
		if l == "" {
			errs = append(errs, fmt.Errorf("org location %d: empty name", i))
		}
	}
	for i, d := range o.Departments {
		if d == "" {
			errs = append(errs, fmt.Errorf("org department %d: empty name", i))
		}
	}
	return errs
}

// CheckDomain reports whether d is a DNS domain a login can end with: dot-separated labels of
// letters, digits and inner hyphens, each 1 to 63 bytes, at most 253 in all.
func CheckDomain(d string) error {
	if d == "" || len(d) > 253 {
		return fmt.Errorf("%q: want a domain name of 1 to 253 characters", d)
	}
	label := 0
	for i := 0; i <= len(d); i++ {
		if i == len(d) || d[i] == '.' {
			if label == 0 || label > 63 || d[i-1] == '-' {
				return fmt.Errorf("%q: want labels of 1 to 63 letters, digits or inner hyphens, separated by dots", d)
			}
			label = 0
			continue
		}
		c := d[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' && label > 0) {
			return fmt.Errorf("%q: %q is not a letter, digit or inner hyphen", d, c)
		}
		label++
	}
	return nil
}

// user is one member of the synthetic organisation. Every field is rendered bytes, computed once at
// New, so events only copy them.
type user struct {
	login          []byte // "olivia.smith@example.com"
	dept           []byte
	location       []byte
	loc            *location
	ttype          []byte // loc.ttype and loc.redirect, as bytes a bound program reads (event.uv)
	redirect       []byte
	deviceowner    []byte // short name; "NA" without Client Connector
	devicehostname []byte // "DESKTOP-4F7K2QX"; "NA" without Client Connector
	devicename     []byte
	devicemodel    []byte
	deviceostype   []byte
	devicetype     []byte
	deviceappver   []byte
	externalDevID  []byte
	ua             []byte // the user's browser
	cip            []byte // private client address
	cpubip         []byte // public egress address in 203.0.113.0/24
	ztunnel        []byte
}

// org is the synthetic organisation: users with stable attributes. It is immutable after newOrg.
type org struct {
	users []user
}

// newOrg builds n users from seed and the organisation's description oc (valid, see Org.validate).
// The same (seed, n, oc) always gives the same organisation; the zero Org gives the built-in one.
func newOrg(seed uint64, n int, oc *Org) *org {
	r := newRNG(seed, streamOrg, 0)
	domain := orgDomain
	if oc.EmailDomain != "" {
		domain = oc.EmailDomain
	}
	depts := departments
	if len(oc.Departments) > 0 {
		depts = make([]weightedString, len(oc.Departments))
		for i, d := range oc.Departments {
			depts[i] = weightedString{d, 1}
		}
	}
	locs := locations
	if len(oc.Locations) > 0 {
		custom := make([]location, len(oc.Locations))
		for i, name := range oc.Locations {
			custom[i] = locations[i%len(locations)]
			custom[i].name, custom[i].weight = name, 1
		}
		locs = custom
	}
	dw := newWeighted(weightsOf(depts))
	lw := make([]int, len(locs))
	for i, l := range locs {
		lw[i] = l.weight
	}
	locW := newWeighted(lw)
	devW := make([]int, len(devices))
	for i, d := range devices {
		devW[i] = d.weight
	}
	devPick := newWeighted(devW)

	o := &org{users: make([]user, n)}
	seen := make(map[string]int, n)
	hostPerSubnet := make(map[*location]int)
	hostPerNetwork := make([]uint64, len(oc.Networks))
	na := vb("NA")
	for i := range o.users {
		u := &o.users[i]
		first := firstNames[r.intn(len(firstNames))]
		last := lastNames[r.intn(len(lastNames))]
		name := first + "." + last
		if k := seen[name]; k > 0 {
			seen[name] = k + 1
			name += strconv.Itoa(k + 1)
		} else {
			seen[name] = 1
		}
		u.login = vb(name + "@" + domain)
		u.dept = vb(depts[dw.pick(&r)].s)
		li := locW.pick(&r)
		loc := &locs[li]
		u.loc = loc
		u.location = vb(loc.name)
		u.ttype, u.redirect = vb(loc.ttype), vb(loc.redirect)

		if nets := oc.Networks; len(nets) > 0 {
			k := li % len(nets)
			u.cip = vb(hostIn(nets[k], 10+hostPerNetwork[k]).String())
			hostPerNetwork[k]++
		} else {
			// Client addresses: .10-.250 hosts per /24, moving on to the next /24 when one fills up.
			h := hostPerSubnet[loc]
			hostPerSubnet[loc] = h + 1
			third := int(loc.subnet[2]) + h/240
			u.cip = vb(strconv.Itoa(int(loc.subnet[0])) + "." + strconv.Itoa(int(loc.subnet[1])) + "." +
				strconv.Itoa(third%256) + "." + strconv.Itoa(10+h%240))
		}
		egress := int(loc.egress)
		if egress == 0 {
			egress = 100 + r.intn(150) // a home or hotel network
		}
		u.cpubip = vb("203.0.113." + strconv.Itoa(egress))

		dev := &devices[devPick.pick(&r)]
		u.ua = vb(dev.uas[r.intn(len(dev.uas))])
		if !loc.zcc {
			u.deviceowner, u.devicehostname, u.devicename = na, na, na
			u.devicemodel, u.deviceostype, u.devicetype, u.deviceappver = na, na, na, na
			u.externalDevID, u.ztunnel = na, na
			continue
		}
		u.deviceowner = vb(first[:1] + last)
		u.devicehostname = vb(dev.prefix + randomUpper(&r, 7))
		u.devicename = vb(randomHexID(&r))
		u.devicemodel = vb(dev.models[r.intn(len(dev.models))])
		u.deviceostype = vb(dev.ostype)
		u.devicetype = vb("Zscaler Client Connector")
		u.deviceappver = vb(dev.appVersion)
		u.externalDevID = vb("None")
		u.ztunnel = vb("ZTUNNEL_2_0_DTLS1_2")
	}
	return o
}

// hostIn returns address number i of IPv4 network n, wrapping inside it.
func hostIn(n netip.Prefix, i uint64) netip.Addr {
	n = n.Masked()
	size := uint64(1) << (32 - n.Bits())
	b := n.Addr().As4()
	base := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	a := uint32(base + i%size)
	return netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
}

const upperAlnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func randomUpper(r *rng, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = upperAlnum[r.intn(len(upperAlnum))]
	}
	return string(b)
}

// randomHexID returns a Client Connector device id like "928bba62-4009-4035-9af7-4fb69289c011".
func randomHexID(r *rng) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[r.intn(16)]
		}
	}
	return string(b)
}

func weightsOf(ws []weightedString) []int {
	w := make([]int, len(ws))
	for i, x := range ws {
		w[i] = x.w
	}
	return w
}
