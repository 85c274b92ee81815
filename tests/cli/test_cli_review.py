"""`pitchgen draft` saving its drafts, `pitchgen review …` and `pitchgen db …`, run in process
against the temporary SQLite store the suite's autouse fixture names, checked on exact output
and exit codes."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml

from pitchgen.cli import main
from pitchgen.settings import get_settings

ASKS = Path(__file__).resolve().parents[2] / "fixtures" / "asks"
SUMMIT = ASKS / "summit-venue.yaml"
SPONSORSHIP = ASKS / "sponsorship-negotiable.yaml"
CHANNELS = ("email", "call_script", "meeting_agenda")


def kept_edit(err: str) -> Path:
    return Path(re.search(r"your edit is kept in (\S+)\)", err)[1])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def draft_ids(capsys, ask: Path = SUMMIT) -> dict[str, str]:
    code, out, _ = run(capsys, "draft", str(ask), "--llm", "off", "-f", "json")
    assert code == 0
    return {d["channel"]: d["id"] for d in json.loads(out)["drafts"]}


def shown(capsys, draft_id: str) -> dict:
    code, out, _ = run(capsys, "review", "show", draft_id, "-f", "json")
    assert code == 0
    return json.loads(out)


@pytest.fixture
def ids(capsys) -> dict[str, str]:
    return draft_ids(capsys)


@pytest.fixture
def email_id(ids: dict[str, str]) -> str:
    return ids["email"]


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Makes $EDITOR a script running `body` with `path` (the file to edit) and `yaml` in scope."""

    def use(body: str) -> None:
        script = tmp_path / "editor.py"
        script.write_text(f"import subprocess, sys, yaml\npath = sys.argv[1]\n{body}\n")
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")

    return use


# --- pitchgen draft saves -------------------------------------------------------------------


def test_draft_saves_every_draft_and_names_it_on_stderr(capsys):
    code, out, err = run(capsys, "draft", str(SUMMIT), "--llm", "off", "-f", "json")

    drafted = json.loads(out)["drafts"]
    assert code == 0
    assert err.splitlines() == [
        f"saved {d['channel'].replace('_', ' ')} draft {d['id']}"
        f" (review: pitchgen review show {d['id']})"
        for d in drafted
    ]
    _, listed, _ = run(capsys, "review", "list", "-f", "json")
    stored = {d["id"]: d for d in json.loads(listed)["drafts"]}
    assert {d["id"]: d["content"] for d in drafted} == {i: d["content"] for i, d in stored.items()}


def test_no_save_stores_nothing(capsys):
    code, out, err = run(capsys, "draft", str(SUMMIT), "--llm", "off", "--no-save", "-f", "json")
    assert (code, err) == (0, "")
    assert len(json.loads(out)["drafts"]) == 3

    assert run(capsys, "review", "list") == (0, "", "no drafts match\n")


