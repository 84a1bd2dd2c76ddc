package pipeline

// Load builds a pipeline from a rules file and a mappings file, "" meaning the built-in ones, as the
// -rules and -mappings flags give them. The mapping file's warnings (an identical duplicate row) are
// returned, not fatal. A file that does not load is an error: a *FileError for a problem in it (see
// LoadRules and LoadMappings); the rules file is loaded first.
func Load(rulesFile, mappingsFile string, opts Options) (*Pipeline, []Warning, error) {
	rules := DefaultRules()
	if rulesFile != "" {
		r, err := LoadRules(rulesFile)
		if err != nil {
			return nil, nil, err
		}
		rules = r
	}
	maps := DefaultMappings()
	var warnings []Warning
	if mappingsFile != "" {
		m, w, err := LoadMappings(mappingsFile)
		if err != nil {
			return nil, nil, err
		}
		maps, warnings = m, w
	}
	return New(rules, maps, opts), warnings, nil
}
