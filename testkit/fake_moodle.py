"""A small Moodle that remembers: a state machine behind `responses` for provisioning tests and benchmarks.

Every answer is a recorded Moodle 4.5 reply (tests/data/moodle-ws) with our values filled in, so the shapes
are real, and every write changes what later reads return, so a plan made after an apply sees the result.
Moodle's rules that provisioning relies on are kept: a create batch with one bad row rolls back whole, a
taken shortname or cohort idnumber is refused, re-adding a cohort member is a warning "3", re-enrolling
overwrites the period. Faults (connection reset, 503, HTTP 500 after the write was committed, a reply lost
after commit) can be injected per function. tests/test_provision_fakesite.py checks the fake against the
recordings.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import requests
import responses
from click.testing import CliRunner, Result
from requests import PreparedRequest

from scm_lms.cli import cli
from scm_lms.intake.admission import decide, offers_of
from scm_lms.intake.registrations import load_registrations
from scm_lms.ledger import DEFAULT_NAME, Ledger
from scm_lms.moodle import MoodleClient, RetryPolicy, Secret
from scm_lms.programme import load_programme
from scm_lms.programme.schedule import BERLIN
from testkit.cli_run import NO_BACKOFF
from testkit.moodle_replay import SITE, TOKEN_VALUE, form_fields, load, unflatten

ROOT = Path(__file__).parents[1]
REST = SITE + "/webservice/rest/server.php"
MAX_INPUT_VARS = 5000
"""PHP max_input_vars of the recorded site (see ../shared/moodle-ws/README.md)."""
PARAM_USERNAME = re.compile(r"^[a-z0-9_.@-]+$")
Reply = tuple[int, dict[str, str], str]


def recorded(name: str) -> Any:
    """A fresh copy of a recorded reply."""
    return copy.deepcopy(load(name)["response"])


COURSE = recorded("core_course_get_courses_by_field")["courses"][0]
CATEGORY = recorded("core_course_get_categories")[1]
COHORT = recorded("core_cohort_search_cohorts--by-idnumber")["cohorts"][0]
SCORM = recorded("mod_scorm_get_scorms_by_courses")["scorms"][0]
CATEGORY_TAKEN = recorded("core_course_create_categories--duplicate-idnumber")
USER = recorded("core_user_get_users_by_field")[0]
ENROLLED = recorded("core_enrol_get_enrolled_users")[0]
EVENT_READ = recorded("core_calendar_get_calendar_events")["events"][0]
EVENT_CREATED = recorded("core_calendar_create_calendar_events")["events"][0]
EVENT_EXPORTED = recorded("core_calendar_get_calendar_event_by_id")["event"]
EVENT_GONE = recorded("core_calendar_get_calendar_event_by_id--deleted")
EVENT_ALREADY_DELETED = recorded("core_calendar_delete_calendar_events--already-deleted")
INVALID = recorded("core_user_create_users--duplicate-username")
INVALID_DEBUG = recorded("core_user_create_users--invalid-email--debug")
SHORTNAME_TAKEN = recorded("core_course_duplicate_course--duplicate-shortname")
COHORT_TAKEN = recorded("core_cohort_create_cohorts--duplicate-idnumber")
ALREADY_MEMBER = recorded("core_cohort_add_cohort_members--already-member")["warnings"][0]
UNKNOWN_MEMBER = recorded("core_cohort_add_cohort_members--unknown-user-and-cohort")["warnings"][0]


@dataclass
class Fault:
    """Make the next `times` calls of `function` (whose params satisfy `when`) fail in a given way.

    kinds: "reset" (connection reset before Moodle sees it), "503" (gateway, not applied), "500" (HTTP 500
    after Moodle committed), "lost" (committed, then the connection drops before the reply).
    """

    function: str
    kind: str
    times: int = 1
    when: Callable[[dict[str, Any]], bool] = lambda params: True


class FakeMoodle:
    """Site with the template course `SCM-TEMPLATE` and category `SCM-2024`, like a prepared real site."""

    def __init__(
        self,
        rsps: responses.RequestsMock,
        *,
        template: bool = True,
        category: bool = True,
        max_input_vars: int | None = MAX_INPUT_VARS,
        delay: float = 0.0,
    ) -> None:
        self.max_input_vars = max_input_vars
        """PHP keeps this many form fields of a request and drops the rest (None: no limit)."""
        self.delay = delay
        """Seconds each call waits before it is answered: a round trip to a site further away."""
        self.ids = itertools.count(100)
        self.courses: dict[int, dict[str, Any]] = {}
        self.categories: dict[int, dict[str, Any]] = {}
        self.cohorts: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.members: dict[int, list[int]] = {}
        self.enrolments: dict[tuple[int, int], dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.scorms: list[dict[str, Any]] = []
        self.calls: Counter[str] = Counter()
        self.cut: Counter[str] = Counter()
        """Calls whose form PHP would have cut at `max_input_vars`, by function."""
        self.moves = 0
        self.form_updates = 0
        self.zone: dt.tzinfo = BERLIN
        """The token user's time zone, in which Moodle reads days and form dates (docs ask for Berlin)."""
        self.faults: list[Fault] = []
        self.delay_of: Callable[[str], float] | None = None
        """Seconds each call of a function waits (concurrency tests: random delays reorder calls)."""
        self._lock = threading.Lock()
        self.refuse_emails: set[str] = set()
        self.debug = False
        """Site debugging on: errors carry `debuginfo`, which may quote the refused value."""
        """Addresses Moodle refuses as invalid (an invalidparameter that rolls back the batch)."""
        if category:
            self.add_category("SCM-2024", "Durchgänge 2024")
        if template:
            self.add_course("SCM-TEMPLATE", "SCM-TEMPLATE", "Vorlage Smart City Manager", visible=False)
        rsps.add_callback(responses.POST, REST, callback=self._answer)

    # --- seeding ----------------------------------------------------------------------------------------

    def add_category(self, idnumber: str, name: str) -> int:
        record = {**copy.deepcopy(CATEGORY), "id": next(self.ids), "idnumber": idnumber, "name": name}
        self.categories[record["id"]] = record
        return int(record["id"])

    def add_course(self, idnumber: str, shortname: str, fullname: str, **values: Any) -> int:
        category = next(iter(self.categories), 1)
        record = {
            **copy.deepcopy(COURSE),
            "id": next(self.ids),
            "idnumber": idnumber,
            "shortname": shortname,
            "fullname": fullname,
            "displayname": fullname,
            "categoryid": category,
            "startdate": 0,
            "enddate": 0,
            "visible": 1,
        }
        record.update(
            {key: int(value) if isinstance(value, bool) else value for key, value in values.items()}
        )
        self.courses[record["id"]] = record
        return int(record["id"])

    def add_scorm(self, courseid: int, name: str) -> None:
        """A SCORM activity in a course; `lms setup` recognises the template by these names."""
        self.scorms.append({**copy.deepcopy(SCORM), "id": next(self.ids), "course": courseid, "name": name})

    def add_user(self, username: str, email: str, idnumber: str = "", **values: Any) -> int:
        record = self._user_record({"username": username, "email": email, "idnumber": idnumber, **values})
        self.users[record["id"]] = record
        return int(record["id"])

    def add_event(self, courseid: int, name: str, timestart: int, duration: int = 3600) -> int:
        record = {
            **copy.deepcopy(EVENT_READ),
            "id": next(self.ids),
            "name": name,
            "courseid": courseid,
            "timestart": timestart,
            "timeduration": duration,
            "repeatid": None,
        }
        self.events.append(record)
        return int(record["id"])

    # --- queries for assertions -------------------------------------------------------------------------

    def course(self, idnumber: str) -> dict[str, Any] | None:
        return next((c for c in self.courses.values() if c["idnumber"] == idnumber), None)

    def cohort(self, idnumber: str) -> dict[str, Any] | None:
        return next((c for c in self.cohorts.values() if c["idnumber"] == idnumber), None)

    def user(self, idnumber: str) -> dict[str, Any] | None:
        return next((u for u in self.users.values() if u["idnumber"] == idnumber), None)

    def course_events(self, courseid: int) -> list[tuple[str, int]]:
        return sorted((e["name"], e["timestart"]) for e in self.events if e["courseid"] == courseid)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    # --- transport --------------------------------------------------------------------------------------

    def _answer(self, request: PreparedRequest) -> Reply:
        if self.delay:
            time.sleep(self.delay)
        fields = form_fields(request)
        cut = self.max_input_vars is not None and len(fields) > self.max_input_vars
        params = unflatten(fields[: self.max_input_vars] if cut else fields)
        function = params.pop("wsfunction")
        if self.delay_of is not None:  # outside the lock: concurrent calls overtake each other
            time.sleep(self.delay_of(function))
        with self._lock:  # one request at a time changes the site, like Moodle's transactions
            if cut:
                self.cut[function] += 1
            return self._locked_answer(function, params, cut)

    def _locked_answer(self, function: str, params: dict[str, Any], cut: bool) -> Reply:
        self.calls[function] += 1
        if params.pop("wstoken") != TOKEN_VALUE:
            return self._json(recorded("core_webservice_get_site_info--invalid-token"))
        fault = next((f for f in self.faults if f.function == function and f.times and f.when(params)), None)
        if fault is not None:
            fault.times -= 1
            if fault.kind == "reset":
                raise requests.ConnectionError("Connection reset by peer")
            if fault.kind == "503":
                return 503, {"Content-Type": "text/html"}, "<html><body>503 Service Unavailable</body></html>"
        try:
            reply = getattr(self, function)(params)
        except KeyError:
            if not cut:
                raise
            return self._json(INVALID)  # a required parameter fell past max_input_vars
        if fault is not None and fault.kind == "500":
            return 500, {"Content-Type": "text/html"}, "<!DOCTYPE html><html>Fatal error</html>"
        if fault is not None and fault.kind == "lost":
            raise requests.ConnectionError("Connection aborted: reply lost")
        return self._json(reply)

    @staticmethod
    def _json(data: Any) -> Reply:
        return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(data)

    # --- site -------------------------------------------------------------------------------------------

    def core_webservice_get_site_info(self, params: dict[str, Any]) -> Any:
        return recorded("core_webservice_get_site_info")  # token user: admin, id 2, userissiteadmin

    # --- courses ----------------------------------------------------------------------------------------

    def core_course_get_courses_by_field(self, params: dict[str, Any]) -> Any:
        field, value = params.get("field", ""), params.get("value", "")
        found = [c for c in self.courses.values() if not field or str(c[field]) == value]
        return {"courses": copy.deepcopy(found), "warnings": []}

    def core_course_get_categories(self, params: dict[str, Any]) -> Any:
        criterion = params["criteria"][0]
        return [c for c in self.categories.values() if str(c[criterion["key"]]) == criterion["value"]]

    def core_course_create_categories(self, params: dict[str, Any]) -> Any:
        taken = {c["idnumber"] for c in self.categories.values()}
        if any(row.get("idnumber") in taken for row in params["categories"]):
            return CATEGORY_TAKEN
        created = []
        for row in params["categories"]:
            number = self.add_category(row.get("idnumber", ""), row["name"])
            created.append({"id": number, "name": row["name"]})
        return created

    def core_course_duplicate_course(self, params: dict[str, Any]) -> Any:
        if any(c["shortname"] == params["shortname"] for c in self.courses.values()):
            return SHORTNAME_TAKEN
        source = self.courses[int(params["courseid"])]
        record = {
            **copy.deepcopy(source),
            "id": next(self.ids),
            "idnumber": "",
            "fullname": params["fullname"],
            "displayname": params["fullname"],
            "shortname": params["shortname"],
            "categoryid": int(params["categoryid"]),
            "visible": int(params.get("visible", 1)),
        }
        self.courses[record["id"]] = record
        return {"id": record["id"], "shortname": record["shortname"]}

    def core_course_update_courses(self, params: dict[str, Any]) -> Any:
        for row in params["courses"]:
            course = self.courses[int(row.pop("id"))]
            for key, value in row.items():
                course[key] = value if key in ("idnumber", "fullname", "shortname") else int(value)
        return {"warnings": []}

    def mod_scorm_get_scorms_by_courses(self, params: dict[str, Any]) -> Any:
        wanted = {int(number) for number in params.get("courseids", [])}
        return {"scorms": [copy.deepcopy(s) for s in self.scorms if s["course"] in wanted], "warnings": []}

    # --- cohorts ----------------------------------------------------------------------------------------

    def core_cohort_search_cohorts(self, params: dict[str, Any]) -> Any:
        query = params["query"].lower()
        hits = [
            c for c in self.cohorts.values() if query in c["name"].lower() or query in c["idnumber"].lower()
        ]
        return {"cohorts": copy.deepcopy(hits)}

    def core_cohort_create_cohorts(self, params: dict[str, Any]) -> Any:
        taken = {c["idnumber"] for c in self.cohorts.values()}
        if any(row["idnumber"] in taken for row in params["cohorts"]):
            return COHORT_TAKEN
        created = []
        for row in params["cohorts"]:
            record = {
                **copy.deepcopy(COHORT),
                "id": next(self.ids),
                "name": row["name"],
                "idnumber": row["idnumber"],
                "visible": row.get("visible", "1") == "1",
            }
            self.cohorts[record["id"]] = record
            self.members[record["id"]] = []
            created.append({k: v for k, v in record.items() if k != "customfields"})
        return created

    def core_cohort_update_cohorts(self, params: dict[str, Any]) -> Any:
        for row in params["cohorts"]:
            cohort = self.cohorts[int(row["id"])]
            cohort.update(name=row["name"], idnumber=row["idnumber"], visible=row.get("visible", "1") == "1")
        return None

    def core_cohort_get_cohort_members(self, params: dict[str, Any]) -> Any:
        return [
            {"cohortid": int(i), "userids": list(self.members.get(int(i), []))} for i in params["cohortids"]
        ]

    def core_cohort_add_cohort_members(self, params: dict[str, Any]) -> Any:
        warnings = []
        for row in params["members"]:
            ctype, cvalue = row["cohorttype"]["type"], row["cohorttype"]["value"]
            utype, uvalue = row["usertype"]["type"], row["usertype"]["value"]
            cohort = next((c for c in self.cohorts.values() if str(c[ctype]) == cvalue), None)
            user = next((u for u in self.users.values() if str(u[utype]) == uvalue), None)
            if user is None or cohort is None:
                what = f"user {utype}={uvalue}" if user is None else f"cohort {ctype}={cvalue}"
                warnings.append({**UNKNOWN_MEMBER, "message": f"{what} not exists"})
            elif user["id"] in self.members[cohort["id"]]:
                message = f"record already exists: cohort(id={cohort['id']} id={user['id']})"
                warnings.append({**ALREADY_MEMBER, "message": message})
            else:
                self.members[cohort["id"]].append(user["id"])
        return {"warnings": warnings}

    def core_cohort_delete_cohort_members(self, params: dict[str, Any]) -> Any:
        for row in params["members"]:
            listed = self.members.get(int(row["cohortid"]), [])
            if int(row["userid"]) in listed:
                listed.remove(int(row["userid"]))
        return None

    # --- users ------------------------------------------------------------------------------------------

    def _user_record(self, row: dict[str, Any]) -> dict[str, Any]:
        record = {key: value for key, value in copy.deepcopy(USER).items() if key != "customfields"}
        record.update(
            id=next(self.ids), idnumber="", department="", city="", country="", lang="de", suspended=False
        )
        record.update({k: v for k, v in row.items() if k not in ("createpassword", "password")})
        record["fullname"] = f"{record['firstname']} {record['lastname']}"
        return record

    def core_user_get_users_by_field(self, params: dict[str, Any]) -> Any:
        field = params["field"]
        values = {str(v).lower() if field == "email" else str(v) for v in params.get("values", [])}
        key: Callable[[dict[str, Any]], str] = (
            (lambda u: str(u[field]).lower()) if field == "email" else (lambda u: str(u[field]))
        )
        return [copy.deepcopy(u) for u in self.users.values() if key(u) in values and u[field] != ""]

    def core_user_create_users(self, params: dict[str, Any]) -> Any:
        rows = params["users"]
        usernames = {u["username"] for u in self.users.values()}
        emails = {u["email"].lower() for u in self.users.values()}
        for row in rows:  # one transaction: any bad row and nothing is created
            bad = (
                not PARAM_USERNAME.match(row["username"])
                or row["username"] in usernames
                or row["email"].lower() in emails
                or "@" not in row["email"]
                or row["email"].lower() in self.refuse_emails
                or not (row.get("password") or row.get("createpassword") == "1")
            )
            if bad and self.debug:  # site debugging on: Moodle names the row in debuginfo
                return {**INVALID_DEBUG, "debuginfo": f"Email address is invalid: {row['email']}"}
            if bad:
                return INVALID
            usernames.add(row["username"])
            emails.add(row["email"].lower())
        created = []
        for row in rows:
            record = self._user_record(dict(row))
            self.users[record["id"]] = record
            created.append({"id": record["id"], "username": record["username"]})
        return created

    def core_user_update_users(self, params: dict[str, Any]) -> Any:
        for row in params["users"]:
            user = self.users[int(row.pop("id"))]
            for key, value in row.items():
                user[key] = value == "1" if key == "suspended" else value
        return {"warnings": []}

    # --- enrolments -------------------------------------------------------------------------------------

    def enrol_manual_enrol_users(self, params: dict[str, Any]) -> Any:
        rows = params["enrolments"]
        if any(int(r["userid"]) not in self.users or int(r["courseid"]) not in self.courses for r in rows):
            return INVALID
        for row in rows:  # re-enrolling overwrites: what is not sent becomes 0 / active
            self.enrolments[(int(row["courseid"]), int(row["userid"]))] = {
                "roleid": int(row["roleid"]),
                "timestart": int(row.get("timestart", 0)),
                "timeend": int(row.get("timeend", 0)),
                "suspend": row.get("suspend", "0") == "1",
            }
        return None

    def enrol_manual_unenrol_users(self, params: dict[str, Any]) -> Any:
        for row in params["enrolments"]:
            self.enrolments.pop((int(row["courseid"]), int(row["userid"])), None)
        return None

    def core_enrol_get_enrolled_users(self, params: dict[str, Any]) -> Any:
        courseid = int(params["courseid"])
        course = self.courses[courseid]
        result = []
        for (cid, userid), enrolment in sorted(self.enrolments.items()):
            if cid != courseid:
                continue
            user = self.users[userid]
            record = {key: value for key, value in copy.deepcopy(ENROLLED).items() if key != "customfields"}
            record.update(
                {
                    key: user[key]
                    for key in (
                        "id",
                        "username",
                        "firstname",
                        "lastname",
                        "fullname",
                        "email",
                        "institution",
                        "idnumber",
                    )
                }
            )
            record["roles"] = [{**ENROLLED["roles"][0], "roleid": enrolment["roleid"]}]
            record["enrolledcourses"] = [
                {"id": courseid, "fullname": course["fullname"], "shortname": course["shortname"]}
            ]
            result.append(record)
        return result

    def core_user_get_course_user_profiles(self, params: dict[str, Any]) -> Any:
        """No recording exists: shaped after the recorded core_enrol_get_enrolled_users entry, which Moodle
        builds with the same user_get_user_details(); roles only in the asked course's own context, the
        enrolled courses only where the enrolment is active (user/lib.php), pairs keyed by userid."""
        asked = {int(row["userid"]): int(row["courseid"]) for row in params["userlist"]}
        result = []
        for userid, courseid in asked.items():
            if userid not in self.users:
                continue
            user = self.users[userid]
            record = {k: v for k, v in copy.deepcopy(ENROLLED).items() if k not in ("customfields", "groups")}
            record.update({key: user[key] for key in ("id", "username", "fullname", "email", "idnumber")})
            here = self.enrolments.get((courseid, userid))
            record["roles"] = [{**ENROLLED["roles"][0], "roleid": here["roleid"]}] if here else []
            record["enrolledcourses"] = [
                {
                    "id": cid,
                    "fullname": self.courses[cid]["fullname"],
                    "shortname": self.courses[cid]["shortname"],
                }
                for (cid, uid), enrolment in sorted(self.enrolments.items())
                if uid == userid and not enrolment["suspend"]
            ]
            result.append(record)
        return result

    # --- calendar ---------------------------------------------------------------------------------------

    def core_calendar_get_calendar_events(self, params: dict[str, Any]) -> Any:
        courseids = {int(i) for i in params["events"]["courseids"]}
        start, end = int(params["options"]["timestart"]), int(params["options"]["timeend"])
        found = [e for e in self.events if e["courseid"] in courseids and start <= e["timestart"] <= end]
        return {"events": copy.deepcopy(found), "warnings": []}

    def core_calendar_create_calendar_events(self, params: dict[str, Any]) -> Any:
        created = []
        for row in params["events"]:
            record = {
                **copy.deepcopy(EVENT_CREATED),
                "id": next(self.ids),
                "name": row["name"],
                "description": row.get("description", ""),
                "courseid": int(row["courseid"]),
                "timestart": int(row["timestart"]),
                "timeduration": int(row.get("timeduration", 0)),
            }
            self.events.append({**copy.deepcopy(EVENT_READ), **record, "repeatid": None})
            created.append(record)
        return {"events": created, "warnings": []}

    def event(self, eventid: int) -> dict[str, Any] | None:
        return next((e for e in self.events if e["id"] == eventid), None)

    def _exported(self, event: dict[str, Any]) -> dict[str, Any]:
        """The recorded exporter shape (get by id, move, form submit) with this event's values."""
        course = self.courses[event["courseid"]]
        values = {key: event[key] for key in ("id", "name", "description", "timestart", "timeduration")}
        return {
            **copy.deepcopy(EVENT_EXPORTED),
            **values,
            "course": {**EVENT_EXPORTED["course"], **{k: course[k] for k in ("id", "shortname", "idnumber")}},
        }

    def core_calendar_get_calendar_event_by_id(self, params: dict[str, Any]) -> Any:
        event = self.event(int(params["eventid"]))
        return EVENT_GONE if event is None else {"event": self._exported(event), "warnings": []}

    def core_calendar_update_event_start_day(self, params: dict[str, Any]) -> Any:
        """Like the recording: the day of `daytimestamp` in the token user's zone, the time of day kept there
        (the recorded site's user was in UTC and kept 09:00 UTC)."""
        event = self.event(int(params["eventid"]))
        assert event is not None
        old = dt.datetime.fromtimestamp(event["timestart"], self.zone)
        day = dt.datetime.fromtimestamp(int(params["daytimestamp"]), self.zone).date()
        event["timestart"] = int(dt.datetime.combine(day, old.time(), tzinfo=self.zone).timestamp())
        self.moves += 1
        return {"event": self._exported(event)}

    def core_calendar_submit_create_update_form(self, params: dict[str, Any]) -> Any:
        """No recording: shaped after calendar/externallib.php (formdata parsed like parse_str, the update
        form's fields, date parts read in the token user's zone); reply as the exporter."""
        data = dict(parse_qsl(params["formdata"], keep_blank_values=True))
        event = self.event(int(data["id"]))
        assert event is not None and data.get("_qf__core_calendar_local_event_forms_update") == "1"
        year, month, day, hour, minute = (
            int(data[f"timestart[{name}]"]) for name in ("year", "month", "day", "hour", "minute")
        )
        start = dt.datetime(year, month, day, hour, minute, tzinfo=self.zone)
        event.update(
            name=data["name"],
            description=data["description[text]"],
            timestart=int(start.timestamp()),
            timeduration=int(data["timedurationminutes"]) * 60 if data["duration"] == "2" else 0,
        )
        self.form_updates += 1
        return {"event": self._exported(event)}

    def core_calendar_delete_calendar_events(self, params: dict[str, Any]) -> Any:
        for row in params["events"]:
            event = self.event(int(row["eventid"]))
            if event is None:
                return EVENT_ALREADY_DELETED
            self.events.remove(event)
        return None


