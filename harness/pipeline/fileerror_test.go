package pipeline

import (
	"errors"
	"strings"
	"testing"
)

func TestTailOffset(t *testing.T) {
	data := []byte(strings.Repeat("x", 100) + "ERROR" + strings.Repeat("y", 100))
	tail := string(data[100:140]) + "..." + string(data[len(data)-40:])
	if got := tailOffset(data, tail); got != 100 {
		t.Errorf("tailOffset(shortened) = %d; want 100", got)
	}
	if got := tailOffset(data, string(data[150:])); got != 150 {
		t.Errorf("tailOffset(short) = %d; want 150", got)
	}
	if got := tailOffset(data, "not a suffix"); got != len(data) {
		t.Errorf("tailOffset(unknown) = %d; want %d", got, len(data))
	}
	fe := syntaxError("f", []byte("{\n"), 1, errors.New("some other error"))
	if got := fe.Error(); got != "f:2:1: invalid JSON: some other error" {
		t.Errorf("syntaxError without a tail = %q", got)
	}
}
