"""A draft as something to hand on: `files` (.eml, .ics, Markdown, text, with a DRAFT mark
until approved) and `smtp` (delivery of one approved email).
May import: `pitchgen.content`, `pitchgen.ask`, `pitchgen.settings`, `pitchgen.errors`.
"""
