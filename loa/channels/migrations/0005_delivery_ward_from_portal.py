"""Give every delivery the ward whose portal holds its page.

Deliveries used to take their ward from the article's linked task only; an article with
no task left a delivery of no ward, which every ward's staff could see and change.
"""

from django.db import migrations


def deliveries_ward_fill(apps, schema_editor):
    Delivery = apps.get_model("loa_channels", "Delivery")
    Ward = apps.get_model("core", "Ward")
    wards = list(
        Ward.objects.filter(site__isnull=False)
        .select_related("site__root_page")
        .order_by("-site__root_page__depth")
    )
    only = Ward.objects.filter(is_active=True)
    only_ward = only.first() if only.count() == 1 else None
    for delivery in Delivery.objects.select_related("page").iterator():
        path = delivery.page.path
        ward = next(
            (w for w in wards if path.startswith(w.site.root_page.path)), None
        ) or (delivery.ward if delivery.ward_id else only_ward)
        if ward is not None and ward.pk != delivery.ward_id:
            Delivery.objects.filter(pk=delivery.pk).update(ward=ward)


class Migration(migrations.Migration):
    dependencies = [
        ("loa_channels", "0004_radio_airing"),
        ("core", "0004_notification_recipient"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(deliveries_ward_fill, migrations.RunPython.noop),
    ]
