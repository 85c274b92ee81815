"""Follow-through (seed step 4): what came of a pitch, the follow-ups that stop on a reply, the
commitments both ways, the kick-off message, reminders, the calendar and the numbers.

`rules`: the outcomes and what may follow each, the business-day schedule. `ledger`: the
commitments an accepted ask opens. `writing`: the follow-through drafts, from templates.
`runner`: what `follow run` drafts at a moment. `calendar`: the commitments as iCalendar.
`stats`: reply and acceptance rates, days to reply, promises kept.
May import: `pitchgen.store`, `pitchgen.export`, `pitchgen.checks`, `pitchgen.content`,
`pitchgen.ask` and the basics; never a face or the service.
"""
