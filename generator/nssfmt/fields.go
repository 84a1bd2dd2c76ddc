package nssfmt

import (
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
)

// fieldFlags describe a field of the table.
type fieldFlags uint8

const (
	// fNum: Zscaler's formats print the field with %d (a count, size, port or time part).
	fNum fieldFlags = 1 << iota
	// fURL: a URL, host or referer; NSS %HH-encodes bytes <= 0x20 and >= 0x7F in it even in its
	// plain form (ZHELP general-guidelines).
	fURL
	// fE: an `e` (encoded) variant of the field is documented; used only for suggestions.
	fE
	// fO: an `o` (obfuscated) variant of the field is documented; used only for suggestions.
	fO
	// fB: a `b64` (base64) variant of the field is documented; used only for suggestions.
	fB
)

type fieldInfo struct {
	name  string
	flags fieldFlags
}

// builtin is the start of the field table, in a stable order: the header time parts, then the fields
// of the built-in web, firewall and DNS formats in order of first use, then documented fields those
// formats do not use. Field values are indexes into the table; append only, never reorder.
var builtin = [...]fieldInfo{
	// Time parts of the syslog header and rt=. yy prints a 4-digit year (zia-formats §1.3).
	{"mon", 0}, {"dd", fNum}, {"hh", fNum}, {"mm", fNum}, {"ss", fNum}, {"yy", fNum}, {"mth", fNum},

	// Web (nss-web.cef, cloud-nss-web.fof).
	{"action", 0}, {"reason", 0}, {"proto", 0}, {"urlcat", fO | fB}, {"host", fURL | fE | fB}, {"sip", 0},
	{"cip", fO}, {"respsize", fNum}, {"respcode", 0}, {"reqsize", fNum}, {"url", fURL | fE | fB},
	{"cintip", 0}, {"ua", fE | fB}, {"reqmethod", 0}, {"login", fE | fO | fB}, {"location", fE | fO | fB},
	{"recordid", fNum}, {"filetype", 0}, {"appname", 0}, {"riskscore", fNum}, {"dept", fO | fB},
	{"urlsupercat", 0}, {"appclass", 0}, {"malwarecat", 0}, {"threatname", fE | fB}, {"dlpeng", fO},
	{"urlclass", 0}, {"dlpdict", fO}, {"referer", fURL | fE | fB}, {"contenttype", 0},
	{"unscannabletype", 0}, {"deviceowner", fO}, {"devicehostname", fE | fO},
	{"keyprotectiontype", 0}, {"cloudname", 0}, {"company", 0}, {"throttlereqsize", fNum},
	{"throttlerespsize", fNum}, {"bwthrottle", 0}, {"bwclassname", fO}, {"bwrulename", 0},
	{"module", 0}, {"app_risk_score", 0}, {"datacenter", 0}, {"datacentercity", 0},
	{"datacentercountry", 0}, {"dlpdicthitcount", 0}, {"dlpidentifier", fNum}, {"dlpmd5", 0},
	{"dlprulename", fO | fB}, {"fileclass", 0}, {"filename", fE | fB}, {"filesubtype", 0},
	{"upload_fileclass", 0}, {"upload_filetype", 0}, {"upload_filename", fE | fB},
	{"upload_filesubtype", 0}, {"upload_doctypename", 0}, {"rdr_rulename", fO | fB}, {"fwd_type", 0},
	{"fwd_gw_name", fO | fB}, {"fwd_gw_ip", 0}, {"zpa_app_seg_name", fO | fB}, {"reqdatasize", fNum},
	{"reqhdrsize", fNum}, {"respdatasize", fNum}, {"resphdrsize", fNum}, {"totalsize", fNum},
	{"df_hosthead", 0}, {"df_hostname", 0}, {"refererhost", fURL | fE}, {"refererpath", fURL | fE},
	{"urlpath", fURL | fE}, {"reqversion", 0}, {"respversion", 0}, {"ua_token", 0}, {"uaclass", 0},
	{"mobappname", fE | fB}, {"mobappcat", 0}, {"mobdevtype", 0}, {"clt_sport", fNum}, {"cpubip", fO},
	{"alpnprotocol", 0}, {"trafficredirectmethod", 0}, {"userlocationname", fE | fB},
	{"rulelabel", fE | fO | fB}, {"ruletype", 0}, {"urlfilterrulelabel", fE | fO | fB},
	{"apprulelabel", fE | fO | fB}, {"bamd5", 0}, {"sha256", 0}, {"ssldecrypted", 0}, {"externalspr", 0},
	{"clientsslcipher", 0}, {"clienttlsversion", 0}, {"clientsslsessreuse", 0},
	{"cltsslfailreason", 0}, {"cltsslfailcount", fNum}, {"srvsslcipher", 0}, {"srvtlsversion", 0},
	{"srvocspresult", 0}, {"srvcertchainvalpass", 0}, {"srvwildcardcert", 0},
	{"serversslsessreuse", 0}, {"srvcertvalidationtype", 0}, {"srvcertvalidityperiod", 0},
	{"is_ssluntrustedca", 0}, {"is_sslselfsigned", 0}, {"is_sslexpiredca", 0},
	{"threatseverity", 0}, {"malwareclass", 0}, {"urlcatmethod", 0}, {"bypassed_traffic", fNum},
	{"bypassed_etime", 0}, {"deviceappversion", 0}, {"devicemodel", 0}, {"devicename", fE | fO},
	{"deviceostype", 0}, {"devicetype", 0}, {"external_devid", 0}, {"flow_type", 0},
	{"ztunnelversion", 0}, {"productversion", 0}, {"nsssvcip", 0},

	// Firewall (nss-fw.cef, cloud-nss-fw.fof).
	{"csip", fO}, {"csport", fNum}, {"cdip", 0}, {"cdport", fNum}, {"ssip", 0}, {"ssport", fNum},
	{"sdip", 0}, {"sdport", fNum}, {"tsip", 0}, {"tsport", fNum}, {"ipproto", 0}, {"ttype", 0},
	{"dnat", 0}, {"stateful", 0}, {"inbytes", fNum}, {"outbytes", fNum}, {"nwsvc", 0},
	{"nwapp", 0}, {"aggregate", 0}, {"threatcat", 0}, {"durationms", fNum},
	{"numsessions", fNum}, {"ipcat", fO}, {"destcountry", 0}, {"avgduration", fNum},

	// DNS (nss-dns.cef, cloud-nss-dns.fof). sport is the DNS server's port.
	{"reqaction", 0}, {"resaction", 0}, {"reqtype", 0}, {"req", 0}, {"res", 0},
	{"reqrulelabel", 0}, {"resrulelabel", 0}, {"domcat", fO}, {"sport", fNum},

	// Documented fields the built-in formats do not use (zia-formats §1.3, §2; ZHELP samples).
	{"time", 0}, {"tz", 0}, {"epochtime", fNum}, {"day", 0}, {"eedone", 0}, {"stime", fNum},
	{"ctime", fNum}, {"deviceosversion", 0}, {"error", 0}, {"protocol", 0}, {"respipcat", 0},
	{"dnsapp", 0}, {"dnsappcat", 0}, {"dnsgw_flags", 0},

	// Fields of Zscaler's field tables (ZHELP nss-feed-output-format-{firewall,dns,web}-logs) and of
	// its default firewall CSV format that no published CEF or JSON format uses.
	// Firewall:
	{"duration", fNum}, {"ipsrulelabel", fO}, {"cdfqdn", 0}, {"srcip_country", 0},
	{"threat_score", fNum}, {"ips_custom_signature", fNum}, {"dnatrulelabel", fO}, {"pcapid", 0},
	// DNS:
	{"istcp", fNum}, {"ecs_prefix", 0}, {"ecs_slot", 0}, {"dnsgw_slot", 0}, {"dnsgw_srv_proto", 0},
	{"restype", 0}, {"http_code", 0},
	// Web:
	{"srv_dport", fNum}, {"dstip_country", 0}, {"is_src_cntry_risky", 0}, {"is_dst_cntry_risky", 0},
	{"app_status", 0}, {"activity", 0}, {"prompt_req", 0},
	{"inst_level1_type", 0}, {"inst_level1_id", 0}, {"inst_level1_name", 0},
	{"inst_level2_type", 0}, {"inst_level2_id", 0}, {"inst_level2_name", 0},
	{"inst_level3_type", 0}, {"inst_level3_id", 0}, {"inst_level3_name", 0},
	{"trig_dlprulename", 0}, {"other_dlprulenames", 0}, {"all_dlprulenames", 0}, {"ft_rulename", 0},
}

