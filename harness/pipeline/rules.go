package pipeline

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/nssbench/nssbench/scenarios/jsonpos"

	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/valyala/fastjson"
)

// Rules is an ordered list of drop rules (C2 and P1–P3 of PIPELINE.md, or a user's own), loaded from a
// rules file (schema in the package doc). It is immutable and safe for concurrent use.
type Rules struct {
	name  string
	hash  string // of the file's content: see Hash
	rules []rule
	keys  int // distinct extension keys the rules test: fieldTest.slot is below it
}

// rule is one drop rule: it drops a record of its feed when when holds, one of anyOf holds (if any are
// given) and none of unless holds.
type rule struct {
	id     string
	reason verdict.Reason
	stage  verdict.Stage
	feed   verdict.Feed // FeedUnknown: every feed
	when   cond
	anyOf  []cond
	unless []cond
}

// cond is a conjunction of value tests; a nil matcher tests nothing.
type cond struct {
	action *matcher
	name   *matcher
	fields []fieldTest
}

// fieldTest tests one extension field, which must be present.
type fieldTest struct {
	key    cef.Key
	slot   int // of the key in subject.fields: one per distinct key of the rules
	values *matcher
}

// matcher matches a value against a list of alternatives: exact strings, and prefixes (written with a
// trailing '*').
type matcher struct {
	exact    map[string]struct{}
	prefixes []string
}

// subject is what rules test about one record.
type subject struct {
	feed   verdict.Feed
	action []byte
	name   []byte
	rec    *cef.Record
	fields []fieldValue // by fieldTest.slot: each key is looked up once a record
	gen    uint64       // the record's number: a fieldValue of another is not looked up yet
}

// fieldValue is a field's value once looked up for the record numbered gen.
type fieldValue struct {
	v   []byte
	gen uint64
	ok  bool
}

// field returns the value of f's field and whether it is present, looking it up in the record the first
// time any test asks for it.
func (s *subject) field(f *fieldTest) ([]byte, bool) {
	fv := &s.fields[f.slot]
	if fv.gen != s.gen {
		fv.v, fv.ok = s.rec.GetKey(f.key)
		fv.gen = s.gen
	}
	return fv.v, fv.ok
}

func (m *matcher) match(v []byte) bool {
	if _, ok := m.exact[string(v)]; ok {
		return true
	}
	for _, p := range m.prefixes {
		if len(v) >= len(p) && string(v[:len(p)]) == p {
			return true
		}
	}
	return false
}

func (c *cond) match(s *subject) bool {
	if c.action != nil && !c.action.match(s.action) {
		return false
	}
	if c.name != nil && !c.name.match(s.name) {
		return false
	}
	for i := range c.fields {
		v, ok := s.field(&c.fields[i])
		if !ok || !c.fields[i].values.match(v) {
			return false
		}
	}
	return true
}

func (r *rule) match(s *subject) bool {
	if r.feed != verdict.FeedUnknown && r.feed != s.feed {
		return false
	}
	if !r.when.match(s) {
		return false
	}
	if len(r.anyOf) > 0 {
		hit := false
		for i := range r.anyOf {
			if r.anyOf[i].match(s) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	for i := range r.unless {
		if r.unless[i].match(s) {
			return false
		}
	}
	return true
}

// firstMatch returns the first rule that drops s, or nil.
func (rs *Rules) firstMatch(s *subject) *rule {
	if rs == nil {
		return nil
	}
	for i := range rs.rules {
		if rs.rules[i].match(s) {
			return &rs.rules[i]
		}
	}
	return nil
}

// fieldKeys returns the number of distinct extension keys the rules test (0 for nil rules).
func (rs *Rules) fieldKeys() int {
	if rs == nil {
		return 0
	}
	return rs.keys
}

// Len returns the number of rules.
func (rs *Rules) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.rules)
}

// Hash identifies the file the rules were parsed from: the first 16 hex digits of the SHA-256 of its
// content ("" for nil rules). Reports carry it so that runs with different rules are not compared.
func (rs *Rules) Hash() string {
	if rs == nil {
		return ""
	}
	return rs.hash
}

// contentHash is the first 16 hex digits of the SHA-256 of data.
func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// String lists the rules in order as "id reason@stage feed", e.g.
// "rules(defaults: C2-web allowed_traffic@collector web, …)".
func (rs *Rules) String() string {
	if rs == nil {
		return "rules(none)"
	}
	var b strings.Builder
	b.WriteString("rules(" + rs.name + ":")
	for i, r := range rs.rules {
		if i > 0 {
			b.WriteByte(',')
		}
		feed := r.feed.String()
		if r.feed == verdict.FeedUnknown {
			feed = "any"
		}
		fmt.Fprintf(&b, " %s %s@%s %s", r.id, r.reason, r.stage, feed)
	}
	b.WriteByte(')')
	return b.String()
}

