package run

import "fmt"

// Describe fills the fields of c.Meta that c itself decides: its pacer, its offered rate (a shard's
// share of the schedule's, so that merged shards add up to the whole), its pipeline's hashes, and a
// note of a Cost in the description (a slower collector is not part of the experiment: it is what an
// A/B comparison measures). Call it once c is complete.
func (c *Config) Describe() {
	c.Meta.Pacer = c.Pacer.String()
	c.Meta.OfferedRate = c.schedule().Rate()
	c.Meta.RulesHash, c.Meta.MappingsHash = c.Pipeline.Hashes()
	if c.Cost > 0 {
		c.Meta.Description += fmt.Sprintf(" [embedded collector slowed by %v per record: -cost]", c.Cost)
	}
}
