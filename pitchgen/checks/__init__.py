"""The rubric: pure checks of a draft against its ask (docs/architecture.md has the exact rules).

`rubric`: `run_checks(ask, content, text)`. `asking`: the call-to-action check. `grounding`:
the ask's own facts, and its text blanked out of a draft. `facts`: facts parsed from free text.
`readability`: the US grade.
May import: `pitchgen.content`, `pitchgen.ask`, `pitchgen.patterns`, `pitchgen.errors`; never
drafting, the model, the store or a face, so a check can be run on any text from anywhere.
"""
