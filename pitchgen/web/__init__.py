"""The review pages in the browser, served under `/review` by `mount(app, service)`.

`routes`: the list, a draft's page, its forms and diff. `partners`: the directory and a
partner's page. `access`: sign-in and the checks every
request passes. `auth`: sessions and form tokens. `pages`: rendering, headers, error pages.
`forms`: each channel's edit form, held as data. A handler parses the form, calls one
`Service` method, and renders the result.
May import: `pitchgen.service` and, for types, the parts' models; never `pitchgen.api` or
`pitchgen.cli`.
"""

from pitchgen.web.pages import CSP
from pitchgen.web.routes import mount, router

__all__ = ["CSP", "mount", "router"]
