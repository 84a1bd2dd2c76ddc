package corpus

import (
	"regexp"

	"github.com/nssbench/nssbench/generator/verdict"
)

// patternSet is a corpus's compiled patterns, indexed by field. It is immutable once built.
type patternSet struct {
	byField [numFields][]*compiledPattern
	global  bool                // some pattern applies to every record
	ids     map[string]struct{} // every record id some pattern names
	lines   map[uint64]struct{} // every line some pattern names
}

// compiledPattern is one Pattern ready to match.
type compiledPattern struct {
	re    *regexp.Regexp
	src   string // the pattern as written, for mismatch reports
	all   bool
	ids   map[string]struct{}
	lines map[uint64]struct{}
}

// compilePatterns compiles checked patterns (parseManifest has validated fields and expressions).
func compilePatterns(ps []Pattern) *patternSet {
	s := &patternSet{ids: map[string]struct{}{}, lines: map[uint64]struct{}{}}
	for _, p := range ps {
		f, _ := parseField(p.Field)
		cp := &compiledPattern{re: regexp.MustCompile(anchor(p.Match)), src: p.Match,
			all: len(p.RecordIDs) == 0 && len(p.Lines) == 0, ids: map[string]struct{}{}, lines: map[uint64]struct{}{}}
		for _, id := range p.RecordIDs {
			cp.ids[id], s.ids[id] = struct{}{}, struct{}{}
		}
		for _, n := range p.Lines {
			cp.lines[n], s.lines[n] = struct{}{}, struct{}{}
		}
		s.global = s.global || cp.all
		s.byField[f] = append(s.byField[f], cp)
	}
	return s
}

// touches reports whether some pattern may apply to the record with id at line. It does not allocate.
func (s *patternSet) touches(id []byte, line uint64) bool {
	if s.global {
		return true
	}
	if len(s.ids) > 0 && len(id) > 0 {
		if _, ok := s.ids[string(id)]; ok {
			return true
		}
	}
	_, ok := s.lines[line]
	return ok
}

// applies reports whether p applies to the record with id at line.
func (p *compiledPattern) applies(id []byte, line uint64) bool {
	if p.all {
		return true
	}
	if _, ok := p.ids[string(id)]; ok {
		return true
	}
	_, ok := p.lines[line]
	return ok
}

// lookup returns the first pattern for field f that applies to the record, or nil.
func (s *patternSet) lookup(f field, id []byte, line uint64) *compiledPattern {
	for _, p := range s.byField[f] {
		if p.applies(id, line) {
			return p
		}
	}
	return nil
}

// match reports whether field f of v (record number pos) matches p.
func (p *compiledPattern) match(v *verdict.Verdict, pos uint64, f field) bool {
	switch f {
	case fieldRecordID:
		return p.re.Match(v.RecordID)
	case fieldAlertType:
		return p.re.Match(gotAlertType(v))
	}
	return p.re.MatchString(gotText(v, pos, f))
}
