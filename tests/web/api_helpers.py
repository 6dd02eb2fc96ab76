"""Calling the API as a token holder in tests."""

from __future__ import annotations

import json

from django.test import Client


class ApiClient:
    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def put(self, path: str, body):
        return self.client.put(f"/api{path}", json.dumps(body), content_type="application/json", headers=self.headers)

    def post(self, path: str, body=None):
        return self.client.post(f"/api{path}", json.dumps(body or {}), content_type="application/json",
                                headers=self.headers)


def api_as(user, *, write: bool = True) -> ApiClient:
    from dti.api.services import create_personal_token

    _token, secret = create_personal_token(user, name="kiểm thử", write=write)
    return ApiClient(secret)