// LoadRules reads and parses a rules file. Errors are *FileError values (joined when there are several)
// naming the file, line, column and field.
func LoadRules(path string) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseRules(path, data)
}

// ParseRules parses the rules file data; name is used in errors and in String. It returns either a
// complete rule set or an error, never a partial set. Errors are *FileError values (joined when there
// are several) naming the line, column and field.
func ParseRules(name string, data []byte) (*Rules, error) {
	var jp fastjson.Parser
	doc, err := jp.ParseBytes(data)
	if err != nil {
		return nil, syntaxError(name, data, 1, err)
	}
	l := ruleLoader{name: name, data: data}
	rs := &Rules{name: name, hash: contentHash(data)}
	top := l.object(doc, "", []any{})
	if top == nil {
		return nil, l.err()
	}
	l.onlyKeys(top, []any{}, "rules")
	rulesVal := top.Get("rules")
	if rulesVal == nil {
		l.fail([]any{}, "", `missing "rules" (a list of rule objects)`)
		return nil, l.err()
	}
	arr, err := rulesVal.Array()
	if err != nil {
		l.fail([]any{"rules"}, "rules", "want a list of rule objects")
		return nil, l.err()
	}
	ids := map[string]int{}
	sawPlatform := false
	for i, v := range arr {
		path := []any{"rules", i}
		field := "rules[" + strconv.Itoa(i) + "]"
		r, ok := l.rule(v, path, field)
		if !ok {
			continue
		}
		if prev, dup := ids[r.id]; dup {
			l.fail(append(path, "id"), field+".id", fmt.Sprintf("duplicate rule id %q (also rules[%d])", r.id, prev))
		}
		ids[r.id] = i
		if r.stage == verdict.StagePlatform {
			sawPlatform = true
		} else if sawPlatform {
			l.fail(path, field, fmt.Sprintf("collector rule %q after a platform rule: collector rules come first", r.id))
		}
		rs.rules = append(rs.rules, r)
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	rs.keys = assignSlots(rs.rules)
	return rs, nil
}

// assignSlots gives each field test of rules the slot of its key, one per distinct key, and returns the
// number of slots.
func assignSlots(rules []rule) int {
	slots := map[cef.Key]int{}
	each := func(c *cond) {
		for i := range c.fields {
			f := &c.fields[i]
			n, ok := slots[f.key]
			if !ok {
				n = len(slots)
				slots[f.key] = n
			}
			f.slot = n
		}
	}
	for i := range rules {
		r := &rules[i]
		each(&r.when)
		for j := range r.anyOf {
			each(&r.anyOf[j])
		}
		for j := range r.unless {
			each(&r.unless[j])
		}
	}
	return len(slots)
}

// ruleLoader collects the problems of one rules file.
type ruleLoader struct {
	name string
	data []byte
	errs []error
}

// maxErrors bounds how many problems one load reports.
const maxErrors = 20

func (l *ruleLoader) fail(path []any, field, msg string) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, fileErrorAt(l.name, l.data, 1, jsonpos.ValueOffset(l.data, path...), field, msg))
	}
}

func (l *ruleLoader) err() error { return errors.Join(l.errs...) }

// object returns v as an object, or records a problem and returns nil.
func (l *ruleLoader) object(v *fastjson.Value, field string, path []any) *fastjson.Object {
	o, err := v.Object()
	if err != nil {
		l.fail(path, field, "want an object, got "+v.Type().String())
		return nil
	}
	return o
}

// onlyKeys records a problem for every key of o not in allowed.
func (l *ruleLoader) onlyKeys(o *fastjson.Object, path []any, allowed ...string) {
	o.Visit(func(k []byte, _ *fastjson.Value) {
		for _, a := range allowed {
			if string(k) == a {
				return
			}
		}
		p := append(append([]any{}, path...), string(k))
		l.fail(p, fieldName(path, string(k)), fmt.Sprintf("unknown field (want one of %s)", strings.Join(allowed, ", ")))
	})
}

// fieldName renders path plus key like "rules[2].name".
func fieldName(path []any, key string) string {
	var b strings.Builder
	for _, p := range append(path, key) {
		switch p := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		case int:
			b.WriteString("[" + strconv.Itoa(p) + "]")
		}
	}
	return b.String()
}

// str returns the string at key of o, whether it is present, and records a problem when it is not a
// string.
func (l *ruleLoader) str(o *fastjson.Object, path []any, key string) (string, bool) {
	v := o.Get(key)
	if v == nil {
		return "", false
	}
	b, err := v.StringBytes()
	if err != nil {
		l.fail(append(path, key), fieldName(path, key), "want a string, got "+v.Type().String())
		return "", false
	}
	return string(b), true
}

