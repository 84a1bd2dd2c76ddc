// Package pipeline is the reference collector and platform pipeline of PIPELINE.md: it decides, for each
// NSS record, whether it is dropped (where and why) or becomes an alert (mapped to a MITRE ATT&CK
// technique or not), and writes that decision into a verdict.Verdict.
//
// A Pipeline (rules, mapping table, options) is immutable and shared; each goroutine decides with its
// own Decider, which owns a cef.Parser and scratch space and does not allocate per CEF line.
//
// # Decision order
//
// For one record, first match wins:
//
//  1. C1 malformed (built in, stage collector): longer than Options.MaxLine (oversize); invalid UTF-8,
//     no "CEF:" signature, a version other than 0, fewer than seven header fields, or an extension
//     that cannot be split into key=value pairs (the cef.ErrorKind's detail); a header product that
//     is no registered feed's (verdict.FeedOfProduct; NSSWeblog is web's) (unknown_feed).
//  2. The mapping guard: a record whose alert type (the unescaped header name, trimmed) is in the
//     mapping table becomes a mapped alert at stage platform. No rule ever drops it; the mapping
//     table is the allow-list of alerts (so "RDP Allow", a firewall Allow by a customer rule, is an
//     alert mapped to T1021.001).
//  3. The drop rules in file order (C2, then P1–P3 by default): the first rule that matches drops
//     the record at the rule's stage with the rule's reason.
//  4. Otherwise the record is an unmapped alert at stage platform.
//
// The verdict's RecordID is the extension's externalId when the extension could be split (empty
// otherwise); its Feed is the header product's feed when the header could be read; its AlertType is the
// trimmed header name when the header could be read. A record of a CEF version other than 0 has none of
// them: the parser reads its header (Decider.Record returns it), but C1 checks the version first and
// does not read the record as NSS.
//
// # Rules file
//
// A rules file is one JSON object with a list of rules, evaluated in order; collector rules must come
// before platform rules:
//
//	{"rules": [
//	  {"id": "C2-web", "reason": "allowed_traffic", "stage": "collector", "feed": "web",
//	   "action": ["Allowed"], "name": ["Allowed", "Allowed due to override"]},
//	  {"id": "P2-dns", "reason": "default_allow", "feed": "dns", "name": ["Default Firewall DNS Rule"],
//	   "anyOf":  [{"action": ["Req(allow)*"]}, {"fields": {"cs2": ["Allow", "REQ_ALLOW"]}}],
//	   "unless": [{"fields": {"cs3": ["Block*", "RES_BLOCK*"]}}]}
//	]}
//
// Fields of a rule:
//
//   - reason (required): allowed_traffic, policy_access, default_allow or ssl_handshake. malformed
//     is built in and cannot be used.
//   - stage: collector or platform; defaults to the reason's usual stage (allowed_traffic: collector,
//     the others: platform).
//   - feed: the name of a registered feed (verdict.Descriptor.Name, e.g. web); absent means every feed.
//   - id: a label for reports and errors (default "rules[i]"); comment: free text, ignored.
//   - action, name, fields: the rule's own condition, described next; anyOf: a list of conditions of
//     which at least one must hold; unless: a list of conditions none of which may hold.
//
// A condition is an object with any of:
//
//   - action: the record's action, which is the header signature id, or the extension's act when the
//     signature id is empty;
//   - name: the record's alert type (the header name, unescaped and trimmed);
//   - fields: an object from extension key to values; the key must be present.
//
// Each holds a non-empty list of alternatives; the test passes when the value equals one of them
// (case-sensitive). An alternative ending in '*' matches every value starting with the text before the
// '*'. All the tests a condition names must pass. A rule matches a record when its feed matches, its own
// condition holds, one of anyOf holds (when given) and none of unless holds.
//
// Loading checks every field and reports each problem as a *FileError with file, line, column and field
// (joined with errors.Join); a file with any problem is rejected whole.
//
// # Default rules and DNS precedence
//
// defaults/rules.json encodes PIPELINE.md's tables exactly: C2-web, C2-dns, P1, P2-firewall, P2-dns and
// P3, in that order. DNS is the subtle case. C2 runs first, so a DNS record whose request and response
// were both allowed (action "Req(allow),Res(allow)", or reqaction cs2 and resaction cs3 both
// Allow/REQ_ALLOW/RES_ALLOW) is dropped at the collector as allowed_traffic, whatever its rule. P2's
// DNS clause therefore sees only what C2 kept: records of the "Default Firewall DNS Rule" whose request
// was allowed but whose response was not an allow (no response, a redirect, ZPA resolution). A detection
// engineer wants those dropped as default_allow noise, but a blocked response is a security event:
// P2-dns drops a default-DNS-rule record when the request was allowed (action starting "Req(allow)", or
// cs2 Allow/REQ_ALLOW) unless the response was blocked (action starting "Req(allow),Res(block)", or cs3
// starting Block/RES_BLOCK). Records of other DNS rules, and blocked requests, stay alerts.
//
// # Mapping files
//
// Two formats are accepted. The clean one (defaults/mappings.json) is a JSON document:
//
//	{"mappings": [
//	  {"alertType": "RDP Allow", "feed": "firewall", "threatId": "T1021.001", "threatName": "Remote Desktop Protocol"}
//	]}
//
// where feed is optional and informational (lookups use the alert type only). The other is the
// integration page's own listing, recognised by a first non-blank, non-'#' line that is an object with
// an "alertType": one object per line, a comma before the closing brace and one after it allowed,
// blank and '#' lines skipped:
//
//	{"alertType": "Remote Backup Failed", "threatId": "T1020","threatName": "Automated Exfiltration",},
//
// In both, threatId must look like T1234 or T1234.001. A row that repeats an earlier one identically is a
// Warning naming both lines; a row giving an alert type a different threat is an error naming both lines.
//
// # Cloud NSS JSON
//
// DecideJSON renders a JSON object as the CEF record NSS would have written and decides that, so JSON
// and CEF input get the same verdicts. The header comes from these keys, first present wins: vendor
// (vendor, DeviceVendor), product (product, DeviceProduct), device version (version, DeviceVersion),
// signature id (deviceEventClassId, act), severity (Severity), and name (name, then the field the
// feed's CEF header name carries, verdict.Descriptor.HeaderName, or rulelabel when that is none of
// these keys, then reason; as in Zscaler's formats, web's name is %s{reason}, firewall's and DNS's
// %s{rulelabel}). Every key that is a valid CEF key becomes an extension pair, in object order
// (strings unescaped, numbers and literals as written, objects and arrays as compact JSON, nulls
// skipped), escaped as the CEF spec requires.
package pipeline
