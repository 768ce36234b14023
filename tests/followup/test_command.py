"""`shiraka alerts`: lines, count, exit codes, e-mail digests."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from shiraka.accounts.models import Membership
from tests.factories import agreement_in_province, project, user_with_role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = StringIO()
    call_command("alerts", *args, stdout=out)
    return out.getvalue()


def two_alerts():
    here = agreement_in_province(total="100.00", code="09.273")
    project(here, budget="500.00", status="planned")
    there = agreement_in_province(total="100.00", code="10.261")
    project(there, budget="700.00", status="planned")
    return here, there


def test_prints_one_line_per_alert_with_reason_and_link_then_a_count(reference):
    here, there = two_alerts()
    output = run("--language", "en", "--today", "2025-06-30")
    lines = output.strip().splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith("2 alert(s)")
    assert any(f"/en/agreements/{here.reference}/" in line and "budgets_over_total" in line for line in lines)
    assert "MAD 400.00" in output  # 500 budget − 100 total
    only_here = run("--language", "en", "--province", "09.273")
    assert here.reference in only_here and there.reference not in only_here
    assert run("--kind", "decision_overdue").strip().splitlines()[-1].startswith("0 alert(s)")


@pytest.mark.parametrize(
    "args",
    [
        ["--province", "99.999"],
        ["--region", "77"],
        ["--today", "yesterday"],
        ["--agreement", "NOPE-1"],
        ["--language", "de"],
    ],
)
def test_bad_arguments_raise_command_error_with_code_2(reference, args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2


def test_bad_arguments_exit_2_from_the_command_line(tmp_path):
    env = {
        **os.environ,
        "SHIRAKA_DEBUG": "1",
        "SHIRAKA_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "shiraka.settings",
    }
    env.pop("SHIRAKA_DATABASE_URL", None)
    shiraka = [sys.executable, "-c", "from shiraka.cli import main; main()"]
    subprocess.run(
        [*shiraka, "migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300
    )
    for args in (["--today", "not-a-date"], ["--kind", "nope"], ["--province", "99.999"]):
        result = subprocess.run(
            [*shiraka, "alerts", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.strip() and not result.stdout.strip()
    ok = subprocess.run([*shiraka, "alerts"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "0 alert(s)" in ok.stdout


def test_email_sends_each_user_the_digest_of_their_scope(reference):
    here, there = two_alerts()
    national = user_with_role("national", Membership.Role.VIEWER, email="national@example.ma")
    provincial = user_with_role(
        "provincial", Membership.Role.SECRETARIAT, email="sec@example.ma", province=here.province
    )
    user_with_role("noemail", Membership.Role.VIEWER)  # no address: nothing sent
    elsewhere = user_with_role(
        "elsewhere",
        Membership.Role.SECRETARIAT,
        email="other@example.ma",
        province=agreement_in_province(code="01.511").province,
    )  # nothing in its scope
    output = run("--email", "--language", "fr", "--base-url", "https://shiraka.example.ma/")
    assert "2 digest(s) sent" in output
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {national.email, provincial.email}
    assert elsewhere.email not in by_address
    digest = by_address[provincial.email].body
    assert here.reference in digest and there.reference not in digest
    assert f"https://shiraka.example.ma/fr/agreements/{here.reference}/" in digest
    assert there.reference in by_address[national.email].body


def test_email_takes_no_filter(reference):
    with pytest.raises(CommandError) as error:
        run("--email", "--province", "09.273")
    assert error.value.returncode == 2


def test_today_option_changes_what_is_late(reference):
    a = agreement_in_province()
    from shiraka.projects import services as projects

    late = project(a)
    projects.milestone_plan(project=late, kind="works_order", planned_on=date(2025, 3, 1))
    assert "milestone_late" not in run("--today", "2025-02-01")
    assert "milestone_late" in run("--today", "2025-04-01")
