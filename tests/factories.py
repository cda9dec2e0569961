import factory

from accounts.models import Organisation, RoleGroup, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name_ko = factory.Sequence(lambda n: f"시험구{n}")
    name_en = factory.Sequence(lambda n: f"Test-gu {n}")
    kind = Organisation.Kind.DISTRICT


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(role="district_officer", organisation=...)``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("sangsaeng-test-pw")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(RoleGroup.objects.get(code=extracted).group)