// aliases are other names NSS documents for a table field. Their `e`/`o` variants resolve too,
// so `%s{edepartment}` is the encoded dept and `%s{ednsreq}` the encoded DNS query.
var aliases = [...]struct {
	name, target string
	flags        fieldFlags
}{
	{"department", "dept", fE | fO},
	{"dnsreq", "req", fE},
	{"yyyy", "yy", 0},
	// The firewall page's names for fields the web page names otherwise (ZHELP firewall-logs).
	{"external_deviceid", "external_devid", 0},
	{"bypassed_session", "bypassed_traffic", 0},
	{"bypass_etime", "bypassed_etime", 0},
	{"threat_severity", "threatseverity", 0},
}

// table is the field table: builtin, then the fields the feeds bring (verdict.Descriptor.Fields) in
// feed order, so a feed's new fields are declared once, with its identity. byName maps every table
// name and alias to its Field. Both are fixed once the package is initialised.
var table, byName = buildTable(feedDescriptors())

// feedDescriptors returns the registered feeds' descriptors in feed order.
func feedDescriptors() []verdict.Descriptor {
	var ds []verdict.Descriptor
	for _, f := range verdict.Feeds() {
		ds = append(ds, f.Descriptor())
	}
	return ds
}

// buildTable returns builtin followed by the fields of feeds, and the name index of that table.
// It panics on a name the table already has.
func buildTable(feeds []verdict.Descriptor) ([]fieldInfo, map[string]Field) {
	t := append([]fieldInfo(nil), builtin[:]...)
	for _, d := range feeds {
		for _, nf := range d.Fields {
			var flags fieldFlags
			if nf.Numeric {
				flags = fNum
			}
			t = append(t, fieldInfo{nf.Name, flags})
		}
	}
	m := make(map[string]Field, len(t)+len(aliases))
	for i, fi := range t {
		if _, dup := m[fi.name]; dup {
			panic("BUG: nssfmt: duplicate field " + fi.name + " (a feed's descriptor declares a field the table has)")
		}
		m[fi.name] = Field(i)
	}
	for _, a := range aliases {
		f, ok := m[a.target]
		if !ok {
			panic("BUG: nssfmt: alias " + a.name + " of unknown field " + a.target)
		}
		m[a.name] = f
	}
	return t, m
}

