from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from motcua.accounts.models import ApiToken, User
from motcua.conftest import error_of


@pytest.mark.django_db
def test_createuser_for_every_role(department: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # as configured
    call_command(
        "createuser",
        username="tiepnhan",
        password="matkhau123",
        role="receiver",
        agency="H15.18",
        full_name="Nguyễn Thị Hoa",
    )
    call_command(
        "createuser", username="congdan", password="matkhau123", role="citizen", id_number="066195012345"
    )
    receiver = User.objects.get(username="tiepnhan")
    assert (
        receiver.agency == department
        and receiver.role == "receiver"
        and receiver.full_name == "Nguyễn Thị Hoa"
    )
    assert receiver.password.startswith("argon2$")
    assert User.objects.get(username="congdan").id_number == "066195012345"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"role": "receiver", "agency": "H99.01"}, "H99.01"),
        ({"role": "specialist"}, "agency"),
        ({"role": "citizen", "id_number": "123"}, "12"),
    ],
)
def test_createuser_refuses(province: Any, extra: dict[str, str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("createuser", username="x", password="matkhau123", **extra)
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_createuser_refuses_an_existing_user(province: Any) -> None:
    call_command("createuser", username="a", password="matkhau123", role="admin")
    with pytest.raises(CommandError):
        call_command("createuser", username="a", password="matkhau123", role="admin")
    assert User.objects.filter(username="a").count() == 1


@pytest.mark.django_db
def test_token_then_bearer(api: APIClient, province: Any) -> None:
    call_command("createuser", username="quantri", password="matkhau-dai", role="admin")
    response = api.post(
        "/api/v1/auth/token", {"username": "quantri", "password": "matkhau-dai"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    # Only a digest is stored.
    assert not ApiToken.objects.filter(digest=token).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    created = api.post(
        "/api/v1/agencies",
        {"code": "H15.04", "name": "Sở Giáo dục và Đào tạo", "kind": "department", "parent_code": "H15"},
        format="json",
    )
    assert created.status_code == 201


@pytest.mark.django_db
def test_wrong_password_and_bad_token(api: APIClient) -> None:
    response = api.post("/api/v1/auth/token", {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_credentials"
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.post("/api/v1/agencies", {}, format="json")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


@pytest.mark.django_db
def test_login_is_throttled(api: APIClient) -> None:
    codes = [
        api.post("/api/v1/auth/token", {"username": "u", "password": "p"}, format="json").status_code
        for _ in range(12)
    ]
    assert codes[:10] == [400] * 10
    assert codes[10:] == [429, 429]
