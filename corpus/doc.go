// Package corpus holds golden corpora — NSS records with the verdict the reference pipeline must give
// each — and checks a pipeline against them: every filter and mapping decision, record by record.
//
// # Corpus format
//
// A corpus is a directory:
//
//	corpus.json              what the corpus is and how to read it (below)
//	input.log[.zst]          CEF input: the records exactly as sent, framed as corpus.json says
//	input.jsonl[.zst]        or Cloud NSS input: one JSON object per line (blank lines skipped) …
//	input.json[.zst]         … or one JSON array of objects
//	expected.jsonl[.zst]     one verdict record per input record, in input order
//	(other files)            rules or mappings files corpus.json names, a sources file, notes
//
// A ".zst" suffix means zstd compression (any level). A corpus has exactly one input and one expected
// file.
//
// corpus.json is one JSON object; unknown fields are errors:
//
//	{
//	  "description": "every seed alert type with its mapping",
//	  "format": "cef",            // "cef" (Decider.Decide) or "json" (Decider.DecideJSON); default: from the input's name
//	  "framing": "lf",            // cef only: "lf" (default) or "octet" (RFC 6587 octet counting)
//	  "rules": "builtin",         // "builtin" (default) or a path relative to the corpus
//	  "mappings": "mappings.txt", // likewise; either mapping-file format of package pipeline
//	  "provenance": {             // where the records came from:
//	    "scenario": "default", "seed": 1, "count": 100000,   // a generator run (nssbench corpus new),
//	    "clock": "wall", "start": "2026-12-02T16:06:26.5Z",  // stamped from this start, 1ms apart (-clock wall), or
//	    "source": "hand-written from PIPELINE.md",           // words, and optionally
//	    "sources": "sources.txt"                             // a file in the corpus naming each record's origin
//	  },
//	  "patterns": [               // fields that legitimately vary (optional)
//	    {"field": "alertType", "match": "Allowed.*"},                    // every record
//	    {"field": "recordid", "match": "[0-9]+", "lines": [3, 4]},       // records at these positions
//	    {"field": "threatId", "match": "T1204(\\.002)?", "recordids": ["7379073205867184130"]}
//	  ]
//	}
//
// A pattern replaces the equality test of one field (any verdict-record member: recordid, line, feed,
// stage, verdict, reason, detail, alertType, mapped, threatId, threatName) by a regular expression (RE2,
// anchored at both ends) the actual value must match; an absent field's value is "".
//
// The CEF input is read as the embedded collector reads a connection (package framing): LF framing,
// a CR before the LF stripped, or octet counting; records longer than the pipeline's line limit are
// oversize records. The framing the reader detects must be the declared one. Every framed record is a
// record, blank lines too. A LF-framed input ends with a line feed: a collector hands over an
// unterminated last line as a record, but in a file it is a record that may have been cut short, so it
// is an error, as a frame cut short is with octet counting. Cloud NSS objects are decided as the collector's HTTP endpoint hands them
// over; an input line that is not a JSON object is an error, as the endpoint rejects such a batch.
//
// The expected file holds one JSON object per line in PIPELINE.md's verdict-record shape, exactly what
// verdict.Verdict.AppendJSON writes:
//
//	{"recordid":"7379073205867184130","feed":"web","stage":"platform","verdict":"alert","alertType":"Malware block: malicious file","mapped":true,"threatId":"T1204.002","threatName":"Malicious File"}
//	{"line":17,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"bad_header"}
//
// The n-th line is the verdict of the n-th input record. A record is identified by its "recordid" (the
// CEF externalId) when it has one, else by its "line", its 1-based position in the input. Members may
// come in any order; "stage", "verdict" and one of "recordid" and "line" are required, and names are
// checked (an unknown feed, reason or field is an error, not a mismatch).
//
// # Checking
//
// Verify decides each record with a pipeline (the corpus's own rules and mappings, or others to test a
// proposed change) in-process or through a real loopback listener and sender, and compares each field
// of the verdict with the expected record. Mismatches are counted per corpus and per class (the expected
// stage, verdict, reason, detail and alert type) and the first ones are kept as
// "line N: field: got X, want Y" with the input record. A corpus that cannot be read to its end — a
// missing, truncated or corrupt file, an expected line that is not a verdict record, or input and
// expected files with different numbers of records — is an error naming the file and line, never a
// pass.
//
// Update rewrites the expected file from a pipeline, and UpdateWith from other rules or mappings, which
// it copies into the corpus and names in corpus.json so that the corpus stays consistent; New generates
// a corpus from a built-in scenario and seed; Record captures a live feed (an oversize record, which the
// collector skips unread, as a placeholder that is oversize too); CheckGroundTruth checks a generated
// corpus's expected verdicts against the generator's labels. Text, JSON and JUnit render outcomes.
//
// The shipped corpora are in golden/; `go test ./corpus/...` verifies every one of them.
package corpus
