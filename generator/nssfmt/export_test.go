package nssfmt

// Obfuscate exposes the obfuscation hash to the external tests' naive reference renderer.
var Obfuscate = obfuscate
