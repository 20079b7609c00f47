"""Account aliases: one per account, AWS's name rules, and the errors AWS's clients expect."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


@pytest.fixture
def no_alias(iam):
    for alias in iam.list_account_aliases()["AccountAliases"]:
        iam.delete_account_alias(AccountAlias=alias)
    yield
    for alias in iam.list_account_aliases()["AccountAliases"]:
        iam.delete_account_alias(AccountAlias=alias)


def test_create_list_delete(iam, no_alias):
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias="example-corp")
    reply = iam.list_account_aliases()
    assert reply["AccountAliases"] == ["example-corp"]
    assert reply["IsTruncated"] is False
    iam.create_account_alias(AccountAlias="example-corp-2")
    assert iam.list_account_aliases()["AccountAliases"] == ["example-corp-2"]
    iam.delete_account_alias(AccountAlias="example-corp-2")
    assert iam.list_account_aliases()["AccountAliases"] == []


def test_delete_of_another_alias_is_no_such_entity(iam, no_alias):
    iam.create_account_alias(AccountAlias="kept-alias")
    with pytest.raises(ClientError) as excinfo:
        iam.delete_account_alias(AccountAlias="other-alias")
    assert error_of(excinfo)[::2] == ("NoSuchEntity", 404)
    assert iam.list_account_aliases()["AccountAliases"] == ["kept-alias"]


@pytest.mark.parametrize("alias", ["Upper", "-leading", "trailing-", "double--hyphen", "under_score", "a" * 64])
def test_names_aws_refuses(iam, no_alias, alias):
    with pytest.raises(ClientError) as excinfo:
        iam.create_account_alias(AccountAlias=alias)
    code, message, status = error_of(excinfo)
    assert (code, status) == ("ValidationError", 400)
    assert "accountAlias" in message
    assert iam.list_account_aliases()["AccountAliases"] == []
