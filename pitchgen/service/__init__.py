"""The service layer: every use case, once, for the three faces (CLI, HTTP API, review pages).

`Service(settings)` drafts and saves, lists (with partner names), shows, edits, decides
(approve, reject, reopen), sends, exports, checks and recommends. A face parses its input, calls one
method, and presents the result; it never assembles the store, the workflow and the exports
itself, so the same operation gives the same result and the same audit event everywhere.
`core`: the `Service`, what it holds, and drafting; `reviewing`: its use cases on stored drafts.
`batches` and `batchruns`: one ask to many partners, created and read, and run.
`keys`: API keys and the audit names they give, shared by the API and the pages.

May import: every part (drafting, review, store, export, llm, checks, content, ask) and the
basics; never a face. Heavy parts (the store, the model client) are imported on first use.
"""

from pitchgen.service.core import DraftView, Service

__all__ = ["DraftView", "Service"]
