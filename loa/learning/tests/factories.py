import factory
from django.utils import timezone

from loa.core.tests.factories import ResidentialGroupFactory, WardFactory
from loa.learning.models import Learner


class LearnerFactory(factory.django.DjangoModelFactory):
    """A learner who has given consent, in a residential group of their ward."""

    class Meta:
        model = Learner

    ward = factory.SubFactory(WardFactory)
    residential_group = factory.LazyAttribute(
        lambda learner: ResidentialGroupFactory(ward=learner.ward)
    )
    name = factory.Sequence(lambda n: f"Học viên {n}")
    birth_year = 1960
    consent_at = factory.LazyFunction(timezone.now)
