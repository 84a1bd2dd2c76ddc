package scenarios

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/valyala/fastjson"
)

// classKeys are the keys of a class object, in classes.json and in a scenario's inline "classes".
var classKeys = []string{"name", "doc", "feed", "weight", "set", "malform", "expect"}

// expectKeys are the keys of a class's "expect" object.
var expectKeys = []string{"stage", "verdict", "reason", "detail", "alertType", "threatId"}

// classDoc is a decoded class and the documentation line the file gives it.
type classDoc struct {
	generator.Class
	Doc       string
	hasWeight bool
}

// decodeClass decodes one class object at path. Weight defaults to 1.
func (d *decoder) decodeClass(v *fastjson.Value, path string) (classDoc, bool) {
	var c classDoc
	c.Weight = 1
	n := len(d.errs)
	has := map[string]bool{}
	var expectV *fastjson.Value
	var expectPath string
	ok := d.object(v, path, classKeys, func(key string, v *fastjson.Value, p string) {
		has[key] = true
		switch key {
		case "name":
			if s, ok := d.str(v, p); ok {
				if !validClassName(s) {
					d.errorf(p, "%q: want lower-case letters, digits, '.', '_' and '-'", s)
				}
				c.Name = s
			}
		case "doc":
			c.Doc, _ = d.str(v, p)
		case "feed":
			if s, ok := d.str(v, p); ok {
				f, err := verdict.ParseFeed(s)
				if err != nil {
					d.errorf(p, "%v", err)
				}
				c.Feed = f
			}
		case "weight":
			if f, ok := d.number(v, p); ok {
				if f <= 0 {
					d.errorf(p, "weight %v: want > 0", f)
				}
				c.Weight, c.hasWeight = f, true
			}
		case "set":
			c.Set = map[string]string{}
			d.object(v, p, nil, func(k string, v *fastjson.Value, p string) {
				if s, ok := d.str(v, p); ok {
					if strings.ContainsAny(s, "\r\n") {
						d.errorf(p, "value contains a line break")
					}
					c.Set[k] = s
				}
			})
		case "malform":
			if s, ok := d.str(v, p); ok {
				m, err := generator.ParseMalform(s)
				if err != nil {
					d.errorf(p, "%v", err)
				}
				c.Malform = m
			}
		case "expect":
			expectV, expectPath = v, p
		}
	})
	if !ok {
		return c, false
	}
	for _, k := range []string{"name", "feed", "expect"} {
		if !has[k] {
			d.errorf(pathOf(path, k), "missing")
		}
	}
	if c.Feed != verdict.FeedUnknown {
		d.checkSetKeys(&c.Class, pathOf(path, "set"))
	}
	if expectV != nil {
		d.decodeExpect(expectV, expectPath, &c.Class)
	}
	return c, len(d.errs) == n
}

// decodeExpect decodes a class's expectation and checks it against PIPELINE.md's vocabulary and the
// class itself: alerts are platform alerts named by the class's header name, drops name a reason of
// the right stage, malformed classes expect exactly their malform's detail.
func (d *decoder) decodeExpect(v *fastjson.Value, path string, c *generator.Class) {
	e := &c.Expect
	has := map[string]bool{}
	d.object(v, path, expectKeys, func(key string, v *fastjson.Value, p string) {
		s, ok := d.str(v, p)
		if !ok {
			return
		}
		has[key] = true
		var err error
		switch key {
		case "stage":
			e.Stage, err = verdict.ParseStage(s)
		case "verdict":
			e.Kind, err = verdict.ParseKind(s)
		case "reason":
			e.Reason, err = verdict.ParseReason(s)
		case "detail":
			e.Detail, err = verdict.ParseDetail(s)
		case "alertType":
			e.AlertType = s
		case "threatId":
			e.ThreatID = s
		}
		if err != nil {
			d.errorf(p, "%v", err)
		}
	})
	for _, k := range []string{"stage", "verdict"} {
		if !has[k] {
			d.errorf(pathOf(path, k), "missing")
		}
	}
	if c.Malform == generator.MalformNone {
		e.Feed = c.Feed
	}
	switch e.Kind {
	case verdict.KindAlert:
		if e.Stage != verdict.StagePlatform && has["stage"] {
			d.errorf(pathOf(path, "stage"), "an alert is decided at stage platform")
		}
		if has["reason"] || has["detail"] {
			d.errorf(path, "an alert has no drop reason or detail")
		}
		if e.AlertType == "" {
			d.errorf(pathOf(path, "alertType"), "missing: an alert names its alert type")
		} else if name, key := headerName(c); name != "" && name != e.AlertType {
			d.errorf(pathOf(path, "alertType"), "%q differs from the class's CEF header name set.%s = %q", e.AlertType, key, name)
		}
		if c.Malform != generator.MalformNone {
			d.errorf(pathOf(path, "verdict"), "a malformed class (malform %s) cannot be an alert", c.Malform)
		}
	case verdict.KindDropped:
		if !has["reason"] {
			d.errorf(pathOf(path, "reason"), "missing: a drop names its reason")
		} else if has["stage"] && e.Reason.Stage() != e.Stage {
			d.errorf(pathOf(path, "stage"), "reason %s is decided at stage %s, not %s", e.Reason, e.Reason.Stage(), e.Stage)
		}
		if has["alertType"] || has["threatId"] {
			d.errorf(path, "a drop has no alertType or threatId")
		}
		if e.Reason == verdict.ReasonMalformed {
			if c.Malform == generator.MalformNone {
				d.errorf(pathOf(path, "reason"), "reason malformed needs a \"malform\"")
			} else if e.Detail != c.Malform.Detail() {
				d.errorf(pathOf(path, "detail"), "malform %s gives detail %s, not %q", c.Malform, c.Malform.Detail(), e.Detail)
			}
		} else {
			if has["detail"] {
				d.errorf(pathOf(path, "detail"), "only malformed drops have a detail")
			}
			if c.Malform != generator.MalformNone {
				d.errorf(pathOf(path, "reason"), "malform %s is dropped for reason malformed, not %s", c.Malform, e.Reason)
			}
		}
	}
}