func (l *ruleLoader) rule(v *fastjson.Value, path []any, field string) (rule, bool) {
	var r rule
	o := l.object(v, field, path)
	if o == nil {
		return r, false
	}
	before := len(l.errs)
	l.onlyKeys(o, path, "id", "comment", "reason", "stage", "feed", "action", "name", "fields", "anyOf", "unless")
	l.str(o, path, "comment")
	r.id, _ = l.str(o, path, "id")
	if r.id == "" {
		r.id = "rules[" + strconv.Itoa(path[1].(int)) + "]"
	}
	if s, ok := l.str(o, path, "reason"); !ok {
		if o.Get("reason") == nil {
			l.fail(path, field, `missing "reason" (allowed_traffic, policy_access, default_allow or ssl_handshake)`)
		}
	} else if reason, err := verdict.ParseReason(s); err != nil || reason == verdict.ReasonMalformed {
		if err == nil {
			err = errors.New(`"malformed" is built in (C1) and cannot be a rule's reason`)
		}
		l.fail(append(path, "reason"), field+".reason", err.Error())
	} else {
		r.reason = reason
		r.stage = reason.Stage()
	}
	if s, ok := l.str(o, path, "stage"); ok {
		if st, err := verdict.ParseStage(s); err != nil {
			l.fail(append(path, "stage"), field+".stage", err.Error())
		} else {
			r.stage = st
		}
	}
	if s, ok := l.str(o, path, "feed"); ok {
		if f, err := verdict.ParseFeed(s); err != nil {
			l.fail(append(path, "feed"), field+".feed", err.Error())
		} else {
			r.feed = f
		}
	}
	r.when = l.cond(o, path)
	r.anyOf = l.conds(o, path, "anyOf")
	r.unless = l.conds(o, path, "unless")
	return r, len(l.errs) == before
}

// conds parses the optional list of conditions at key of o.
func (l *ruleLoader) conds(o *fastjson.Object, path []any, key string) []cond {
	v := o.Get(key)
	if v == nil {
		return nil
	}
	arr, err := v.Array()
	if err != nil || len(arr) == 0 {
		l.fail(append(path, key), fieldName(path, key), "want a non-empty list of condition objects")
		return nil
	}
	cs := make([]cond, 0, len(arr))
	for i, cv := range arr {
		p := append(append([]any{}, path...), key, i)
		co := l.object(cv, fieldName(path, key)+"["+strconv.Itoa(i)+"]", p)
		if co == nil {
			continue
		}
		l.onlyKeys(co, p, "action", "name", "fields")
		c := l.cond(co, p)
		if c.action == nil && c.name == nil && c.fields == nil {
			l.fail(p, fieldName(path, key)+"["+strconv.Itoa(i)+"]", "empty condition (want action, name or fields)")
		}
		cs = append(cs, c)
	}
	return cs
}

// cond parses the action, name and fields tests of o.
func (l *ruleLoader) cond(o *fastjson.Object, path []any) cond {
	var c cond
	c.action = l.matcher(o.Get("action"), append(path, "action"), fieldName(path, "action"))
	c.name = l.matcher(o.Get("name"), append(path, "name"), fieldName(path, "name"))
	fv := o.Get("fields")
	if fv == nil {
		return c
	}
	fp := append(append([]any{}, path...), "fields")
	fo := l.object(fv, fieldName(path, "fields"), fp)
	if fo == nil {
		return c
	}
	if fo.Len() == 0 {
		l.fail(fp, fieldName(path, "fields"), "empty fields object (want \"key\": [values])")
	}
	fo.Visit(func(k []byte, v *fastjson.Value) {
		key := string(k)
		kp := append(append([]any{}, fp...), key)
		if !cef.IsKey(key) {
			l.fail(kp, fieldName(fp, key), "not a CEF extension key ([A-Za-z0-9_.-[]]+)")
			return
		}
		if m := l.matcher(v, kp, fieldName(fp, key)); m != nil {
			c.fields = append(c.fields, fieldTest{key: cef.NewKey(key), values: m})
		}
	})
	return c
}

// matcher parses a non-empty list of strings, or returns nil for an absent list.
func (l *ruleLoader) matcher(v *fastjson.Value, path []any, field string) *matcher {
	if v == nil {
		return nil
	}
	arr, err := v.Array()
	if err != nil || len(arr) == 0 {
		l.fail(path, field, `want a non-empty list of strings, e.g. ["Allow"]`)
		return nil
	}
	m := &matcher{exact: map[string]struct{}{}}
	for i, sv := range arr {
		b, err := sv.StringBytes()
		if err != nil {
			l.fail(append(append([]any{}, path...), i), field+"["+strconv.Itoa(i)+"]", "want a string, got "+sv.Type().String())
			continue
		}
		if s, ok := strings.CutSuffix(string(b), "*"); ok {
			m.prefixes = append(m.prefixes, s)
		} else {
			m.exact[string(b)] = struct{}{}
		}
	}
	return m
}
