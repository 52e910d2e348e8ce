"""Thirty users at once against one plain app server (no nginx): each browser context opens
its own link, sees only its own results, and reruns after a widget change. Rerun times are
printed (p50/p95), never asserted. tests/browser/test_replicas.py runs the same check
through nginx in front of two replicas."""

import pytest

from components.dataset import load_dataset
from tests.browser.crowd import Crowd, assert_own_views, summary, visits
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

USERS = 30


def test_thirty_users_at_once_each_see_their_own_view(app_url, capsys):
    todo = visits(load_dataset(ROOT / "data"), USERS)
    assert len({v.query for v in todo}) == USERS
    assert len({v.count for v in todo}) > 5  # the pages really differ
    with Crowd() as crowd:
        users = crowd.load_and_rerun(app_url, todo)
    assert_own_views(users)
    with capsys.disabled():
        print(f"\n[one server, {USERS} users] " + summary("first load", [u.load_ms for u in users]))
        print(f"[one server, {USERS} users] " + summary("rerun after switching to Sessions",
                                                          [u.rerun_ms for u in users]))
