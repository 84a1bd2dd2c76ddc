package generator

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// classModel is a Class compiled against the model: its fixed values pre-rendered and indexed by
// nssfmt.Field, and the profile that correlates the drawn fields with the fixed ones.
type classModel struct {
	feed verdict.Feed
	prog *nssfmt.Program // the feed's program folded for the class: head, then tail
	// head renders the leading run of prog's fields that depend on the record's second alone (a
	// syslog header's time parts), tail the rest; a Generator renders head once per second and class
	// (Generator.progs). head is nil when prog does not start with such a field.
	head, tail *nssfmt.Program
	malform    Malform
	tab        *feedTable
	setText    [][]byte // by nssfmt.Field; nil = drawn
	setNum     []int64
	// text and num are the class's dispatch tables, indexed by nssfmt.Field: the feed's value
	// functions with the fixed fields replaced by their values (built by finish).
	text []textFn
	num  []numFn
	draw func(e *event, r *rng) // the feed's per-event draws (feedModel.draw)

	feedProfiles     // the web, firewall and DNS profiles; only the class's feed's is set
	ext          any // another feed's profile, in its own type (set by its compile)
}

func (m *model) compileClass(cm *classModel, c *Class) error {
	fm := &feedModels[c.Feed]
	cm.feed, cm.prog, cm.malform, cm.draw = c.Feed, m.cfg.Programs[c.Feed], c.Malform, fm.draw
	cm.tab = &m.tables[c.Feed]
	known := fieldsOf(c.Feed)
	n := len(cm.tab.text)
	cm.setText, cm.setNum = make([][]byte, n), make([]int64, n)

	keys := make([]string, 0, len(c.Set))
	for k := range c.Set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, k := range keys {
		v := c.Set[k]
		f, inTable := nssfmt.FieldByName(k)
		if _, ok := known[k]; !ok && !inTable {
			errs = append(errs, fmt.Errorf("set[%q]: unknown NSS field", k))
			continue
		}
		if strings.ContainsAny(v, "\n\r") {
			errs = append(errs, fmt.Errorf("set[%q]: value contains a line break", k))
			continue
		}
		if (k == "action" || k == "reason" || k == "rulelabel") && strings.ContainsAny(v, "|\\") {
			errs = append(errs, fmt.Errorf("set[%q]: %q: '|' and '\\' would break the CEF header (NSS does not escape them)", k, v))
			continue
		}
		if inTable && int(f) < n {
			cm.setText[f] = []byte(v)
			cm.setNum[f], _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	set := func(k string) (string, bool) { v, ok := c.Set[k]; return v, ok }
	err := fm.compile(m, cm, set)
	cm.finish()
	cm.prog = cm.prog.Fold(cm.constant)
	cm.head, cm.tail = cm.prog.Split(func(f nssfmt.Field) bool { return int(f) < len(cm.tab.second) && cm.tab.second[f] })
	if len(cm.head.Fields()) == 0 {
		cm.head, cm.tail = nil, cm.prog
	}
	return err
}

// constant returns the value of field f when the class alone decides it: fixed by the class, or a
// value of the feed's that does not vary per event.
func (cm *classModel) constant(f nssfmt.Field) (nssfmt.Constant, bool) {
	if int(f) >= len(cm.setText) {
		return nssfmt.Constant{Text: bNone}, true // outside the tables: AppendText gives "None", Number 0
	}
	if v := cm.setText[f]; v != nil {
		return nssfmt.Constant{Text: v, Number: cm.setNum[f]}, true
	}
	if c := cm.tab.class[f]; c != nil {
		return c(cm)
	}
	return nssfmt.Constant{}, false
}

// finish builds the class's dispatch tables once its fixed values are known.
func (cm *classModel) finish() {
	cm.text = append([]textFn(nil), cm.tab.text...)
	cm.num = append([]numFn(nil), cm.tab.num...)
	for f, v := range cm.setText {
		if v == nil {
			continue
		}
		n := cm.setNum[f]
		cm.text[f] = func(_ *event, dst []byte) []byte { return append(dst, v...) }
		cm.num[f] = func(*event) int64 { return n }
	}
}

// fix sets the rendering of field name to v unless the class already fixed it.
func (cm *classModel) fix(name, v string) {
	if f, ok := nssfmt.FieldByName(name); ok && int(f) < len(cm.setText) && cm.setText[f] == nil {
		cm.setText[f] = []byte(v)
	}
}
