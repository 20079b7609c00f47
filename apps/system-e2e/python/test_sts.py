"""STS on the gateway's endpoint: the first calls every AWS tool makes."""

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, ROOT, client, error_of


def test_get_caller_identity_as_root(sts):
    reply = sts.get_caller_identity()
    assert reply["Account"] == ACCOUNT
    assert reply["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert reply["UserId"] == ACCOUNT


def test_get_caller_identity_as_a_user_needs_no_permission(iam, unique):
    name = unique("sts-user")
    iam.create_user(UserName=name, Path="/team/")
    key = iam.create_access_key(UserName=name)["AccessKey"]
    reply = client("sts", (key["AccessKeyId"], key["SecretAccessKey"])).get_caller_identity()
    assert reply["Account"] == ACCOUNT
    assert reply["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/team/{name}"
    assert reply["UserId"].startswith("AIDA")


def test_get_access_key_info_names_the_account(sts):
    assert sts.get_access_key_info(AccessKeyId=ROOT[0])["Account"] == ACCOUNT


def test_sts_actions_not_served_answer_invalid_action(sts):
    with pytest.raises(ClientError) as excinfo:
        sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/none", RoleSessionName="session")
    code, _, status = error_of(excinfo)
    assert (code, status) == ("InvalidAction", 400)


def test_wrong_secret_is_signature_does_not_match():
    with pytest.raises(ClientError) as excinfo:
        client("sts", (ROOT[0], "x" * 40)).get_caller_identity()
    code, _, status = error_of(excinfo)
    assert (code, status) == ("SignatureDoesNotMatch", 403)


def test_unknown_key_is_invalid_client_token_id():
    with pytest.raises(ClientError) as excinfo:
        client("iam", ("AKIAAAAAAAAAAAAAAAAA", "x" * 40)).list_users()
    code, _, status = error_of(excinfo)
    assert (code, status) == ("InvalidClientTokenId", 403)
