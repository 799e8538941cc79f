"""Real Celery workers and beat running the ledger roll-up against the test database: over
Redis (127.0.0.1:6379, when reachable) and over the embedded filesystem transport that
`make run` uses by default."""

from __future__ import annotations

import datetime
import subprocess
import sys
import time

import pytest
from celery import Celery
from django.conf import settings
from django.db.models import Sum
from django_celery_results.models import TaskResult

from config.settings.base import filesystem_transport_options
from config.settings.test import _redis_reachable
from finops.models import DailyUsage, RequestRecord
from tests.factories import RequestRecordFactory, make_tenant
from tests.helpers import ROOT, process_env, wait_for

pytestmark = pytest.mark.e2e
REDIS = _redis_reachable()


def _start(args: list[str], log, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=ROOT,
        env=process_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module", params=["redis", "filesystem"])
def broker(request, django_db_setup, tmp_path_factory):
    """(a Celery app to send with, the env that points processes at the same broker, a log)."""
    if request.param == "redis" and not REDIS:
        pytest.skip("no Redis server on 127.0.0.1:6379 (CI has one); the filesystem case still runs")
    folder = tmp_path_factory.mktemp(f"celery-{request.param}")
    app = Celery("sender")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    if request.param == "redis":
        env = {"CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    else:
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = filesystem_transport_options(folder / "var" / "celery")
        env = {"CELERY_BROKER_URL": "filesystem://", "NR_VAR_DIR": str(folder / "var")}
    log_path = folder / "worker.log"
    with open(log_path, "wb") as log:
        worker = _start(
            [
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--pool",
                "solo",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "--hostname",
                f"test-{time.time_ns()}@%h",
            ],
            log,
            **env,
        )
        yield app, env, log_path
        _stop(worker)


def test_the_default_test_broker_is_redis_when_reachable():
    assert settings.CELERY_BROKER_URL.startswith("redis://" if REDIS else "filesystem://")


def test_a_worker_runs_the_rollup_and_it_reconciles_with_the_ledger(broker, django_db_blocker):
    app, _, log_path = broker
    with django_db_blocker.unblock():
        tenant = make_tenant("Rollup Co")
        RequestRecordFactory.create_batch(3, tenant=tenant, model_name="gpt-4o-mini")
        RequestRecordFactory(
            tenant=tenant,
            model_name="claude-3-5-haiku",
            cost_usd="0.0012345678",
            baseline_cost_usd="0.0020000000",
            savings_usd="0.0007654322",
        )
        result = app.send_task("finops.tasks.rollup_daily_usage", kwargs={"days": 1})
        outcome = result.get(timeout=60)
        assert result.status == "SUCCESS", log_path.read_text()
        assert outcome["rows"] >= 2
        ledger = RequestRecord.objects.for_tenant(tenant).aggregate(c=Sum("cost_usd"), s=Sum("savings_usd"))
        rollup = DailyUsage.objects.for_tenant(tenant).aggregate(c=Sum("cost_usd"), s=Sum("savings_usd"))
        assert rollup == ledger
        assert DailyUsage.objects.for_tenant(tenant).get(model_name="gpt-4o-mini").requests == 3


def test_beat_schedules_the_rollup_on_its_own(broker, django_db_blocker, tmp_path):
    _, env, _ = broker
    started = datetime.datetime.now(tz=datetime.UTC)
    with open(tmp_path / "beat.log", "wb") as log:
        beat = _start(
            ["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "schedule")],
            log,
            NR_ROLLUP_EVERY_SECONDS="1",
            **env,
        )
        try:
            with django_db_blocker.unblock():
                found = wait_for(
                    lambda: TaskResult.objects.filter(
                        task_name="finops.tasks.rollup_daily_usage", date_done__gte=started
                    ).exists(),
                    timeout=60,
                    interval=0.5,
                )
        finally:
            _stop(beat)
    assert found, (tmp_path / "beat.log").read_text()[-2000:]
