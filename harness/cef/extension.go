package cef

import "bytes"

// Pair is one extension key and its unescaped value.
type Pair struct{ Key, Value []byte }

// keyChars marks the bytes an extension key is made of: [A-Za-z0-9_.,[]].
var keyChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "_.,[]" {
		t[c] = true
	}
	return t
}()

// IsKey reports whether k is a well-formed extension key: one or more of [A-Za-z0-9_.,[]].
func IsKey[T string | []byte](k T) bool {
	if len(k) == 0 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !keyChars[k[i]] {
			return false
		}
	}
	return true
}

// keyEnd returns the index just past the key characters of ext starting at i.
func keyEnd(ext []byte, i int) int {
	for i < len(ext) && keyChars[ext[i]] {
		i++
	}
	return i
}

// isSep reports whether c separates a value from the next key: a space, or in the lenient reading a tab
// too.
func isSep(c byte, strict bool) bool { return c == ' ' || c == '\t' && !strict }

// valueEnd returns the end of the value starting at from and the start of the next key (both len(ext)
// at the end of the extension). The value ends at a boundary: a separator (see isSep) followed by key
// characters and an '='. The separator belongs to neither; every blank before it belongs to the value.
// The last value of the extension loses its trailing blanks.
//
// It stops at each '=' rather than at each blank: values have more blanks than raw '=' signs.
func valueEnd(ext []byte, from int, strict bool) (end, key int) {
	for i := from; ; {
		e := bytes.IndexByte(ext[i:], '=')
		if e < 0 {
			return len(bytes.TrimRight(ext[:len(ext)], " \t")), len(ext)
		}
		e += i
		k := e
		for k > from && keyChars[ext[k-1]] {
			k--
		}
		if k < e && k > from && isSep(ext[k-1], strict) {
			return k - 1, k
		}
		i = e + 1
	}
}

// skipSpaces returns the index of the first non-space byte of ext at or after i.
func skipSpaces(ext []byte, i int) int {
	for i < len(ext) && ext[i] == ' ' {
		i++
	}
	return i
}

// firstKey checks that a non-empty extension starts with key=. It returns 0 when it does, else the
// 1-based column in ext of the offending token and a message.
func firstKey(ext []byte) (col int, msg string) {
	i := skipSpaces(ext, 0)
	if i == len(ext) {
		return 0, ""
	}
	j := keyEnd(ext, i)
	switch {
	case j == i && ext[i] == '=':
		return i + 1, "extension pair has an empty key"
	case j == len(ext) || ext[j] != '=':
		return i + 1, "extension does not start with key="
	}
	return 0, ""
}

// Key is an extension key prepared for Record.GetKey: the pair of adjacent bytes of key= that the search
// looks for is chosen once rather than on every call. The zero Key is never found.
type Key struct {
	name string
	j    int  // offset of a in name
	a, b byte // the pair: a, then b (a later byte of the key or its '=')
}

// NewKey prepares key for Record.GetKey. A key that is not well-formed (see IsKey) is never found.
func NewKey(key string) Key {
	if !IsKey(key) {
		return Key{}
	}
	j, a, b := rarePair(key)
	return Key{name: key, j: j, a: a, b: b}
}

// Get returns the unescaped value of the last occurrence of key in the extension (a later duplicate
// wins), and whether key occurs. It searches the raw extension, once per call, and does not allocate:
// a value without a backslash points into the line; one with escapes is unescaped into the parser's
// scratch buffer (a Record built by hand, without a Parser, allocates instead). The result is valid
// until the parser's next Parse.
func (r *Record) Get(key string) ([]byte, bool) { return r.GetKey(NewKey(key)) }

// GetKey is Get for a prepared key: the same result without preparing the key on every call.
func (r *Record) GetKey(k Key) ([]byte, bool) {
	key := k.name
	if key == "" {
		return nil, false
	}
	ext := r.Extension
	// A key is found where the rarest pair of adjacent bytes of key= occurs (lastIndexPair finds it
	// many bytes at a time), followed by the rest of key= and preceded by a separator or the start of
	// the extension (after its leading spaces); in the lenient reading every such place is a boundary,
	// and a record that parses strictly has no other kind. A later duplicate wins, so the search runs
	// from the end of the extension and stops at the first such place.
	j, a, b := k.j, k.a, k.b
	found := -1
	for end := len(ext); ; {
		p := lastIndexPair(ext[:end], a, b)
		i := p - j // the key's start
		if i < 0 { // no pair, or one too early for the key
			break
		}
		end = p + 1       // where the next search ends: before p
		e := i + len(key) // its '='
		if e < len(ext) && ext[e] == '=' && string(ext[i:e]) == key && (i == 0 || isSep(ext[i-1], false)) {
			found = e + 1
			break
		}
	}
	if found < 0 {
		return nil, false
	}
	ve, _ := valueEnd(ext, found, false)
	v := ext[found:ve]
	if bytes.IndexByte(v, '\\') < 0 {
		return v, true
	}
	if r.p == nil {
		return appendUnescaped(nil, v), true
	}
	start := len(r.p.scratch)
	r.p.scratch = appendUnescaped(r.p.scratch, v)
	return r.p.scratch[start:len(r.p.scratch):len(r.p.scratch)], true
}