def test_a_store_that_cannot_be_written_is_an_error_after_the_drafts_are_printed(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("PITCHGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    get_settings.cache_clear()

    code, out, err = run(capsys, "draft", str(SUMMIT), "--llm", "off", "-f", "json")

    assert code == 1
    assert len(json.loads(out)["drafts"]) == 3
    assert err.startswith("error: the drafts above were not saved: cannot read or write the SQLite")
    assert len(err.splitlines()) == 1


def test_draft_without_saving_never_loads_the_database_or_the_model_libraries():
    probe = (
        "import sys\nfrom pitchgen.cli import main\n"
        f"code = main(['draft', {str(SUMMIT)!r}, '--llm', 'off', '--no-save', '-f', 'json'])\n"
        "loaded = [m for m in ('sqlalchemy', 'openai') if m in sys.modules]\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.stderr.splitlines()[-1] == "0 []"


# --- list and show --------------------------------------------------------------------------


def test_list_prints_plain_columns_when_piped(capsys, ids):
    code, out, err = run(capsys, "review", "list")

    header, *rows = out.splitlines()
    assert (code, err) == (0, "")
    assert header.split() == [
        "id", "channel", "status", "version", "partner", "source", "must", "✗", "updated",
    ]  # fmt: skip
    assert [row.split()[:4] for row in rows] == [
        [ids[c], c, "draft", "1"] for c in reversed(CHANNELS)
    ]
    assert all("Main Street Business Alliance  template  0  " in row for row in rows)


@pytest.mark.parametrize(
    ("filters", "channels"),
    [
        (["--channel", "call_script"], ["call_script"]),
        (["--status", "approved"], ["email"]),
        (["--partner", "main street"], list(reversed(CHANNELS))),
        (["--partner", "granite"], []),
    ],
)
def test_list_filters(capsys, ids, email_id, filters, channels):
    run(capsys, "review", "approve", email_id)
    _, out, _ = run(capsys, "review", "list", "-f", "json", *filters)
    assert [d["id"] for d in json.loads(out)["drafts"]] == [ids[c] for c in channels]


def test_list_pages_with_a_cursor(capsys, ids):
    first = run(capsys, "review", "list", "--limit", "2", "-f", "json")[1]
    page = json.loads(first)
    _, text_out, text_err = run(capsys, "review", "list", "--limit", "2")
    _, second, _ = run(capsys, "review", "list", "--cursor", page["next_cursor"], "-f", "json")

    assert [d["channel"] for d in page["drafts"]] == ["meeting_agenda", "call_script"]
    assert text_err == f"more: pitchgen review list --cursor {page['next_cursor']}\n"
    assert len(text_out.splitlines()) == 3
    assert json.loads(second) == {"drafts": json.loads(second)["drafts"], "next_cursor": None}
    assert [d["id"] for d in json.loads(second)["drafts"]] == [ids["email"]]


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--limit", "0"], "limit: must be between 1 and 200 (got 0)"),
        (["--cursor", "not-a-cursor"], "cursor: not a cursor from a previous page"),
    ],
)
def test_list_rejects_bad_paging_with_exit_2(capsys, argv, problem):
    code, _, err = run(capsys, "review", "list", *argv)
    assert code == 2
    assert problem in err


def test_show_gives_text_checks_with_must_first_revisions_and_events(capsys, email_id):
    run(capsys, "review", "edit", email_id, "--set", "subject=", "--author", "bob", "--note", "n")

    code, out, _ = run(capsys, "review", "show", email_id)

    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"Email draft {email_id} for Main Street Business Alliance"
    assert lines[1].startswith("status: draft · version 2 · template (llm_off) · updated ")
    checks = lines[lines.index("Checks:") + 1 : lines.index("Revisions:") - 1]
    assert checks[0].startswith("  ✗ channel_fit (must): ")
    assert [c.split()[2] for c in checks] == ["(must):"] * 10 + ["(advice):"] * 2
    assert lines[lines.index("Revisions:") + 2].startswith("  v2 by bob at ")
    assert lines[-1].endswith(" bob: edit (draft → draft); why: n; version: 2")


def test_an_edit_with_a_terminal_escape_is_refused(capsys, email_id):
    hidden = "\x1b[8mAnd a $50,000 donation from you\x1b[0m"

    code, _, err = run(capsys, "review", "edit", email_id, "--set", f"subject=Our summit {hidden}")

    assert code == 2
    assert "content.subject: contains a control character (U+001B)" in err
    assert shown(capsys, email_id)["draft"]["version"] == 1


def test_show_makes_terminal_escapes_in_a_draft_visible(capsys, email_id):
    from pitchgen.store.repository import Store
    from pitchgen.store.rows import Change, NewRevision

    hidden = "\x1b[8mAnd a $50,000 donation from you\x1b[0m"
    # As an older pitchgen stored it, before edits refused control characters.
    store = Store.from_url(get_settings().store_url())
    content = store.get_draft(email_id).content.model_dump(mode="json") | {
        "subject": f"Our summit {hidden}"
    }
    revision = NewRevision(content, f"Subject: Our summit {hidden}", [])
    store.apply(store.get_draft(email_id), Change("edit", "ava", "draft", revision=revision))
    store.close()

    code, out, _ = run(capsys, "review", "show", email_id)

    assert code == 0
    assert "\x1b" not in out
    assert "Subject: Our summit \\x1b[8mAnd a $50,000 donation from you\\x1b[0m" in out


def test_show_as_markdown_and_json(capsys, email_id):
    _, md, _ = run(capsys, "review", "show", email_id, "-f", "markdown")
    view = shown(capsys, email_id)

    assert md.startswith(f"# Email draft {email_id} for Main Street Business Alliance\n")
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## Text", "## Checks", "## Revisions", "## Events",
    ]  # fmt: skip
    assert view["draft"]["id"] == email_id
    assert view["allowed_actions"] == ["edit", "approve", "reject"]
    assert [e["action"] for e in view["events"]] == ["created"]
    assert [r["version"] for r in view["revisions"]] == [1]


