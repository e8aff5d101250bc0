"""Tokens of the demo's regions and a client that sends them."""

import pytest
from django.contrib.auth.models import Group, User

from projects.models import ApiToken, Profile, Region
from tests.conftest import setup_demo

JIEFANG, SHANYANG, CITY = "410802", "410811", "410800"


def token_of(code, role="observer", name=None):
    """A token of a new account of `role` in the region `code` (as `api_token create`)."""
    region = Region.objects.get(code=code)
    user = User.objects.create_user(name or f"api-{code}-{role}")
    if role:
        user.groups.add(Group.objects.get(name=role))
    Profile.objects.create(user=user, region=region)
    return ApiToken.objects.create_token(user, f"系统{code}")[1]


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def city(db):
    """解放区 and 山阳区 under 焦作市, in the article's 2013."""
    setup_demo(year=2013, city=True)


@pytest.fixture
def tokens(city):
    return {code: token_of(code) for code in (JIEFANG, SHANYANG, CITY)}
