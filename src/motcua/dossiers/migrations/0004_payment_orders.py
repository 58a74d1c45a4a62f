"""Payments become orders: status, channel, items; the old free-text reference moves to transaction_id."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def orders(apps, schema_editor):  # noqa: ANN001, ARG001 — the migration signature
    Payment = apps.get_model("dossiers", "Payment")
    Payment.objects.update(transaction_id=F("reference"), reference="")
    Payment.objects.filter(paid_at__isnull=False).update(status="paid")
    Payment.objects.filter(paid_at__isnull=False, method="counter").update(channel="counter")
    for channel in ("national_portal", "local_gateway"):
        Payment.objects.filter(paid_at__isnull=False, method="online", dossier__payment_channel=channel).update(
            channel=channel
        )
    Payment.objects.filter(paid_at__isnull=False, method="online", channel__isnull=True).update(
        channel="national_portal"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0003_applicant_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='payment',
            name='channel',
            field=models.CharField(blank=True, choices=[('national_portal', 'National payment platform'), ('vietqr', 'Bank transfer (VietQR)'), ('counter', 'At the counter'), ('local_gateway', 'Provincial payment gateway')], max_length=20, null=True),
        ),
        migrations.AddField(
            model_name='payment',
            name='checkout_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='payment',
            name='items',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='payment',
            name='status',
            field=models.CharField(choices=[('pending', 'Awaiting payment'), ('paid', 'Paid'), ('failed', 'Payment failed')], db_index=True, default='pending', max_length=10),
        ),
        migrations.AddField(
            model_name='payment',
            name='transaction_id',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(orders, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(condition=models.Q(('reference', ''), _negated=True), fields=('reference',), name='payment_reference_unique'),
        ),
    ]