# --- edit -----------------------------------------------------------------------------------


def test_edit_with_set_saves_a_revision_and_prints_the_new_checks(capsys, email_id):
    code, out, _ = run(
        capsys, "review", "edit", email_id, "--set", "subject=Re: your room on March 4, 2027"
    )

    assert code == 0
    assert out.splitlines()[0] == f"saved email draft {email_id} as version 2 (draft)"
    assert "  ✓ channel_fit (must): subject and body present" in out.splitlines()
    view = shown(capsys, email_id)
    assert view["draft"]["content"]["subject"] == "Re: your room on March 4, 2027"
    assert view["revisions"][-1]["author"].startswith("cli:")


def test_set_reads_lists_as_yaml(capsys, ids):
    agenda = ids["meeting_agenda"]
    code, _, _ = run(
        capsys, "review", "edit", agenda, "--set", "attendees=[Ava Thompson, Marcus Lee]"
    )
    assert code == 0
    assert shown(capsys, agenda)["draft"]["content"]["attendees"] == ["Ava Thompson", "Marcus Lee"]


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("greeting=Hi", "--set: 'greeting=Hi': use FIELD=VALUE, FIELD one of subject, body"),
        ("subject", "--set: 'subject': use FIELD=VALUE"),
    ],
)
def test_set_of_an_unknown_field_is_invalid_input(capsys, email_id, setting, problem):
    code, _, err = run(capsys, "review", "edit", email_id, "--set", setting)
    assert code == 2
    assert problem in err
    assert shown(capsys, email_id)["draft"]["version"] == 1


def test_an_edit_from_a_stale_version_is_refused(capsys, email_id):
    run(capsys, "review", "edit", email_id, "--set", "subject=First")

    code, _, err = run(
        capsys, "review", "edit", email_id, "--set", "subject=Second", "--expect-version", "1"
    )

    assert code == 1
    assert err == (
        f"error: draft {email_id} has changed: it is now version 2 (draft);"
        " reload it and try again with version 2\n"
    )
    assert shown(capsys, email_id)["draft"]["content"]["subject"] == "First"


def test_edit_opens_the_editor_on_the_content_as_yaml(capsys, email_id, editor):
    editor(
        "content = yaml.safe_load(open(path))\n"
        "content['subject'] = 'Edited in the editor'\n"
        "open(path, 'w').write(yaml.safe_dump(content))"
    )

    code, out, _ = run(capsys, "review", "edit", email_id, "--note", "from vi")

    assert code == 0
    assert out.startswith(f"saved email draft {email_id} as version 2 (draft)\n")
    view = shown(capsys, email_id)
    assert view["draft"]["content"]["subject"] == "Edited in the editor"
    assert view["revisions"][-1]["note"] == "from vi"


def test_leaving_the_editor_without_changes_saves_nothing(capsys, email_id, editor):
    editor("pass")
    code, out, _ = run(capsys, "review", "edit", email_id)
    assert (code, out) == (0, f"no change: email draft {email_id} is still version 1\n")


def test_an_edit_that_cannot_be_saved_is_kept(capsys, email_id, editor):
    editor("open(path, 'w').write('subject: [unclosed\\n')")

    code, _, err = run(capsys, "review", "edit", email_id)

    kept = kept_edit(err)
    assert code == 2
    assert err.startswith("error: 1 problem in the input (your edit is kept in ")
    assert "content: not valid YAML at line" in err
    assert kept.read_text() == "subject: [unclosed\n"
    kept.unlink()


