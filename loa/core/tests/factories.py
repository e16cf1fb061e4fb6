import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from loa.core import roles
from loa.core.models import Membership, Unit, Ward


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
