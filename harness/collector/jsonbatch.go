package collector

import (
	"errors"
	"strconv"

	"github.com/valyala/fastjson"
)

// span is the byte range [start, end) of one JSON object in a batch.
type span struct{ start, end int }

// maxJSONDepth bounds object nesting, so that validation (recursive) stays shallow on hostile input.
const maxJSONDepth = 64

// batchError reports why a Cloud NSS batch cannot be parsed.
type batchError struct {
	Offset int // byte offset in the (decompressed) body
	Msg    string
}

// Error returns "collector: JSON batch at byte N: msg".
func (e *batchError) Error() string {
	return "collector: JSON batch at byte " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// errTooManyRecords reports a batch of more objects than the limit splitBatch was given.
var errTooManyRecords = errors.New("too many records")

// splitBatch appends to dst the spans of the JSON objects in body and returns it. The body is either a
// JSON array of objects ("JSON Array Notation", NSS's default) or objects separated by optional
// whitespace (newline-delimited). An empty body or an empty array holds no objects. Every object is
// validated (fastjson) before splitBatch returns, so a batch is accepted whole or rejected whole with a
// *batchError, or with errTooManyRecords as soon as it holds more than max objects (max > 0).
func splitBatch(dst []span, body []byte, max int) ([]span, error) {
	limit := len(dst) + max
	i := skipWS(body, 0)
	if i < len(body) && body[i] == '[' {
		return splitArray(dst, body, i, limit, max > 0)
	}
	for i < len(body) {
		if max > 0 && len(dst) == limit {
			return dst, errTooManyRecords
		}
		end, err := objectEnd(body, i)
		if err != nil {
			return dst, err
		}
		dst = append(dst, span{i, end})
		i = skipWS(body, end)
	}
	return dst, nil
}

// splitArray splits the array that starts at body[i] and must end the body, failing with
// errTooManyRecords once dst would grow past limit (when limited).
func splitArray(dst []span, body []byte, i, limit int, limited bool) ([]span, error) {
	i = skipWS(body, i+1)
	if i < len(body) && body[i] == ']' {
		return dst, trailer(body, i+1)
	}
	for {
		if limited && len(dst) == limit {
			return dst, errTooManyRecords
		}
		end, err := objectEnd(body, i)
		if err != nil {
			return dst, err
		}
		dst = append(dst, span{i, end})
		i = skipWS(body, end)
		switch {
		case i == len(body):
			return dst, &batchError{i, "unterminated array"}
		case body[i] == ',':
			i = skipWS(body, i+1)
		case body[i] == ']':
			return dst, trailer(body, i+1)
		default:
			return dst, &batchError{i, "expected ',' or ']' after an array element, got " + strconv.QuoteRune(rune(body[i]))}
		}
	}
}

// trailer checks that only whitespace follows the array that ended at body[i-1].
func trailer(body []byte, i int) error {
	if i = skipWS(body, i); i < len(body) {
		return &batchError{i, "data after the array"}
	}
	return nil
}

// objectEnd returns the end of the JSON object starting at body[i], after validating it.
func objectEnd(body []byte, i int) (int, error) {
	if i >= len(body) {
		return 0, &batchError{i, "expected a JSON object, got the end of the body"}
	}
	if body[i] != '{' {
		return 0, &batchError{i, "expected a JSON object, got " + strconv.QuoteRune(rune(body[i]))}
	}
	depth := 0
	for j := i; j < len(body); j++ {
		switch body[j] {
		case '"':
			k, err := stringEnd(body, j+1)
			if err != nil {
				return 0, err
			}
			j = k
		case '{', '[':
			if depth++; depth > maxJSONDepth {
				return 0, &batchError{j, "nested deeper than " + strconv.Itoa(maxJSONDepth)}
			}
		case '}', ']':
			if depth--; depth == 0 {
				if err := fastjson.ValidateBytes(body[i : j+1]); err != nil {
					return 0, &batchError{i, "invalid object: " + err.Error()}
				}
				return j + 1, nil
			}
		}
	}
	return 0, &batchError{i, "unterminated object"}
}

// stringEnd returns the index of the quote closing the string whose content starts at body[i], or a
// *batchError for an unterminated string or a raw control character (which fastjson's validator lets
// through before an escape sequence).
func stringEnd(body []byte, i int) (int, error) {
	for j := i; j < len(body); j++ {
		switch c := body[j]; {
		case c == '"':
			return j, nil
		case c == '\\':
			j++ // the escaped byte; fastjson checks the escape itself
		case c < 0x20:
			return 0, &batchError{j, "control character " + strconv.QuoteRune(rune(c)) + " in a string"}
		}
	}
	return 0, &batchError{i - 1, "unterminated string"}
}

// skipWS returns the index of the first non-whitespace byte of body at or after i.
func skipWS(body []byte, i int) int {
	for i < len(body) {
		switch body[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