// NumFields returns the number of fields in the table: every Field f of the table has
// f < NumFields(), so value models can keep per-field data in a slice of that length.
func NumFields() int { return len(table) }

// Fields returns the whole field table in its stable order: Fields()[i] == Field(i). The caller
// owns the returned slice.
func Fields() []Field {
	fs := make([]Field, len(table))
	for i := range fs {
		fs[i] = Field(i)
	}
	return fs
}

// FieldByName returns the field a format names `name`, such as "host" or "recordid". Documented
// aliases resolve to their field ("department" → dept, "yyyy" → yy). Variant names such as
// "ehost" or "ologin" are not fields: resolve them with Lookup.
func FieldByName(name string) (Field, bool) {
	f, ok := byName[name]
	return f, ok
}

// Name returns the field's canonical name as formats write it, e.g. "host".
func (f Field) Name() string {
	if int(f) < len(table) {
		return table[f].name
	}
	return "field(" + strconv.Itoa(int(f)) + ")"
}

// String returns Name.
func (f Field) String() string { return f.Name() }

// Numeric reports whether Zscaler's formats print f as a number (%d{f}); value models should
// give such fields a meaningful Number.
func (f Field) Numeric() bool { return int(f) < len(table) && table[f].flags&fNum != 0 }

// url reports whether f holds a URL, host or referer, which NSS %HH-encodes even in plain form.
func (f Field) url() bool { return int(f) < len(table) && table[f].flags&fURL != 0 }

// Variant is how a format prints a field: as is, %HH-encoded (an `e` prefix, `%s{ehost}`),
// obfuscated (an `o` prefix, `%s{ologin}`) or base64-encoded (a `b64` prefix, `%s{b64ua}`).
type Variant uint8

// Variants.
const (
	Plain Variant = iota
	Encoded
	Obfuscated
	Base64
)

// String returns "plain", "encoded", "obfuscated" or "b64".
func (v Variant) String() string {
	switch v {
	case Plain:
		return "plain"
	case Encoded:
		return "encoded"
	case Obfuscated:
		return "obfuscated"
	case Base64:
		return "b64"
	}
	return "variant(" + strconv.Itoa(int(v)) + ")"
}

// b64Prefix is the prefix of a field's Base64 variant (`%s{b64ua}`).
const b64Prefix = "b64"

// Lookup resolves a name written inside `%s{…}`. A name that is itself a field or alias is that
// field, plain (so "epochtime" and "eedone" are fields, not variants of "pochtime" or "edone").
// Otherwise an `e` prefix before a field or alias gives its Encoded variant ("ehost",
// "edepartment"), an `o` prefix its Obfuscated variant ("ologin") and a `b64` prefix its Base64
// variant ("b64ua", "b64dept").
func Lookup(name string) (Field, Variant, bool) {
	if f, ok := byName[name]; ok {
		return f, Plain, true
	}
	if len(name) > 1 {
		if f, ok := byName[name[1:]]; ok {
			switch name[0] {
			case 'e':
				return f, Encoded, true
			case 'o':
				return f, Obfuscated, true
			}
		}
	}
	if rest, ok := strings.CutPrefix(name, b64Prefix); ok {
		if f, ok := byName[rest]; ok {
			return f, Base64, true
		}
	}
	return 0, Plain, false
}
