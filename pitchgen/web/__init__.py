"""The review pages in the browser, served under `/review` by `mount(app, settings, store)`."""

from pitchgen.web.pages import CSP
from pitchgen.web.routes import mount, router

__all__ = ["CSP", "mount", "router"]