def test_someone_elses_edit_while_the_editor_is_open_is_not_overwritten(capsys, email_id, editor):
    editor(
        f"subprocess.run([sys.executable, '-m', 'pitchgen', 'review', 'edit', {email_id!r},"
        " '--set', 'subject=Theirs'], check=True, capture_output=True)\n"
        "content = yaml.safe_load(open(path))\n"
        "content['subject'] = 'Mine'\n"
        "open(path, 'w').write(yaml.safe_dump(content))"
    )

    code, _, err = run(capsys, "review", "edit", email_id)

    assert code == 1
    assert f"draft {email_id} has changed: it is now version 2" in err
    kept = kept_edit(err)
    assert yaml.safe_load(kept.read_text())["subject"] == "Mine"
    assert shown(capsys, email_id)["draft"]["content"]["subject"] == "Theirs"
    kept.unlink()


# --- decisions ------------------------------------------------------------------------------


def test_approval_is_refused_while_a_must_check_fails_unless_overridden(capsys, email_id):
    run(capsys, "review", "edit", email_id, "--set", "subject=")

    refused = run(capsys, "review", "approve", email_id)
    approved = run(capsys, "review", "approve", email_id, "--override-reason", "sent as a reply")

    assert refused[0] == 1
    assert refused[2] == (
        f"error: cannot approve draft {email_id}: must checks fail (channel_fit);"
        " edit the draft, or approve with an override reason\n"
    )
    assert approved[:2] == (
        0,
        f"approved email draft {email_id} at version 2,"
        " overriding the failed must checks channel_fit\n",
    )
    last = shown(capsys, email_id)["events"][-1]
    assert (last["action"], last["reason"]) == ("approve", "sent as a reply")
    assert last["detail"] == {"overridden_checks": ["channel_fit"]}


def test_an_override_reason_of_a_dot_is_invalid_input(capsys, email_id):
    run(capsys, "review", "edit", email_id, "--set", "subject=")
    code, _, err = run(capsys, "review", "approve", email_id, "--override-reason", ".")
    assert code == 2
    assert "override_reason" in err and "two words" in err


def test_reject_needs_a_reason_and_reopen_brings_it_back(capsys, email_id):
    code, _, err = run(capsys, "review", "reject", email_id)
    assert code == 2
    assert err == "error: Missing option '--reason'.\n"
    assert run(capsys, "review", "reject", email_id, "--reason", "wrong partner")[:2] == (
        0,
        f"rejected email draft {email_id}\n",
    )
    assert run(capsys, "review", "approve", email_id)[2] == (
        f"error: cannot approve draft {email_id}: it is rejected; allowed from rejected: reopen\n"
    )
    assert run(capsys, "review", "reopen", email_id)[0] == 0
    assert [e["to_status"] for e in shown(capsys, email_id)["events"]] == [
        "draft", "rejected", "draft",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [
        ["show"],
        ["edit", "--set", "subject=x"],
        ["approve"],
        ["reject", "--reason", "no"],
        ["reopen"],
        ["export"],
        ["send"],
    ],
)
def test_an_unknown_id_is_not_found(capsys, argv):
    code, out, err = run(capsys, "review", argv[0], "no-such-id", *argv[1:])
    assert (code, out, err) == (1, "", "error: no draft with id no-such-id\n")


# --- export and send ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ask", "channel", "suffix"),
    [
        (SUMMIT, "email", "email-draft.eml"),
        (SUMMIT, "call_script", "call-script-draft.md"),
        (SUMMIT, "meeting_agenda", "meeting-agenda-draft.md"),
        (SPONSORSHIP, "meeting_agenda", "meeting-agenda-draft.ics"),
    ],
)
def test_export_picks_the_channels_format_and_writes_to_the_current_folder(
    capsys, tmp_path, monkeypatch, ask, channel, suffix
):
    draft_id = draft_ids(capsys, ask)[channel]
    monkeypatch.chdir(tmp_path)

    code, out, _ = run(capsys, "review", "export", draft_id)

    assert code == 0
    assert out.endswith(f"-{suffix}\n")
    assert (tmp_path / out.strip()).read_bytes()


