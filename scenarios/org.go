package scenarios

import (
	"net/netip"

	"github.com/nssbench/nssbench/generator"
	"github.com/valyala/fastjson"
)

var orgKeys = []string{"emailDomain", "networks", "locations", "departments"}

// org decodes a scenario's "org": the synthetic organisation's email domain, internal networks,
// locations and departments (generator.Org). Lists must not be empty, names not empty or repeated.
func (d *decoder) org(v *fastjson.Value, path string) generator.Org {
	var o generator.Org
	d.object(v, path, orgKeys, func(key string, v *fastjson.Value, p string) {
		switch key {
		case "emailDomain":
			if s, ok := d.str(v, p); ok {
				if err := generator.CheckDomain(s); err != nil {
					d.errorf(p, "%v", err)
				}
				o.EmailDomain = s
			}
		case "networks":
			for i, s := range d.names(v, p) {
				n, err := netip.ParsePrefix(s)
				switch {
				case err != nil:
					d.errorf(indexPath(p, i), "%q: want an IPv4 network in CIDR notation, e.g. \"10.20.0.0/16\"", s)
				case !n.Addr().Is4():
					d.errorf(indexPath(p, i), "%q: want an IPv4 network (NSS client addresses are IPv4)", s)
				default:
					o.Networks = append(o.Networks, n)
				}
			}
		case "locations":
			o.Locations = d.names(v, p)
		case "departments":
			o.Departments = d.names(v, p)
		}
	})
	return o
}

// names decodes a non-empty array of distinct, non-empty strings.
func (d *decoder) names(v *fastjson.Value, path string) []string {
	arr, err := v.Array()
	if err != nil {
		d.errorf(path, "want an array of strings, got %s", v.Type())
		return nil
	}
	if len(arr) == 0 {
		d.errorf(path, "empty: give at least one")
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for i, ev := range arr {
		p := indexPath(path, i)
		s, ok := d.str(ev, p)
		switch {
		case !ok:
		case s == "":
			d.errorf(p, "empty string")
		case seen[s]:
			d.errorf(p, "%q: repeated", s)
		default:
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
