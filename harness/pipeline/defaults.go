package pipeline

import (
	_ "embed"
	"sync"
)

// defaultRules and defaultMappings are PIPELINE.md's tables as data files.
var (
	//go:embed defaults/rules.json
	defaultRules []byte
	//go:embed defaults/mappings.json
	defaultMappings []byte
)

// DefaultRules returns PIPELINE.md's drop rules C2 and P1–P3, from the embedded defaults/rules.json.
// Every call returns the same immutable set.
func DefaultRules() *Rules { return parsedDefaultRules() }

// DefaultMappings returns PIPELINE.md's 10-row mapping table, from the embedded defaults/mappings.json.
// Every call returns the same immutable table.
func DefaultMappings() *Mappings { return parsedDefaultMappings() }

var parsedDefaultRules = sync.OnceValue(func() *Rules {
	r, err := ParseRules("defaults", defaultRules)
	if err != nil {
		panic("BUG: embedded default rules: " + err.Error())
	}
	return r
})

var parsedDefaultMappings = sync.OnceValue(func() *Mappings {
	m, _, err := ParseMappings("defaults", defaultMappings)
	if err != nil {
		panic("BUG: embedded default mappings: " + err.Error())
	}
	return m
})
