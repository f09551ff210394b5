"""The task interface and the notifications service that uses it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.translation import gettext_lazy as _

from govlab.notifications.models import Notification
from govlab.notifications.services import notify
from tests.factories import UserFactory

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_notify_creates_in_app_notifications_and_mails_after_commit():
    alice = UserFactory(email="alice@example.org", preferred_language="en")
    bob = UserFactory(email="bob@example.org", preferred_language="es")
    with transaction.atomic():
        created = notify(recipients=[alice, bob, alice], kind="test", subject=_("Sign in"), url="/x/")
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(created) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_notify_sends_nothing_when_the_transaction_rolls_back():
    alice = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[alice], kind="test", subject="Hello")
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_notify_skips_inactive_and_erased_people():
    active = UserFactory()
    inactive = UserFactory(is_active=False)
    created = notify(recipients=[active, inactive], kind="test", subject="Hello", email=False)
    assert [n.recipient_id for n in created] == [active.pk]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_queues_mail_until_a_worker_runs():
    from django_tasks_db.models import DBTaskResult

    alice = UserFactory(email="alice@example.org")
    notify(recipients=[alice], kind="test", subject="Queued")
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert Notification.objects.get().emailed_at is not None


RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def _redis_or_skip():
    import django_rq
    import redis

    connection = django_rq.get_connection("default")
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("No Redis server reachable for the worker-queue test")
    return connection


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=RQ_TASKS)
def test_redis_backend_queues_mail_until_a_worker_runs():
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    connection = _redis_or_skip()
    queue = django_rq.get_queue("default")
    queue.empty()
    alice = UserFactory(email="alice@example.org")
    notify(recipients=[alice], kind="test", subject="Queued in Redis")
    assert mail.outbox == []
    assert queue.count == 1
    SimpleWorker([queue], connection=connection, job_class=Job).work(burst=True)
    assert [message.subject for message in mail.outbox] == ["Queued in Redis"]
    assert Notification.objects.get().emailed_at is not None
