"""The OpenAPI document the server publishes is a valid OpenAPI 3.1 document and names every
REST route the server has."""
import urllib.request

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.timeout(60)


def test_openapi_document_is_valid_and_complete(parley_server):
    with urllib.request.urlopen(parley_server.url + "v1/openapi.yaml", timeout=10) as response:
        assert response.status == 200
        document = yaml.safe_load(response.read())
    validate(document)  # raises on an invalid document
    assert set(document["paths"]) == {
        "/healthz", "/metrics", "/v1/version", "/v1/echo", "/v1/rooms", "/v1/rooms/{room}", "/v1/tokens",
        "/v1/rooms/{room}/participants", "/v1/rooms/{room}/participants/{identity}", "/v1/rtc", "/v1/dev/token",
        "/v1/rooms/{room}/participants/{identity}/tracks/{track}/mute",
        "/v1/rooms/{room}/participants/{identity}/subscriptions",
        "/v1/rooms/{room}/participants/{identity}/downlink", "/v1/rooms/{room}/data"}
    assert "put" in document["paths"]["/v1/rooms/{room}/participants/{identity}/downlink"]
    assert document["paths"]["/v1/rooms/{room}"].keys() >= {"get", "patch", "delete"}
