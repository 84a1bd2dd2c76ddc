package generator

import (
	"strconv"
)

// user is one member of the synthetic organisation. Every field is rendered bytes, computed once at
// New, so events only copy them.
type user struct {
	login          []byte // "olivia.smith@example.com"
	dept           []byte
	location       []byte
	loc            *location
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

// newOrg builds n users from seed. The same (seed, n) always gives the same organisation.
func newOrg(seed uint64, n int) *org {
	r := newRNG(seed, streamOrg, 0)
	dw := newWeighted(weightsOf(departments))
	lw := make([]int, len(locations))
	for i, l := range locations {
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
	na := []byte("NA")
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
		u.login = []byte(name + "@" + orgDomain)
		u.dept = []byte(departments[dw.pick(&r)].s)
		loc := &locations[locW.pick(&r)]
		u.loc = loc
		u.location = []byte(loc.name)

		// Client addresses: .10-.250 hosts per /24, moving on to the next /24 when one fills up.
		h := hostPerSubnet[loc]
		hostPerSubnet[loc] = h + 1
		third := int(loc.subnet[2]) + h/240
		u.cip = []byte(strconv.Itoa(int(loc.subnet[0])) + "." + strconv.Itoa(int(loc.subnet[1])) + "." +
			strconv.Itoa(third%256) + "." + strconv.Itoa(10+h%240))
		egress := int(loc.egress)
		if egress == 0 {
			egress = 100 + r.intn(150) // a home or hotel network
		}
		u.cpubip = []byte("203.0.113." + strconv.Itoa(egress))

		dev := &devices[devPick.pick(&r)]
		u.ua = []byte(dev.uas[r.intn(len(dev.uas))])
		if !loc.zcc {
			u.deviceowner, u.devicehostname, u.devicename = na, na, na
			u.devicemodel, u.deviceostype, u.devicetype, u.deviceappver = na, na, na, na
			u.externalDevID, u.ztunnel = na, na
			continue
		}
		u.deviceowner = []byte(first[:1] + last)
		u.devicehostname = []byte(dev.prefix + randomUpper(&r, 7))
		u.devicename = []byte(randomHexID(&r))
		u.devicemodel = []byte(dev.models[r.intn(len(dev.models))])
		u.deviceostype = []byte(dev.ostype)
		u.devicetype = []byte("Zscaler Client Connector")
		u.deviceappver = []byte(dev.appVersion)
		u.externalDevID = []byte("None")
		u.ztunnel = []byte("ZTUNNEL_2_0_DTLS1_2")
	}
	return o
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
