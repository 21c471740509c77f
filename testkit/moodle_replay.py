"""Replays real Moodle 4.5 recordings (tests/data/moodle-ws, see its README) with `responses`.

Each replay answers with the recorded body and asserts that the client sent exactly the recorded form fields,
except the token (checked to be the client's own) and `moodlewssettinglang=en`, which our client always adds
and the recordings predate. Set SCM_MOODLE_RECORDINGS to use another copy of the recordings.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import responses
from requests import PreparedRequest

from scm_lms.moodle import MoodleClient, RetryPolicy, Secret

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
RECORDINGS = Path(os.environ.get("SCM_MOODLE_RECORDINGS", DATA / "moodle-ws"))
SITE = "http://127.0.0.1:8085"
TOKEN_VALUE = "fake-replay-token-not-a-real-one-42"
TOKEN = Secret(TOKEN_VALUE)

Pairs = list[tuple[str, str]]


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def client(**options: Any) -> MoodleClient:
    """A client for the recorded loopback site, with no real sleeping between retries."""
    options.setdefault("sleep", lambda seconds: None)
    options.setdefault("retry", RetryPolicy(attempts=3))
    return MoodleClient(SITE, TOKEN, **options)


def form_fields(request: PreparedRequest) -> Pairs:
    """The fields of a url-encoded or multipart body; file parts rendered as in the recordings."""
    body = request.body or b""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    content_type = request.headers.get("Content-Type", "")
    if not content_type.startswith("multipart/"):
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    pairs: Pairs = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        filename = part.get_filename()
        if filename:
            kind = part.get_content_type()
            pairs.append((str(name), f"<multipart file: {filename}, {kind}, {len(payload)} bytes>"))
        else:
            pairs.append((str(name), payload.decode("utf-8")))
    return pairs


def _expected(recording: dict[str, Any], ignore: tuple[str, ...]) -> dict[str, str]:
    """The recorded fields without the token and the language (later recordings include it, as we send it)."""
    skip = ("wstoken", "token", "moodlewssettinglang", *ignore)
    return {key: value for key, value in recording["request"] if key not in skip}


def check_request(recording: dict[str, Any], sent: Pairs, ignore: tuple[str, ...] = ()) -> None:
    """Assert `sent` equals the recorded request modulo token, language and `ignore`d keys."""
    fields = dict(sent)
    assert len(fields) == len(sent), f"duplicate form fields sent: {sent}"
    token_key = "wstoken" if recording["endpoint"].endswith("server.php") else "token"
    if recording["endpoint"] != "/login/token.php":
        assert fields.pop(token_key) == TOKEN_VALUE, "the client must send its own token"
    if token_key == "wstoken":
        assert fields.pop("moodlewssettinglang") == "en"
    for key in ignore:
        fields.pop(key, None)
    assert fields == _expected(recording, ignore)


def _body(recording: dict[str, Any]) -> tuple[str, str]:
    response = recording["response"]
    if isinstance(response, str):
        return response, "application/xml; charset=utf-8"
    return json.dumps(response), "application/json; charset=utf-8"


def replay(
    rsps: responses.RequestsMock, name: str, *, ignore: tuple[str, ...] = (), site: str = SITE
) -> list[Pairs]:
    """Register recording `name`; returns the list that collects the fields of every matching request."""
    recording = load(name)
    calls: list[Pairs] = []

    def answer(request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        sent = form_fields(request)
        check_request(recording, sent, ignore)
        calls.append(sent)
        body, content_type = _body(recording)
        return int(recording["http_status"]), {"Content-Type": content_type}, body

    rsps.add_callback(responses.POST, site + recording["endpoint"], callback=answer)
    return calls


def respond_with(
    rsps: responses.RequestsMock, endpoint: str, reply: Callable[[Pairs], Any], *, site: str = SITE
) -> list[Pairs]:
    """Answer requests with `reply(fields)` (built from recorded bodies by the test); collects the fields."""
    calls: list[Pairs] = []

    def answer(request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        sent = form_fields(request)
        calls.append(sent)
        return 200, {"Content-Type": "application/json"}, json.dumps(reply(sent))

    rsps.add_callback(responses.POST, site + endpoint, callback=answer)
    return calls


_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]+\])*)$")


def unflatten(pairs: Pairs) -> dict[str, Any]:
    """PHP's reading of form fields: `a[0][b]=x` → {"a": [{"b": "x"}]} (lists only for indexes 0..n-1)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        assert match, f"malformed form key {key!r}"
        parts = [match.group(1), *re.findall(r"\[([^\[\]]+)\]", match.group(2))]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    listified = _listify(root)
    assert isinstance(listified, dict)
    return listified


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    children = {key: _listify(value) for key, value in node.items()}
    if children and list(children) == [str(i) for i in range(len(children))]:
        return list(children.values())
    return children


def recorded_params(name: str) -> dict[str, Any]:
    """The function parameters of a recording (without wstoken, wsfunction and the format)."""
    skip = {"wstoken", "wsfunction", "moodlewsrestformat"}
    return unflatten([(k, v) for k, v in load(name)["request"] if k not in skip])


@contextmanager
def replaying(*names: str, ignore: tuple[str, ...] = (), **options: Any) -> Iterator[MoodleClient]:
    """A client whose requests must match the recordings `names`, in order; all must be used."""
    with responses.RequestsMock() as rsps:
        for name in names:
            replay(rsps, name, ignore=ignore)
        with client(**options) as moodle:
            yield moodle
