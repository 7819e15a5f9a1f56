"""Cohorts, assignments and invitations on a migrated database, on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest

from sandbox import cohorts
from sandbox.models import utcnow
from tests.db.test_reviews import person, played_run, session  # noqa: F401  (fixture)


def test_a_member_sees_the_assignment_done_with_their_best_run(session):  # noqa: F811
    tess = person(session, "tess@example.com", "trainee")
    cohort = cohorts.create_cohort(session, name="Spring intake")
    added = cohorts.add_people(session, cohort, "tess@example.com, new@example.com")
    assert [u.email for u in added.joined] == ["tess@example.com"]
    assert [email for email, _ in added.invited] == ["new@example.com"]
    cohorts.assign(session, cohort, scenario_id="sunnyfoods-recall", mode="exam",
                   due_on="2030-01-31")
    [todo] = cohorts.assignments_for(session, tess)
    assert todo.status == "todo" and str(todo.assignment.due_on) == "2030-01-31"
    run = played_run(session, tess)
    [done] = cohorts.assignments_for(session, tess)
    assert done.status == "done" and done.run.id == run.id
    grid = cohorts.cohort_progress(session, cohort)
    assert grid[(tess.id, done.assignment.id)].status == "done"


def test_an_invitation_is_used_once_and_expires(session):  # noqa: F811
    cohort = cohorts.create_cohort(session, name="Night shift")
    [(email, token)] = cohorts.add_people(session, cohort, "new@example.com").invited
    with pytest.raises(cohorts.CohortError, match="expired"):
        cohorts.find_invitation(session, token, now=utcnow() + timedelta(days=15))
    user = cohorts.accept_invitation(session, token, name="Nia New", password="long password")
    assert user.email == email and user.role_names == {"trainee"}
    with pytest.raises(cohorts.CohortError, match="not valid"):
        cohorts.accept_invitation(session, token, name="Again", password="long password")
    [mine] = [c for c in cohorts.all_cohorts(session) if c.id == cohort.id]
    session.refresh(mine)
    assert [m.user_id for m in mine.members] == [user.id]


def test_an_id_from_another_cohort_removes_nothing(session):  # noqa: F811
    first = cohorts.create_cohort(session, name="First")
    other = cohorts.create_cohort(session, name="Other")
    cohorts.assign(session, other, scenario_id="sunnyfoods-recall", mode="practice")
    [assignment] = other.assignments
    cohorts.unassign(session, first, assignment.id)
    session.refresh(other)
    assert [a.id for a in other.assignments] == [assignment.id]


def test_only_trainees_join_and_a_second_send_keeps_the_first_link(session):  # noqa: F811
    person(session, "hana@example.com", "hr")
    cohort = cohorts.create_cohort(session, name="Autumn intake")
    first = cohorts.add_people(session, cohort, "hana@example.com, new@example.com")
    assert first.joined == [] and [e for e, _ in first.invited] == ["new@example.com"]
    assert "not a trainee account" in first.problems[0][1]
    [(_, token)] = first.invited
    again = cohorts.add_people(session, cohort, "new@example.com")
    assert again.invited == [] and "already has an invitation waiting" in again.problems[0][1]
    assert cohorts.find_invitation(session, token).email == "new@example.com"


def test_a_due_date_in_the_past_is_refused(session):  # noqa: F811
    cohort = cohorts.create_cohort(session, name="Late")
    with pytest.raises(cohorts.CohortError, match="has passed"):
        cohorts.assign(session, cohort, scenario_id="sunnyfoods-recall", mode="exam",
                       due_on="2020-01-31")
