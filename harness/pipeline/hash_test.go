package pipeline

import "testing"

// TestHashes checks that a rules or mapping file's hash follows its content, not its name, and that a
// pipeline reports both.
func TestHashes(t *testing.T) {
	rules, err := ParseRules("copy.json", defaultRules)
	if err != nil {
		t.Fatal(err)
	}
	maps, _, err := ParseMappings("copy.json", defaultMappings)
	if err != nil {
		t.Fatal(err)
	}
	if rules.Hash() != DefaultRules().Hash() || maps.Hash() != DefaultMappings().Hash() {
		t.Errorf("a copy of the defaults hashes %s, %s; the defaults %s, %s", rules.Hash(), maps.Hash(), DefaultRules().Hash(), DefaultMappings().Hash())
	}
	other, _, err := ParseMappings("other.txt", []byte(`{"alertType": "RDP Allow", "threatId": "T1021.001", "threatName": "Remote Desktop Protocol"}`+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(other.Hash()) != 16 || other.Hash() == maps.Hash() {
		t.Errorf("another mapping hashes %q; the defaults %q", other.Hash(), maps.Hash())
	}
	r, m := New(rules, other, Options{}).Hashes()
	if r != rules.Hash() || m != other.Hash() {
		t.Errorf("Hashes() = %s, %s; want %s, %s", r, m, rules.Hash(), other.Hash())
	}
	if r, m := New(nil, nil, Options{}).Hashes(); r != "" || m != "" {
		t.Errorf("Hashes() without rules or mappings = %q, %q; want empty", r, m)
	}
}
