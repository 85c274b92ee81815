"""What a draft is: the shared vocabulary of every part after the ask.

`models`: the channel content models (`Email`, `CallScript`, `MeetingAgenda`), the draft
envelope (`Draft`, `DraftSet`) and `CheckResult`. `formats`: how dates, times and money are
written in prose. `templates`: the Jinja2 environment over the template folder. `render`: a
draft's content as plain text or escaped Markdown. `emailparts`: an email body's letter and
the full list set apart below its signature.
May import: `pitchgen.ask`, `pitchgen.errors`, `pitchgen.patterns` and, for the Babel
locales `localecache` keeps, `pitchgen.privatefiles`. Nothing here is imported on package
import: use the modules (`from pitchgen.content.models import Draft`).
"""
