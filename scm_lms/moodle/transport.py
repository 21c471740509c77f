"""The one way this toolkit talks to Moodle: `MoodleClient`.

Every call is a POST with the token in the body (never the URL), a connect and a read timeout, and a reply
that is checked before anyone sees it. Reads are retried with jittered exponential backoff on connection
errors and 502/503/504. A write is never resent blindly: after a failure that leaves it unknown whether Moodle
applied it, the caller's `verify` re-read decides (see `MoodleClient.write`).
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from scm_lms import __version__
from scm_lms.moodle.batching import BatchOutcome, Limits, plan_chunks, run_isolating
from scm_lms.moodle.config import MoodleConfig, check_url
from scm_lms.moodle.errors import (
    BadResponse,
    InvalidParameter,
    MoodleError,
    MoodleUnavailable,
    classify,
    is_error_reply,
)
from scm_lms.moodle.forms import Field, Param, Params, count_fields, flatten
from scm_lms.moodle.secret import Secret

log = logging.getLogger("scm_lms.moodle")

REST_PATH = "/webservice/rest/server.php"
UPLOAD_PATH = "/webservice/upload.php"
TOKEN_PATH = "/login/token.php"
FIXED_FIELDS = 4
"""wstoken, wsfunction, moodlewsrestformat, moodlewssettinglang: in every request, before the parameters."""
_XML_CODE = re.compile(r"<ERRORCODE>([^<]*)</ERRORCODE>")

Verify = Callable[[], Any]
"""Re-reads Moodle after an unclear write: returns None if the write did not happen (so it is resent),
otherwise the value to use as the write's reply."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 15.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({502, 503, 504}))

    def delay(self, retry: int, rand: Callable[[], float]) -> float:
        """Full jitter: uniform in [0, min(max, base·2^retry)], so parallel runs do not retry in step."""
        return rand() * min(self.max_delay, self.base_delay * 2.0**retry)


class _Transient(Exception):
    """Internal: a failure worth retrying (connection trouble or a gateway status)."""


@dataclass(frozen=True)
class UploadFile:
    name: str
    content: bytes
    mimetype: str = "application/octet-stream"