@pytest.mark.parametrize("target", ["folder", "file", "stdout"])
def test_export_out_takes_a_folder_a_file_or_stdout(capsys, tmp_path, email_id, target):
    out = {"folder": tmp_path, "file": tmp_path / "mine.txt", "stdout": Path("-")}[target]

    code, printed, _ = run(capsys, "review", "export", email_id, "-f", "txt", "--out", str(out))

    assert code == 0
    if target == "stdout":
        assert printed.startswith("DRAFT — not approved for sending (status: draft)\n\nSubject: ")
        return
    written = tmp_path / "main-street-business-alliance-email-draft.txt" if out.is_dir() else out
    assert printed == f"{written}\n"
    assert written.read_text().startswith("DRAFT — not approved for sending")


def test_export_refuses_a_format_the_channel_lacks(capsys, ids):
    code, _, err = run(capsys, "review", "export", ids["call_script"], "-f", "eml")
    assert code == 2
    assert "format: a call script draft exports as md, txt, not 'eml'" in err


def test_draft_edit_approve_export_and_send(capsys, tmp_path, monkeypatch, smtp_server):
    inbox, port = smtp_server()
    for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "TLS": "none"}.items():
        monkeypatch.setenv(f"PITCHGEN_SMTP_{name}", value)
    get_settings.cache_clear()
    monkeypatch.chdir(tmp_path)
    email_id = draft_ids(capsys)["email"]

    assert run(capsys, "review", "edit", email_id, "--set", "subject=Your room, March 4")[0] == 0
    assert run(capsys, "review", "approve", email_id)[0] == 0
    code, out, _ = run(capsys, "review", "export", email_id)
    exported = BytesParser(policy=policy.default).parsebytes((tmp_path / out.strip()).read_bytes())
    code, sent, _ = run(capsys, "review", "send", email_id)
    again = run(capsys, "review", "send", email_id)

    (received,) = inbox.messages
    mid = received["Message-ID"].strip()
    assert out == "main-street-business-alliance-email.eml\n"
    assert exported["Subject"] == received["Subject"] == "Your room, March 4"
    assert exported["Message-ID"].strip() == mid
    assert code == 0
    assert sent.startswith(f"sent email draft {email_id} to mlee@mainstreetalliance.org as {mid}")
    assert again[0] == 1
    assert again[2].startswith(f"error: draft {email_id} was already sent as {mid} at ")
    assert shown(capsys, email_id)["draft"]["status"] == "sent"


def test_send_refuses_an_unapproved_draft(capsys, email_id):
    code, _, err = run(capsys, "review", "send", email_id)
    assert code == 1
    assert err == (
        f"error: cannot send draft {email_id}: it is draft;"
        " allowed from draft: edit, approve, reject\n"
    )


def test_send_marks_a_call_done(capsys, ids):
    call = ids["call_script"]
    run(capsys, "review", "approve", call)
    code, out, _ = run(capsys, "review", "send", call)
    assert code == 0
    assert out.startswith(f"marked call script draft {call} done at ")


# --- db and help ----------------------------------------------------------------------------


def test_db_upgrade_and_current(capsys, tmp_path):
    where = f"the SQLite database at {tmp_path / 'pitchgen.db'}"
    assert run(capsys, "db", "current")[1] == (
        f"{where} has no schema yet; run `pitchgen db upgrade` (or any command) to create it\n"
    )
    from pitchgen.store.repository import SCHEMA_REVISION as newest

    assert run(capsys, "db", "upgrade")[1] == f"upgraded {where} from schema none to {newest}\n"
    assert run(capsys, "db", "upgrade")[1] == f"{where} is already at schema {newest}\n"
    assert run(capsys, "db", "current")[1] == f"{where} is at schema {newest}, the newest\n"


@pytest.mark.parametrize(
    "command",
    [["review"], *[["review", c] for c in ("list", "show", "edit", "approve", "reject")]]
    + [["review", c] for c in ("reopen", "export", "send")]
    + [["db"], ["db", "upgrade"], ["db", "current"]],
)
def test_help_on_every_command(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "Usage: " in out


def test_list_on_a_terminal_is_a_table_that_keeps_ids_whole(capsys, ids, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")

    code, out, _ = run(capsys, "review", "list")

    assert code == 0
    assert all(draft_id in out for draft_id in ids.values())
    assert "─" in out