// headerName returns the value the class fixes for its CEF header name (the field of its feed's
// Descriptor.HeaderName: the reason for web, the rule label for firewall and DNS); "" when the class
// does not fix it.
func headerName(c *generator.Class) (name, key string) {
	key = c.Feed.Descriptor().HeaderName
	return c.Set[key], key
}

var knownFields = sync.OnceValue(func() map[verdict.Feed]map[string]bool {
	out := map[verdict.Feed]map[string]bool{}
	for _, f := range verdict.Feeds() {
		m := map[string]bool{}
		for _, n := range generator.KnownFields(f) {
			m[n] = true
		}
		out[f] = m
	}
	return out
})

// checkSetKeys reports set keys that are not NSS fields of the class's feed.
func (d *decoder) checkSetKeys(c *generator.Class, path string) {
	known := knownFields()[c.Feed]
	keys := make([]string, 0, len(c.Set))
	for k := range c.Set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := nssfmt.FieldByName(k); !ok && !known[k] {
			d.errorf(pathOf(path, k), "not an NSS field of the %s feed", c.Feed)
		}
	}
}

func validClassName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// library is the embedded class library, decoded once.
var library = sync.OnceValues(func() ([]classDoc, error) {
	data, err := files.ReadFile("classes.json")
	if err != nil {
		return nil, err
	}
	return parseLibrary("classes.json", data)
})

// parseLibrary decodes a class library file: {"classes": [class, …]}.
func parseLibrary(file string, data []byte) ([]classDoc, error) {
	d := &decoder{file: file}
	v := d.parse(data)
	if v == nil {
		return nil, d.err()
	}
	var out []classDoc
	names := map[string]string{}
	d.object(v, "", []string{"doc", "classes"}, func(key string, v *fastjson.Value, p string) {
		if key != "classes" {
			return
		}
		arr, err := v.Array()
		if err != nil {
			d.errorf(p, "want an array of classes")
			return
		}
		for i, cv := range arr {
			cp := indexPath(p, i)
			c, ok := d.decodeClass(cv, cp)
			if !ok {
				continue
			}
			if prev, dup := names[c.Name]; dup {
				d.errorf(pathOf(cp, "name"), "duplicate class %q (also %s)", c.Name, prev)
				continue
			}
			names[c.Name] = cp
			out = append(out, c)
		}
	})
	if err := d.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Library returns the built-in class library (classes.json): every seed alert type, the noise each
// pipeline filter drops, unmapped alerts and every malformed kind, each with its expected verdict.
// Weights are 1; scenarios give them weights in their mix. The caller owns the returned slice.
func Library() ([]generator.Class, error) {
	lib, err := library()
	if err != nil {
		return nil, fmt.Errorf("BUG: scenarios: class library: %w", err)
	}
	out := make([]generator.Class, len(lib))
	for i, c := range lib {
		out[i] = c.Class
	}
	return out, nil
}

// ClassDoc returns the documentation line of library class name, or "" if there is none.
func ClassDoc(name string) string {
	lib, _ := library()
	for _, c := range lib {
		if c.Name == name {
			return c.Doc
		}
	}
	return ""
}
