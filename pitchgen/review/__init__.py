"""Review: what happens to a stored draft. `workflow`: the transition table and its steps
(edit, approve, reject, reopen, mark sent); `sending`: an approved draft sent at most once
per revision (email over SMTP) or marked done.
May import: `pitchgen.store`, `pitchgen.export`, `pitchgen.checks`, `pitchgen.content`,
`pitchgen.ask`, `pitchgen.settings`, `pitchgen.errors`.
"""
