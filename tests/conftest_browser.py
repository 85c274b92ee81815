"""Review-page helpers shared by the HTTP and the browser tests: a store seeded through the real
drafting path, hostile strings fed in through an ask and through "model" output, an app that
serves the review pages over that store, and the forms a page would submit.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml
from fastapi import FastAPI

from pitchgen import web
from pitchgen.ask import Ask, Channel, validate_ask
from pitchgen.checks.rubric import run_checks
from pitchgen.content import render
from pitchgen.content.models import CONTENT_MODELS, Draft, DraftSet, RejectedOutput
from pitchgen.drafting.pipeline import draft
from pitchgen.server.guard import ASGIApp, Guard, RateLimit
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.repository import Store

ASKS = Path(__file__).resolve().parent.parent / "fixtures" / "asks"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "[click me](javascript:alert(1))"
REMOTE_IMAGE = "![x](http://evil.example/x.png)"
HOSTILE = (SCRIPT, IMG, JS_LINK, REMOTE_IMAGE)
PARTNER = "Main Street Business Alliance"


def summit_data() -> dict:
    return yaml.safe_load((ASKS / "summit-venue.yaml").read_text())


def hostile_ask() -> Ask:
    """The summit ask with every hostile string in fields that drafts quote verbatim."""
    data = copy.deepcopy(summit_data())
    data["project"]["summary"] += f" See {JS_LINK} and {REMOTE_IMAGE}."
    data["need"]["description"] = f'<a href="javascript:alert(1)">Use</a> of your room {IMG}'
    data["benefits"][0]["description"] = f"{REMOTE_IMAGE} Your logo on all summit materials"
    ask = validate_ask(data)
    # Names that reach an email header now refuse < > and quotes; an ask stored before they
    # did can still hold them, and the page must show them as text.
    partner = ask.partner.model_copy(
        update={
            "organization": f"Main Street {SCRIPT} Alliance",
            "contact_name": f"Marcus {IMG} Lee",
        }
    )
    return ask.model_copy(update={"partner": partner})


def seed(store: Store, ask: Ask, channels: tuple[Channel, ...] = tuple(Channel)) -> DraftSet:
    """Draft `ask` the way `pitchgen draft` does (templates, no model) and store the drafts."""
    drafted = draft(ask, channels, settings=Settings(llm="off"))
    store.save_draft_set(ask, drafted)
    return drafted


def model_draft(ask: Ask, content: dict, rejected: str | None = None) -> Draft:
    """A draft as if the model wrote `content`, checked like any other; `rejected` adds a
    rejected model output beside it."""
    parsed = CONTENT_MODELS[Channel.email].model_validate(content)
    text = render.to_text(parsed)
    return Draft(
        id=str(uuid.uuid4()),
        channel=Channel.email,
        source="llm",
        model="test-model",
        prompt_version="test",
        content=parsed.model_dump(mode="json"),
        text=text,
        checks=run_checks(ask, parsed, text),
        rejected_llm_output=RejectedOutput(text=rejected, error="failed must checks")
        if rejected
        else None,
    )


def seed_model_output(store: Store, ask: Ask) -> Draft:
    """Store an email "from the model" whose subject, body and rejected output are hostile."""
    drafted = draft(ask, [Channel.email], settings=Settings(llm="off"))
    body = drafted.drafts[0].content.body
    content = {
        "subject": f"Hello {SCRIPT}",
        "body": f"{body}\n\n{IMG}\n{JS_LINK}\n{REMOTE_IMAGE}\n<a href='javascript:alert(1)'>x</a>",
    }
    rejected = f"# Pitch\n{SCRIPT}\n**bold** {REMOTE_IMAGE}\n{JS_LINK}"
    made = model_draft(ask, content, rejected)
    store.save_draft_set(ask, drafted.model_copy(update={"drafts": [made]}))
    return made


def review_app(store: Store, settings: Settings | None = None) -> ASGIApp:
    """The review pages alone over `store`, behind the server's guard as they are served."""
    settings = settings or Settings(llm="off")
    app = FastAPI()
    web.mount(app, Service(settings, store=store))
    unlimited = RateLimit(per_second=1e9, burst=10**9)
    hosts = ["testserver", *settings.allowed_hosts]
    return Guard(app, api_keys=settings.api_keys, rate_limit=unlimited, allowed_hosts=hosts)


@dataclass
class Form:
    action: str
    fields: dict[str, str]


class _Forms(HTMLParser):
    """The page's POST forms and their current values, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            self.forms.append(Form(a["action"], {}))
        elif not self.forms or "name" not in a:
            return
        elif tag == "input":
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1].fields[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1].fields[self._textarea] += data


def post_forms(html: str) -> dict[str, dict[str, str]]:
    """The page's POST forms by the last part of their action: {"edit": {...}, "approve": ...}.

    A textarea's first newline is dropped, as the HTML parser in a browser drops it."""
    parser = _Forms()
    parser.feed(html)
    forms = {}
    for form in parser.forms:
        fields = {k: v.removeprefix("\n") for k, v in form.fields.items()}
        forms[form.action.rsplit("/", 1)[-1]] = fields
    return forms
