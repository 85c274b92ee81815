"""Drafting: one ask in, a checked draft per channel out.

`pipeline`: the one drafting entry point (model or template, checks, re-ask, fallback).
`fallback`: the deterministic template draft. `recommend`: which channel to lead with.
`ledger`: each model attempt recorded on its draft, logged and counted. `outline`: what a
template draft says, decided from the ask (its dates and times in `dates`).
May import: `pitchgen.llm`, `pitchgen.checks`, `pitchgen.content`, `pitchgen.ask`,
`pitchgen.settings`, `pitchgen.errors`, `pitchgen.patterns`, `pitchgen.telemetry`; never the
store, the workflow or a face.
"""
