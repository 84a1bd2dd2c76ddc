package pipeline

import (
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/valyala/fastjson"
)

// Header keys of a Cloud NSS JSON object, in the order DecideJSON looks for them.
const (
	hdrVendor = iota
	hdrVendorAlt
	hdrProduct
	hdrProductAlt
	hdrVersion
	hdrVersionAlt
	hdrEventClass
	hdrAct
	hdrName
	hdrRuleLabel
	hdrReason
	hdrSeverity
	numHeaderKeys
)

// nameSlots is, per feed, the header slot of the key its CEF header name comes from when the object
// has no "name" (verdict.Descriptor.HeaderName); rulelabel when that field is no header key, and for
// an unknown product.
var nameSlots = func() (slots [verdict.NumFeeds]int) {
	for f := range slots {
		slots[f] = hdrRuleLabel
		if s := headerKey([]byte(verdict.Feed(f).Descriptor().HeaderName)); s >= 0 {
			slots[f] = s
		}
	}
	return slots
}()

// headerKey returns the header slot of a JSON key, or -1.
func headerKey(k []byte) int {
	switch string(k) {
	case "vendor":
		return hdrVendor
	case "DeviceVendor":
		return hdrVendorAlt
	case "product":
		return hdrProduct
	case "DeviceProduct":
		return hdrProductAlt
	case "version":
		return hdrVersion
	case "DeviceVersion":
		return hdrVersionAlt
	case "deviceEventClassId":
		return hdrEventClass
	case "act":
		return hdrAct
	case "name":
		return hdrName
	case "rulelabel":
		return hdrRuleLabel
	case "reason":
		return hdrReason
	case "Severity":
		return hdrSeverity
	}
	return -1
}

// DecideJSON decides about one Cloud NSS JSON object. It renders the object as the CEF record NSS
// would have sent and decides that, so the verdicts are the ones Decide gives (see the package doc for
// which keys fill the header). Input that is not a JSON object is malformed/bad_header. It fills every
// field of v except Line and does not allocate once its buffers have grown.
func (d *Decider) DecideJSON(obj []byte, v *verdict.Verdict) {
	if len(obj) > d.p.opts.MaxLine {
		d.DecideOversize(v)
		return
	}
	val, err := d.json.ParseBytes(obj)
	if err != nil || val.Type() != fastjson.TypeObject {
		d.rec = nil
		reset(v)
		malformed(v, verdict.DetailBadHeader)
		return
	}
	o, _ := val.Object()
	d.jsonHdr = [numHeaderKeys]*fastjson.Value{}
	d.ext = d.ext[:0]
	o.Visit(func(k []byte, jv *fastjson.Value) {
		if h := headerKey(k); h >= 0 && d.jsonHdr[h] == nil {
			d.jsonHdr[h] = jv
		}
		if !cef.IsKey(k) || jv.Type() == fastjson.TypeNull {
			return
		}
		if len(d.ext) > 0 {
			d.ext = append(d.ext, ' ')
		}
		d.ext = append(d.ext, k...)
		d.ext = append(d.ext, '=')
		d.ext = cef.AppendExtensionValue(d.ext, d.text(jv))
	})

	product := d.pick(hdrProduct, hdrProductAlt)
	// The feed's header-name field (web: reason, whose rulelabel is the blocking rule), else reason.
	name := d.pick(hdrName, nameSlots[verdict.FeedOfProduct(d.text(product))], hdrReason)
	d.line = append(d.line[:0], "CEF:0"...)
	for _, f := range [...]*fastjson.Value{d.pick(hdrVendor, hdrVendorAlt), product, d.pick(hdrVersion, hdrVersionAlt),
		d.pick(hdrEventClass, hdrAct), name, d.pick(hdrSeverity)} {
		d.line = append(d.line, '|')
		d.line = cef.AppendHeaderField(d.line, d.text(f))
	}
	d.line = append(d.line, '|')
	d.line = append(d.line, d.ext...)
	r, err := d.parser.Parse(d.line)
	d.decide(r, err, v)
}

// pick returns the first header value present among slots.
func (d *Decider) pick(slots ...int) *fastjson.Value {
	for _, s := range slots {
		if d.jsonHdr[s] != nil {
			return d.jsonHdr[s]
		}
	}
	return nil
}

// text returns a JSON value as CEF text: a string unescaped, a number or literal as written, an object
// or array as compact JSON, nothing for nil or null. The result is valid until the next call.
func (d *Decider) text(v *fastjson.Value) []byte {
	if v == nil {
		return nil
	}
	switch v.Type() {
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return b
	case fastjson.TypeNull:
		return nil
	}
	d.tmp = v.MarshalTo(d.tmp[:0])
	return d.tmp
}