// byteRank orders the bytes of keys by how often they occur in NSS extensions, rarest first: upper
// case letters, rare lower case letters, digits, the other lower case letters, then the commonest
// letters and '=' (measured on the generated feeds: "e sat=rnloicdpNu1.0mvb2f_hwy…").
var byteRank = func() (t [256]uint8) {
	for c := range t {
		t[c] = 1 // upper case letters and the punctuation of keys
	}
	for _, c := range "bwvkxjqz" {
		t[c] = 2
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 3
	}
	for _, c := range "cdhupmfgy" {
		t[c] = 4
	}
	t['='] = 5
	for _, c := range "etaoinsrl" {
		t[c] = 6
	}
	return t
}()

// rarePair returns the pair of adjacent bytes of key= that Get searches for, a at key[j] and b after
// it: the pair of least total rank, the first of several. key is not empty.
func rarePair(key string) (j int, a, b byte) {
	best := 255
	for i := 0; i < len(key); i++ {
		next := byte('=')
		if i+1 < len(key) {
			next = key[i+1]
		}
		if r := int(byteRank[key[i]]) + int(byteRank[next]); r < best {
			best, j, a, b = r, i, key[i], next
		}
	}
	return j, a, b
}

// Extensions splits r's extension into all its pairs, in order, unescaping the values; a key that occurs
// twice is returned twice (Record.Get, like a map built from the pairs in order, gives the last). The
// returned slice and the values are owned by p and valid until p's next Parse or Extensions call. The
// error is the one Parse in p's mode would report for the extension (a *Error), with no pairs.
func (p *Parser) Extensions(r *Record) ([]Pair, error) {
	p.pairs = p.pairs[:0]
	if col, msg := firstKey(r.Extension); col > 0 {
		return nil, p.fail(ErrBadExtension, r.extCol+col-1, msg)
	}
	if p.Strict {
		if err := p.checkStrict(r); err != nil {
			return nil, err
		}
	}
	ext := r.Extension
	i := skipSpaces(ext, 0)
	if i == len(ext) {
		return p.pairs, nil
	}
	k := keyEnd(ext, i) // ext[k] == '=', as firstKey checked
	for {
		end, next := valueEnd(ext, k+1, p.Strict)
		v := ext[k+1 : end]
		if bytes.IndexByte(v, '\\') >= 0 {
			start := len(p.scratch)
			p.scratch = appendUnescaped(p.scratch, v)
			v = p.scratch[start:len(p.scratch):len(p.scratch)]
		}
		p.pairs = append(p.pairs, Pair{Key: ext[i:k], Value: v})
		if next == len(ext) {
			return p.pairs, nil
		}
		i, k = next, keyEnd(ext, next)
	}
}

// checkStrict validates every value of r's extension against the spec: no unescaped '=' and no backslash
// outside the escapes \= \\ \n \r. Only a space separates pairs, so a tab before key= leaves an
// unescaped '=' in the value.
func (p *Parser) checkStrict(r *Record) *Error {
	ext := r.Extension
	if col, msg := firstKey(ext); col > 0 {
		return p.fail(ErrBadExtension, r.extCol+col-1, msg)
	}
	i := skipSpaces(ext, 0)
	if i == len(ext) {
		return nil
	}
	k := keyEnd(ext, i)
	for {
		end, next := valueEnd(ext, k+1, true)
		if j := strictValue(ext[:end], k+1); j >= 0 {
			if ext[j] == '=' {
				return p.fail(ErrBadExtension, r.extCol+j, `unescaped "=" in extension value`)
			}
			return p.fail(ErrBadExtension, r.extCol+j, `bad escape in extension value (want \=, \\, \n or \r)`)
		}
		if next == len(ext) {
			return nil
		}
		k = keyEnd(ext, next)
	}
}

// strictValue returns the index in v of the first unescaped '=' or bad backslash of the value v[from:],
// or -1.
func strictValue(v []byte, from int) int {
	for from < len(v) {
		seg := v[from:]
		b := bytes.IndexByte(seg, '\\')
		if b < 0 {
			b = len(seg)
		}
		if e := bytes.IndexByte(seg[:b], '='); e >= 0 {
			return from + e
		}
		if b == len(seg) {
			break
		}
		if b+1 == len(seg) || !isValueEscape(seg[b+1]) {
			return from + b
		}
		from += b + 2
	}
	return -1
}

// isValueEscape reports whether c may follow a backslash in an extension value.
func isValueEscape(c byte) bool { return c == '=' || c == '\\' || c == 'n' || c == 'r' }

// appendUnescaped appends the extension value v to dst with its escapes resolved. A backslash that starts
// no valid escape is kept literally.
func appendUnescaped(dst, v []byte) []byte {
	for j := 0; j < len(v); j++ {
		c := v[j]
		if c == '\\' && j+1 < len(v) && isValueEscape(v[j+1]) {
			j++
			switch v[j] {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			default:
				c = v[j]
			}
		}
		dst = append(dst, c)
	}
	return dst
}