class MoodleClient:
    """A Moodle web-service session; close it (or use `with`).

    Calls may run from several threads at once (`--concurrency`): a call keeps its state on the stack and the
    requests session's connection pool is thread-safe. Change `limits` only while no call is in flight.
    """

    def __init__(
        self,
        url: str,
        token: Secret,
        *,
        limits: Limits | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (10.0, 120.0),
        allow_http: bool = False,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if not isinstance(token, Secret):
            raise TypeError("token must be a Secret so it cannot be printed by accident")
        self.url = check_url(url, allow_http=allow_http)
        self._token = token
        self.limits = limits or Limits()
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = f"scm-lms/{__version__} (Moodle web-service client)"
        self._session = session
        self._sleep = sleep
        self._rand = rand

    @classmethod
    def from_config(cls, config: MoodleConfig, **options: Any) -> MoodleClient:
        return cls(config.url, config.token, **options)

    def __repr__(self) -> str:
        return f"MoodleClient(url={self.url!r}, token={self._token!r})"

    def __enter__(self) -> MoodleClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # -- single requests ------------------------------------------------------------------------------

    def read(self, function: str, params: Params | None = None, *, timeout: float | None = None) -> Any:
        """Call a function that changes nothing; retried on transient failures."""
        fields = self._fields(function, params or {})
        return self._with_retries(function, lambda: self._post_rest(function, fields, timeout), None, True)

    def write(
        self,
        function: str,
        params: Params | None = None,
        *,
        verify: Verify | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Call a function that changes data.

        If the request fails so that Moodle may or may not have applied it (connection lost, 502/503/504),
        it is resent only when `verify()` re-reads Moodle and returns None (not applied). A non-None value
        from `verify` is taken as the reply. Without `verify` such a failure raises `MoodleUnavailable`.
        """
        fields = self._fields(function, params or {})
        return self._with_retries(function, lambda: self._post_rest(function, fields, timeout), verify, False)

    # -- batched list parameters ----------------------------------------------------------------------

    def _chunks(self, key: str, items: Sequence[Param], params: Params) -> list[list[int]]:
        sizes = [count_fields({key: [item]}) for item in items]
        return plan_chunks(sizes, FIXED_FIELDS + count_fields(params), self.limits)

    def read_many(
        self, function: str, key: str, items: Sequence[Param], params: Params | None = None
    ) -> list[Any]:
        """`read` with the list parameter `key` split to fit the budget; one reply per request, in order."""
        base = dict(params or {})
        return [
            self.read(function, {**base, key: [items[i] for i in chunk]})
            for chunk in self._chunks(key, items, base)
        ]

    def write_many(
        self,
        function: str,
        key: str,
        items: Sequence[Param],
        params: Params | None = None,
        *,
        describe: Callable[[int], str] | None = None,
        verify: Callable[[Sequence[Param]], Any] | None = None,
    ) -> BatchOutcome:
        """`write` in budget-sized requests; rows refused with `InvalidParameter` are isolated by bisection.

        `describe(index)` names a row in failure reports (e.g. its username); `verify(rows)` works like
        `write`'s `verify` for the rows of one request.
        """
        base = dict(params or {})

        def send(indices: Sequence[int]) -> Any:
            rows = [items[i] for i in indices]
            check = (lambda: verify(rows)) if verify is not None else None
            return self.write(function, {**base, key: rows}, verify=check)

        chunks = self._chunks(key, items, base)
        name = describe or (lambda i: f"{key}[{i}]")
        outcome = run_isolating(chunks, send, name, (InvalidParameter,), function)
        for failure in outcome.failures:  # logs carry row numbers, not names (data minimisation)
            log.warning("%s refused row %d: %s", function, failure.index, failure.error.code)
        return outcome

    # -- other endpoints ------------------------------------------------------------------------------

    def upload(self, files: Sequence[UploadFile], *, itemid: int = 0, filepath: str = "/") -> Any:
        """POST files to `webservice/upload.php` (draft area); Moodle answers with one record per file."""
        data = [
            ("token", self._token.reveal()),
            ("filearea", "draft"),
            ("itemid", str(itemid)),
            ("filepath", filepath),
        ]
        parts = [(f"file_{n}", (f.name, f.content, f.mimetype)) for n, f in enumerate(files, start=1)]

        def post() -> Any:
            return self._post("webservice/upload.php", UPLOAD_PATH, data, None, parts)

        # A resent draft upload only leaves an unused draft file behind, so it is treated as safe to retry.
        return self._with_retries("webservice/upload.php", post, None, True)

    # -- internals ------------------------------------------------------------------------------------

    def _fields(self, function: str, params: Params) -> list[Field]:
        fields = flatten(params)
        total = len(fields) + FIXED_FIELDS
        if total > self.limits.max_fields:
            raise MoodleError(
                function,
                f"Anfrage braucht {total} Formularfelder, mehr als das Budget von {self.limits.max_fields}; "
                "PHP würde den Rest stillschweigend verwerfen (read_many/write_many verwenden)",
            )
        return fields

    def _post_rest(self, function: str, fields: list[Field], timeout: float | None) -> Any:
        data = [
            ("wstoken", self._token.reveal()),
            ("wsfunction", function),
            ("moodlewsrestformat", "json"),
            ("moodlewssettinglang", "en"),
            *fields,
        ]
        log.debug("POST %s (%d form fields)", function, len(data))
        return self._post(function, REST_PATH, data, timeout)

    def _post(
        self,
        function: str,
        path: str,
        data: list[Field],
        timeout: float | None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> Any:
        limit = self.timeout if timeout is None else (self.timeout[0], timeout)
        try:
            response = self._session.post(
                self.url + path, data=data, files=files, timeout=limit, allow_redirects=False
            )
        except (requests.ConnectionError, requests.Timeout) as error:
            raise _Transient(f"{type(error).__name__}: {self._token.redact(str(error))}") from None
        if response.status_code in self.retry.statuses:
            raise _Transient(f"HTTP {response.status_code}")
        refuse_redirect(function, response)
        return decode(function, response.status_code, self._token.redact(response.text))

    def _with_retries(self, function: str, send: Callable[[], Any], verify: Verify | None, safe: bool) -> Any:
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return send()
            except _Transient as failure:
                reason = str(failure)
            if attempt == self.retry.attempts:
                break
            if not safe:
                if verify is None:
                    raise MoodleUnavailable(
                        function,
                        f"Schreiben fehlgeschlagen ({reason}); ob Moodle es ausgeführt hat, ist offen, daher "
                        "nicht erneut gesendet – vor einem neuen Versuch die Daten neu lesen "
                        "(z. B. „scm-lms lms plan“ erneut ausführen)",
                    )
                observed = verify()
                if observed is not None:
                    log.info("%s failed (%s) but a re-read shows it was applied", function, reason)
                    return observed
            delay = self.retry.delay(attempt - 1, self._rand)
            log.info("%s failed (%s); retry %d in %.1fs", function, reason, attempt, delay)
            self._sleep(delay)
        raise MoodleUnavailable(function, f"nach {self.retry.attempts} Versuchen aufgegeben ({reason})")


def refuse_redirect(function: str, response: requests.Response) -> None:
    """Redirects are never followed: a POST turned into a GET loses the token, and a 307/308 to another
    host would hand the token to it. The admin fixes the configured URL instead."""
    if response.is_redirect or 300 <= response.status_code < 400:
        target = urlsplit(response.headers.get("Location", ""))
        where = f"{target.scheme}://{target.netloc}{target.path}" if target.netloc else "eine andere Adresse"
        raise BadResponse(
            function,
            f"HTTP {response.status_code}: die Website leitet weiter auf {where}; tragen Sie als "
            "Moodle-Adresse die Adresse ein, unter der sie am Ende antwortet (Weiterleitungen werden nicht "
            "verfolgt, damit das Token auf einer Website bleibt)",
        )


def decode(function: str, status: int, text: str) -> Any:
    """The JSON data of a reply, or the typed error it stands for."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        code = _XML_CODE.search(stripped)
        if code:
            what = f"einen XML-Fehler ({code.group(1)}) statt JSON"
        elif stripped[:100].lower().startswith(("<!doctype html", "<html")):
            what = "eine HTML-Seite statt JSON (falsche Moodle-Adresse, Wartungsmodus oder Webservices aus?)"
        else:
            what = "XML oder HTML statt JSON (verwirft ein Proxy moodlewsrestformat=json?)"
        errorcode = code.group(1) if code else ""
        raise BadResponse(function, f"HTTP {status}: Moodle schickte {what}", errorcode=errorcode)
    if status != 200:
        raise BadResponse(function, f"HTTP {status} von Moodle (Moodle-Adresse prüfen: {stripped[:80]!r})")
    try:
        data = json.loads(text)
    except ValueError:
        raise BadResponse(function, f"Antwort ist kein JSON: {stripped[:80]!r}") from None
    if is_error_reply(data):
        raise classify(function, data)
    return data


def login_token(
    url: str,
    username: str,
    password: Secret,
    service: str,
    *,
    allow_http: bool = False,
    timeout: tuple[float, float] = (10.0, 60.0),
    session: requests.Session | None = None,
) -> Secret:
    """A token for `username` from `login/token.php` (used for learner tokens in tests and checks)."""
    base = check_url(url, allow_http=allow_http)
    http = session or requests.Session()
    form = {"username": username, "password": password.reveal(), "service": service}
    try:
        response = http.post(base + TOKEN_PATH, data=form, timeout=timeout, allow_redirects=False)
    except (requests.ConnectionError, requests.Timeout) as error:
        raise MoodleUnavailable("login/token.php", type(error).__name__) from None
    refuse_redirect("login/token.php", response)
    data = decode("login/token.php", response.status_code, password.redact(response.text))
    token = data.get("token") if isinstance(data, Mapping) else None
    if not isinstance(token, str) or not token:
        raise BadResponse("login/token.php", "Antwort enthält kein Token")
    return Secret(token)
