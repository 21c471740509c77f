"""Replays of cohorts, users, enrolments and groups: exact request fields and typed results."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from scm_lms.moodle import (
    AccessDenied,
    CohortMember,
    CohortMemberRemoval,
    CohortUpdate,
    DuplicateKey,
    Enrolment,
    GroupMember,
    InvalidParameter,
    NewCohort,
    NewGroup,
    NewUser,
    NotFound,
    OtherMoodleError,
    Unenrolment,
    UserUpdate,
    cohorts,
    enrolments,
    users,
)
from testkit.moodle_replay import recorded_params, replaying

D2 = "Smart City Manager – Durchgang 2 (Sep/Okt 2024)"
D2_TEXT = "<p>Teilnehmende aus Görlitz, Bautzen, Zittau und Weißwasser</p>"
PASSWORD = SecretStr("Lernen!2024")


def test_search_cohorts_by_context_id() -> None:
    with replaying("core_cohort_search_cohorts") as moodle:
        found = cohorts.search_cohorts(moodle, "Smart City", context={"contextid": 1})
    assert [c.idnumber for c in found] == ["SCM-2024-D2", "SCM-2024-D3"]


def test_find_cohort_by_exact_idnumber() -> None:
    with replaying("core_cohort_search_cohorts--by-idnumber") as moodle:
        cohort = cohorts.search_cohorts(moodle, "SCM-2024-D2", includes="self")[0]
    assert (cohort.id, cohort.name, cohort.visible) == (1, D2, True)


def test_get_cohorts() -> None:
    with replaying("core_cohort_get_cohorts", "core_cohort_get_cohorts--nonexistent") as moodle:
        assert [c.idnumber for c in cohorts.get_cohorts(moodle, [1])] == ["SCM-2024-D2"]
        assert cohorts.get_cohorts(moodle, [999999]) == []


def test_create_cohorts() -> None:
    with replaying(
        "core_cohort_create_cohorts", "core_cohort_create_cohorts--category-by-idnumber"
    ) as moodle:
        system = cohorts.create_cohorts(
            moodle,
            [
                NewCohort(
                    name=D2, idnumber="SCM-2024-D2", description=D2_TEXT, descriptionformat=1, visible=True
                )
            ],
        )
        in_category = cohorts.create_cohorts(
            moodle,
            [
                NewCohort(
                    category_type="idnumber",
                    category="SCM",
                    name="Smart City Manager – Durchgang 3 (Nov/Dez 2024)",
                    idnumber="SCM-2024-D3",
                )
            ],
        )
    assert [(c.id, c.idnumber) for c in system.records + in_category.records] == [
        (1, "SCM-2024-D2"),
        (2, "SCM-2024-D3"),
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("core_cohort_create_cohorts--duplicate-idnumber", InvalidParameter),
        ("core_cohort_create_cohorts--duplicate-idnumber--debug", DuplicateKey),
    ],
)
def test_duplicate_cohort_is_reported_by_idnumber(name: str, kind: type[Exception]) -> None:
    with replaying(name) as moodle:
        result = cohorts.create_cohorts(moodle, [NewCohort(name=D2, idnumber="SCM-2024-D2")])
    assert [f.label for f in result.failures] == ["SCM-2024-D2"]
    assert type(result.failures[0].error) is kind


def test_update_cohorts() -> None:
    update = CohortUpdate(
        id=1, name=D2, idnumber="SCM-2024-D2", description="<p>Teilnehmende aus vier sächsischen Kommunen</p>"
    )
    with replaying("core_cohort_update_cohorts") as moodle:
        assert cohorts.update_cohorts(moodle, [update]).ok


def test_cohort_members() -> None:
    names = ["juergen.weiss", "aenne.mueller", "oezlem.yilmaz", "bjoern.schroeder"]
    members = [
        CohortMember(cohort_type="idnumber", cohort="SCM-2024-D2", user_type="username", user=n)
        for n in names
    ]
    with replaying(
        "core_cohort_add_cohort_members",
        "core_cohort_get_cohort_members",
        "core_cohort_delete_cohort_members",
        "core_cohort_delete_cohort_members--not-a-member",
    ) as moodle:
        assert cohorts.add_cohort_members(moodle, members).ok
        assert [(m.cohortid, m.userids) for m in cohorts.get_cohort_members(moodle, [1])] == [
            (1, [4, 6, 3, 5])
        ]
        assert cohorts.delete_cohort_members(moodle, [CohortMemberRemoval(cohortid=1, userid=6)]).ok
        assert cohorts.delete_cohort_members(moodle, [CohortMemberRemoval(cohortid=1, userid=7)]).ok


def test_cohort_member_problems_are_warnings_not_errors() -> None:
    with replaying(
        "core_cohort_add_cohort_members--already-member",
        "core_cohort_add_cohort_members--unknown-user-and-cohort",
    ) as moodle:
        again = cohorts.add_cohort_members(
            moodle, [CohortMember(cohort_type="id", cohort="1", user_type="id", user="3")]
        )
        unknown = cohorts.add_cohort_members(
            moodle,
            [
                CohortMember(
                    cohort_type="idnumber", cohort="SCM-2024-D2", user_type="username", user="gibt.es.nicht"
                ),
                CohortMember(
                    cohort_type="idnumber",
                    cohort="SCM-GIBT-ES-NICHT",
                    user_type="username",
                    user="juergen.weiss",
                ),
            ],
        )
    assert [w.warningcode for w in again.warnings] == ["3"]
    assert [w.warningcode for w in unknown.warnings] == ["2", "2"]
    assert "gibt.es.nicht" in unknown.warnings[0].message


def test_get_users_by_username() -> None:
    with replaying("core_user_get_users_by_field") as moodle:
        found = users.get_users(moodle, "username", ["juergen.weiss", "aenne.mueller"])
    juergen = found[0]
    assert (juergen.id, juergen.fullname, juergen.idnumber, juergen.institution) == (
        3,
        "Jürgen Weiß",
        "SCM-2024-D2-001",
        "Stadt Görlitz",
    )
    assert juergen.customfield("scm_certificate") == "SCM-2024-D2-001-ZERT"
    assert found[1].username == "aenne.mueller"


@pytest.mark.parametrize(
    ("name", "field", "value", "expected"),
    [
        ("core_user_get_users_by_field--email", "email", "oezlem.yilmaz@zittau.example.de", [5]),
        ("core_user_get_users_by_field--idnumber", "idnumber", "SCM-2024-D2-004", [6]),
        ("core_user_get_users_by_field--not-found", "username", "gibt.es.nicht", []),
        ("core_user_get_users_by_field--after-failed-batch", "username", "gudrun.koehler", []),
    ],
)
def test_get_users_by_other_fields(
    name: str, field: users.UserField, value: str, expected: list[int]
) -> None:
    with replaying(name) as moodle:
        assert [u.id for u in users.get_users(moodle, field, [value])] == expected


def test_sparse_indexes_are_accepted_by_moodle() -> None:
    with replaying("core_user_get_users_by_field--sparse-indexes") as moodle:
        found = moodle.read(
            "core_user_get_users_by_field", recorded_params("core_user_get_users_by_field--sparse-indexes")
        )
    assert [u["username"] for u in found] == ["juergen.weiss", "aenne.mueller"]


def _juergen(**changes: object) -> NewUser:
    fields: dict[str, object] = dict(
        username="juergen.weiss",
        password=PASSWORD,
        firstname="Jürgen",
        lastname="Weiß",
        email="juergen.weiss@goerlitz.example.de",
        auth="manual",
        institution="Stadt Görlitz",
        department="Amt für Digitalisierung",
        city="Görlitz",
        country="DE",
        timezone="Europe/Berlin",
        idnumber="SCM-2024-D2-001",
    )
    return NewUser.model_validate({**fields, **changes})


def test_create_users_with_profile_field() -> None:
    aenne = _juergen(
        username="aenne.mueller",
        firstname="Änne",
        lastname="Müller",
        email="aenne.mueller@lra-bautzen.example.de",
        institution="Landkreis Bautzen",
        department="Stabsstelle Smart City",
        city="Bautzen",
        idnumber="SCM-2024-D2-002",
        customfields={"scm_certificate": "offen"},
    )
    with replaying("core_user_create_users") as moodle:
        result = users.create_users(moodle, [_juergen(customfields={"scm_certificate": "offen"}), aenne])
    assert [(u.id, u.username) for u in result.records] == [(3, "juergen.weiss"), (4, "aenne.mueller")]
    assert "Lernen" not in repr(aenne)


def test_create_trainer_with_own_password() -> None:
    trainer = NewUser(
        username="kaethe.gross",
        createpassword=False,
        password=SecretStr("Lehren!2024"),
        firstname="Käthe",
        lastname="Groß",
        email="kaethe.gross@scm-akademie.example.de",
        institution="SCM Akademie",
        city="Dresden",
        country="DE",
    )
    with replaying("core_user_create_users--trainer") as moodle:
        assert [u.id for u in users.create_users(moodle, [trainer]).records] == [7]


@pytest.mark.parametrize(
    ("name", "user", "kind", "detail"),
    [
        (
            "core_user_create_users--duplicate-username",
            _juergen(),
            InvalidParameter,
            "Invalid parameter value detected",
        ),
        (
            "core_user_create_users--duplicate-username--debug",
            _juergen(),
            DuplicateKey,
            "Username already exists: juergen.weiss",
        ),
        (
            "core_user_create_users--duplicate-email",
            _juergen(username="juergen.weiss2", idnumber="SCM-2024-D2-901"),
            InvalidParameter,
            "Invalid parameter value detected",
        ),
        (
            "core_user_create_users--invalid-email--debug",
            _juergen(username="max.mustermann", email="max.mustermann(at)goerlitz", idnumber=""),
            InvalidParameter,
            "Email address is invalid: max.mustermann(at)goerlitz",
        ),
        (
            "core_user_create_users--username-uppercase",
            NewUser(
                username="Hans.Zimmer",
                password=PASSWORD,
                firstname="Hans",
                lastname="Zimmer",
                email="hz@example.de",
            ),
            InvalidParameter,
            "Invalid parameter value detected",
        ),
        (
            "core_user_create_users--username-with-umlaut",
            NewUser(
                username="jürgen.weiß",
                password=PASSWORD,
                firstname="Jürgen",
                lastname="Weiß",
                email="jw@example.de",
            ),
            InvalidParameter,
            "Invalid parameter value detected",
        ),
    ],
)
def test_refused_users_are_named(name: str, user: NewUser, kind: type[Exception], detail: str) -> None:
    with replaying(name) as moodle:
        result = users.create_users(moodle, [user])
    assert result.records == []
    [failure] = result.failures
    assert (failure.label, type(failure.error), failure.error.detail) == (user.username, kind, detail)


def test_missing_required_field_detail_from_debuginfo() -> None:
    row = recorded_params("core_user_create_users--missing-required-field--debug")["users"]
    with replaying("core_user_create_users--missing-required-field--debug") as moodle:
        outcome = moodle.write_many(
            "core_user_create_users", "users", row, describe=lambda i: row[i]["username"]
        )
    assert [str(f) for f in outcome.failures] == [
        "ohne.nachname: invalidparameter – users => Invalid parameter value detected: "
        "Missing required key in single structure: lastname"
    ]


def test_custom_field_unknown_to_moodle_is_ignored_by_it() -> None:
    user = NewUser(
        username="unbekannt.feld",
        password=PASSWORD,
        firstname="Uwe",
        lastname="Feld",
        email="uf@example.de",
        customfields={"gibt_es_nicht": "x"},
    )
    with replaying("core_user_create_users--unknown-customfield") as moodle:
        assert [u.id for u in users.create_users(moodle, [user]).records] == [8]


def test_learner_token_cannot_create_users() -> None:
    user = NewUser(username="hacker", password=PASSWORD, firstname="H", lastname="A", email="h@example.de")
    with replaying("core_user_create_users--learner-no-capability") as moodle, pytest.raises(AccessDenied):
        users.create_users(moodle, [user])


def test_update_users_and_their_warnings() -> None:
    with replaying(
        "core_user_update_users",
        "core_user_update_users--invalid-email",
        "core_user_update_users--nonexistent-user",
    ) as moodle:
        ok = users.update_users(
            moodle,
            [
                UserUpdate(
                    id=3,
                    department="Amt für Digitalisierung und IT",
                    customfields={"scm_certificate": "SCM-2024-D2-001-ZERT"},
                )
            ],
        )
        bad_mail = users.update_users(moodle, [UserUpdate(id=4, email="aenne.mueller(at)bautzen")])
        unknown = users.update_users(moodle, [UserUpdate(id=999999, firstname="Niemand")])
    assert ok.ok
    assert [(w.itemid, w.warningcode) for w in bad_mail.warnings] == [(4, "useremailinvalid")]
    assert [(w.itemid, w.warningcode) for w in unknown.warnings] == [(999999, "invaliduserid")]


def test_enrol_and_unenrol() -> None:
    students = [Enrolment(roleid=5, userid=uid, courseid=3, timestart=1725228000) for uid in (3, 4, 5, 6)]
    with replaying(
        "enrol_manual_enrol_users",
        "enrol_manual_enrol_users--teacher",
        "enrol_manual_enrol_users--already-enrolled",
        "enrol_manual_unenrol_users",
    ) as moodle:
        assert enrolments.enrol(moodle, students).ok
        assert enrolments.enrol(moodle, [Enrolment(roleid=3, userid=7, courseid=3)]).ok
        assert enrolments.enrol(moodle, [Enrolment(roleid=5, userid=3, courseid=3)]).ok
        assert enrolments.unenrol(moodle, [Unenrolment(userid=6, courseid=3)]).ok


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("enrol_manual_enrol_users--nonexistent-course", Enrolment(roleid=5, userid=3, courseid=99999)),
        (
            "enrol_manual_enrol_users--nonexistent-course--debug",
            Enrolment(roleid=5, userid=3, courseid=99999),
        ),
    ],
)
def test_enrolment_in_missing_course_is_isolated(name: str, row: Enrolment) -> None:
    with replaying(name) as moodle:
        result = enrolments.enrol(moodle, [row])
    assert [f.label for f in result.failures] == ["user 3 in course 99999"]


@pytest.mark.parametrize(
    ("name", "row", "kind"),
    [
        (
            "enrol_manual_enrol_users--nonexistent-role",
            Enrolment(roleid=99999, userid=3, courseid=3),
            OtherMoodleError,
        ),
        (
            "enrol_manual_enrol_users--nonexistent-user",
            Enrolment(roleid=5, userid=999999, courseid=3),
            OtherMoodleError,
        ),
        (
            "enrol_manual_enrol_users--learner-no-capability",
            Enrolment(roleid=5, userid=3, courseid=3),
            AccessDenied,
        ),
    ],
)
def test_enrolment_errors_raise(name: str, row: Enrolment, kind: type[Exception]) -> None:
    with replaying(name) as moodle, pytest.raises(kind):
        enrolments.enrol(moodle, [row])


def test_unenrol_from_missing_course() -> None:
    with replaying("enrol_manual_unenrol_users--nonexistent-course") as moodle, pytest.raises(NotFound):
        enrolments.unenrol(moodle, [Unenrolment(userid=6, courseid=99999)])


def test_enrolled_users() -> None:
    with replaying("core_enrol_get_enrolled_users", "core_enrol_get_enrolled_users--userfields") as moodle:
        everyone = enrolments.get_enrolled_users(moodle, 3)
        active = enrolments.get_enrolled_users(
            moodle, 3, userfields=["id", "username", "idnumber", "customfields"], only_active=True
        )
    assert [r.shortname for r in everyone[0].roles] == ["student"]
    assert [(u.id, u.idnumber) for u in active] == [
        (3, "SCM-2024-D2-001"),
        (4, "SCM-2024-D2-002"),
        (5, "SCM-2024-D2-003"),
        (7, ""),
    ]


def test_groups() -> None:
    groups = [
        NewGroup(
            courseid=3,
            name="Landkreis Görlitz",
            description="Teilnehmende aus dem Landkreis Görlitz",
            idnumber="SCM-2024-D2-LK-GR",
        ),
        NewGroup(courseid=3, name="Landkreis Bautzen", idnumber="SCM-2024-D2-LK-BZ"),
    ]
    members = [
        GroupMember(groupid=1, userid=3),
        GroupMember(groupid=1, userid=5),
        GroupMember(groupid=2, userid=4),
    ]
    with replaying("core_group_create_groups", "core_group_add_group_members") as moodle:
        created = enrolments.create_groups(moodle, groups)
        assert enrolments.add_group_members(moodle, members).ok
    assert [(g.id, g.idnumber) for g in created.records] == [
        (1, "SCM-2024-D2-LK-GR"),
        (2, "SCM-2024-D2-LK-BZ"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "core_group_add_group_members--user-not-enrolled",
        "core_group_add_group_members--user-not-enrolled--debug",
    ],
)
def test_group_member_not_enrolled_is_isolated(name: str) -> None:
    with replaying(name) as moodle:
        result = enrolments.add_group_members(moodle, [GroupMember(groupid=1, userid=6)])
    assert [f.label for f in result.failures] == ["user 6 → group 1"]


def test_duplicate_group_name_is_isolated() -> None:
    with replaying("core_group_create_groups--duplicate-name") as moodle:
        result = enrolments.create_groups(moodle, [NewGroup(courseid=3, name="Landkreis Görlitz")])
    assert [f.label for f in result.failures] == ["Landkreis Görlitz"]
