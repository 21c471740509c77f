"""User accounts (`core_user_*`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from scm_lms.moodle.inputs import NewUser, UserUpdate
from scm_lms.moodle.models import CreatedUser, Reply, User
from scm_lms.moodle.parsing import read_many_list
from scm_lms.moodle.results import WriteResult, name_site_wide_refusal, write_rows
from scm_lms.moodle.transport import MoodleClient
from scm_lms.moodle.verify import all_or_none, resend_is_safe

UserField = Literal["id", "idnumber", "username", "email"]


def get_users(client: MoodleClient, field: UserField, values: Sequence[str | int]) -> list[User]:
    """Users whose `field` is one of `values` (missing ones are simply absent); split to fit the budget."""
    return read_many_list(
        client, User, "core_user_get_users_by_field", "values", list(values), {"field": field}
    )


def create_users(client: MoodleClient, users: Sequence[NewUser]) -> WriteResult[CreatedUser]:
    """Create accounts. A row Moodle refuses (duplicate username or e-mail, bad address, missing field) is
    isolated and reported by username; the other rows are still created."""

    def verify(rows: Sequence[Any]) -> Any:
        names = [row["username"] for row in rows]
        found = {user.username: user for user in get_users(client, "username", names)}
        return all_or_none(
            "core_user_create_users",
            [{"id": found[n].id, "username": n} if n in found else None for n in names],
        )

    result: WriteResult[CreatedUser] = write_rows(
        client,
        "core_user_create_users",
        "users",
        users,
        describe=lambda u: u.username,
        verify=verify,
        model=CreatedUser,
    )
    return name_site_wide_refusal(result, len(users))


def update_users(client: MoodleClient, updates: Sequence[UserUpdate]) -> WriteResult[Reply]:
    """Change accounts; rows Moodle skips (unknown id, invalid or duplicate e-mail) come back as warnings."""
    return write_rows(
        client,
        "core_user_update_users",
        "users",
        updates,
        describe=lambda u: u.username or f"user id {u.id}",
        verify=resend_is_safe,
    )
