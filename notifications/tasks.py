"""Thin tasks: ids in, services do the work (imported inside each task, so
that the services import these tasks at module level without a circle)."""

from celery import shared_task


@shared_task
def send_notifications(notification_ids: list[int]) -> int:
    """E-mail these notices (each once, however often this task runs)."""
    from .services import notifications_send

    return notifications_send(notification_ids=notification_ids)


@shared_task
def retry_failed_notifications() -> int:
    """Beat: failed notices whose back-off is over, and any never handed to a
    worker, are sent again."""
    from .services import notifications_retry_due

    return notifications_retry_due()


@shared_task
def send_daily_digests() -> int:
    """Beat, 09:00 in Seoul: one e-mail per person who chose the daily digest."""
    from .services import digest_send

    return digest_send()