# --- a programme office's working folder ----------------------------------------------------------------

CSV_HEADER = (
    "Vorname;Nachname;Dienstliche E-Mail;Kommune;Bundesland;Gewünschte Durchgänge;"
    "Alternativer Durchgang möglich;Anmeldezeitpunkt;Status"
)
FIRST = ("Jürgen", "Änne", "Özlem", "Björn", "Käthe", "Grit", "Heiko", "Ines", "Jörg", "Mia")
LAST = ("Weiß", "Müller", "Yılmaz", "Schröder", "Groß", "Krause", "Lehmann", "Wagner", "Böhm", "Vogel")


def person(number: int) -> tuple[str, str, str]:
    first, last = FIRST[number % len(FIRST)], LAST[(number // len(FIRST)) % len(LAST)]
    return first, last, f"person{number:03d}@kommune{number % 7}.example.de"


def write_registrations(
    path: Path, wanted: Sequence[str], *, withdrawn: Collection[int] = (), start: int = 0
) -> None:
    """One row per entry of `wanted` (a Durchgang key), registered in that order, German Excel format."""
    rows = [CSV_HEADER]
    for offset, key in enumerate(wanted):
        number = start + offset
        first, last, email = person(number)
        status = "zurückgezogen" if number in withdrawn else "angemeldet"
        stamp = f"01.03.2024 {8 + number // 60:02d}:{number % 60:02d}"
        rows.append(f"{first};{last};{email};Stadt {number % 7};SN;{key};nein;{stamp};{status}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")


def office(folder: Path, wanted: Sequence[str], *, seats: int = 30, withdrawn: Collection[int] = ()) -> Path:
    """A folder with the example programme (all seats set to `seats`) and the admitted ledger; returns
    the programme file."""
    programme = folder / "programme.yaml"
    text = (ROOT / "examples" / "programme-2024.yaml").read_text(encoding="utf-8")
    programme.write_text(re.sub(r"seats: \d+", f"seats: {seats}", text), encoding="utf-8")
    admit(programme, wanted, withdrawn=withdrawn)
    return programme


def admit(programme: Path, wanted: Sequence[str], *, withdrawn: Collection[int] = ()) -> None:
    """What `scm-lms admit` does with a registration export: import, record in the ledger, decide."""
    csv = programme.parent / "anmeldungen.csv"
    write_registrations(csv, wanted, withdrawn=withdrawn)
    loaded = load_programme(programme)
    imported = load_registrations(csv, loaded.keys).registrations
    with Ledger.open(programme.parent / DEFAULT_NAME) as ledger:
        ledger.register(imported, csv.name)
        ledger.record(decide(offers_of(loaded), ledger.registrations(), ledger.decisions()))


def site_env(tmp: Path) -> dict[str, str]:
    """Environment pointing the CLI at the fake site (and away from any real user config)."""
    config = str(tmp / "config")
    return {
        "SCM_MOODLE_URL": SITE,
        "SCM_MOODLE_TOKEN": TOKEN_VALUE,
        "XDG_CONFIG_HOME": config,
        "COLUMNS": "200",
    }


def lms(programme: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(
        cli, ["lms", *args, "--programme", str(programme)], env=env, catch_exceptions=False, obj=NO_BACKOFF
    )


def fake_client(**options: Any) -> MoodleClient:
    options.setdefault("sleep", lambda seconds: None)
    options.setdefault("retry", RetryPolicy(attempts=3))
    return MoodleClient(SITE, Secret(TOKEN_VALUE), **options)
