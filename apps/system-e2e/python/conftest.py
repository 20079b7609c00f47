"""boto3 against a running gateway: the endpoint and root keys come from the environment.

IAM_ENDPOINT_URL, IAM_ACCOUNT_ID, IAM_ROOT_ACCESS_KEY_ID and IAM_ROOT_SECRET_ACCESS_KEY are set by
the Jest spec that starts the system (apps/system-e2e/src/gateway-boto3.e2e.spec.ts).
"""

import os
import uuid

import boto3
import pytest
from botocore.config import Config

# Never fall back to the machine's own AWS configuration.
for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(name, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

ENDPOINT = os.environ["IAM_ENDPOINT_URL"]
ACCOUNT = os.environ["IAM_ACCOUNT_ID"]
ROOT = (os.environ["IAM_ROOT_ACCESS_KEY_ID"], os.environ["IAM_ROOT_SECRET_ACCESS_KEY"])
CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=60)


def client(service, keys=ROOT):
    """A boto3 client for `service` signed with `keys` and sent to the gateway only."""
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=keys[0],
        aws_secret_access_key=keys[1],
        config=CONFIG,
    )


@pytest.fixture
def iam():
    return client("iam")


@pytest.fixture
def sts():
    return client("sts")


@pytest.fixture
def unique():
    """A short name no other test uses."""
    return lambda prefix: f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(excinfo):
    """(code, message, HTTP status) of a botocore ClientError."""
    response = excinfo.value.response
    return response["Error"]["Code"], response["Error"].get("Message", ""), response["ResponseMetadata"]["HTTPStatusCode"]
