import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from loa.core import roles
from loa.core.models import Membership, ResidentialGroup, Unit, Ward


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    slug = factory.Sequence(lambda n: f"phuong-thu-{n}")
    province = "Thành phố Hải Phòng"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Phòng chuyên môn {n}")
    kind = Unit.Kind.DEPARTMENT


class ResidentialGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialGroup

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Tổ dân phố số {n + 1}")
    order = factory.Sequence(lambda n: n + 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu")


def staff_user(
    *, ward: Ward, unit: Unit | None = None, role: str = roles.UNIT_STAFF, **kwargs
):
    """A user of `ward` (and `unit`) with one role."""
    user = UserFactory(**kwargs)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    Membership.objects.create(user=user, ward=ward, unit=unit)
    return user


def shared_memo(settings) -> None:
    """Give the "memo" cache a real store shared with "strict", as with Redis (the test
    settings have no Redis, so "memo" is a dummy there): per-user reads are then kept and
    must be forgotten when they change."""
    store = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "loa-tests-memo",
    }
    settings.CACHES = {**settings.CACHES, "memo": store, "strict": store}
    from django.core.cache import caches

    caches["memo"].clear()  # nothing left from another test (ids are reused)


def ward_ensure() -> Ward:
    """A ward for tests that need one to exist (a portal belongs to a ward)."""
    return Ward.objects.filter(is_active=True).first() or WardFactory()
