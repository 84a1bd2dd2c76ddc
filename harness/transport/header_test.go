package transport

import "testing"

func TestHeaders(t *testing.T) {
	var h Headers
	for _, s := range []string{"Authorization: Bearer 3f9c", "X-Api-Key:k1", "X-Api-Key: k2"} {
		if err := h.Set(s); err != nil {
			t.Fatalf("Set(%q): %v", s, err)
		}
	}
	if got := h.Header.Get("Authorization"); got != "Bearer 3f9c" {
		t.Errorf("Authorization = %q", got)
	}
	if got := h.Header.Values("X-Api-Key"); len(got) != 2 || got[0] != "k1" || got[1] != "k2" {
		t.Errorf("X-Api-Key = %q; want [k1 k2]", got)
	}
	for _, bad := range []string{"no colon", ": empty name", "two words: x"} {
		if err := h.Set(bad); err == nil {
			t.Errorf("Set(%q) = nil; want an error", bad)
		}
	}
}
