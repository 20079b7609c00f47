"""AWS's error codes, HTTP statuses and messages as boto3 users' tests read them."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, error_of

ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def raised(call, **params):
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def test_no_such_entity(iam, unique):
    name = unique("ghost")
    assert raised(iam.get_user, UserName=name) == ("NoSuchEntity", f"The user with name {name} cannot be found.", 404)
    assert raised(iam.get_group, GroupName=name)[::2] == ("NoSuchEntity", 404)
    arn = f"arn:aws:iam::{ACCOUNT}:policy/{name}"
    assert raised(iam.get_policy, PolicyArn=arn) == ("NoSuchEntity", f"Policy {arn} was not found.", 404)


def test_the_modelled_exceptions_are_raised(iam, unique):
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_user(UserName=unique("ghost"))
    name = unique("twice")
    iam.create_user(UserName=name)
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        iam.create_user(UserName=name)


def test_entity_already_exists(iam, unique):
    name = unique("dup")
    iam.create_user(UserName=name)
    assert raised(iam.create_user, UserName=name) == ("EntityAlreadyExists", f"User with name {name} already exists.", 409)


def test_validation_error(iam):
    code, message, status = raised(iam.create_user, UserName="bad name!")
    assert (code, status) == ("ValidationError", 400)
    assert "userName" in message


def test_malformed_policy_document(iam, unique):
    assert raised(iam.create_policy, PolicyName=unique("p"), PolicyDocument="{not json") == (
        "MalformedPolicyDocument",
        "Syntax errors in policy.",
        400,
    )
    no_version = json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    assert raised(iam.create_policy, PolicyName=unique("p"), PolicyDocument=no_version) == (
        "MalformedPolicyDocument",
        "Policy document must be version 2012-10-17 or greater.",
        400,
    )
    no_action = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]})
    assert raised(iam.create_policy, PolicyName=unique("p"), PolicyDocument=no_action)[:2] == (
        "MalformedPolicyDocument",
        "Policy statement must contain actions.",
    )


def test_delete_conflict(iam, unique):
    user, group = unique("member"), unique("group")
    iam.create_user(UserName=user)
    iam.create_group(GroupName=group)
    iam.add_user_to_group(GroupName=group, UserName=user)
    assert raised(iam.delete_group, GroupName=group)[::2] == ("DeleteConflict", 409)
    arn = iam.create_policy(PolicyName=unique("attached"), PolicyDocument=ALLOW_ALL)["Policy"]["Arn"]
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    assert raised(iam.delete_policy, PolicyArn=arn) == ("DeleteConflict", "Cannot delete a policy attached to entities.", 409)


def test_aws_managed_policies_are_read_only(iam):
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    code, _, status = raised(iam.delete_policy, PolicyArn=arn)
    assert code in ("AccessDenied", "InvalidInput", "UnmodifiableEntity") and status in (400, 403)


def test_limit_exceeded_for_policy_versions(iam, unique):
    arn = iam.create_policy(PolicyName=unique("versions"), PolicyDocument=ALLOW_ALL)["Policy"]["Arn"]
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=ALLOW_ALL)
    code, message, status = raised(iam.create_policy_version, PolicyArn=arn, PolicyDocument=ALLOW_ALL)
    assert (code, status) == ("LimitExceeded", 409)
    assert message.startswith("A managed policy can have up to 5 versions.")


def test_delete_account_password_policy_when_none(iam):
    try:
        iam.delete_account_password_policy()
    except ClientError:
        pass
    assert raised(iam.delete_account_password_policy) == (
        "NoSuchEntity",
        "The account policy with name PasswordPolicy cannot be found.",
        404,
    )
