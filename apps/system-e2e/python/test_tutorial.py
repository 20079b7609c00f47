"""The tutorial of docs/gateway.md through boto3: root, an admin, groups, policies, and dave moving."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, client, error_of


def keys_of(iam, user):
    key = iam.create_access_key(UserName=user)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def policy(*actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


def test_the_tutorial(iam, unique):
    admins, developers, security = unique("admins"), unique("developers"), unique("security")
    admin, dave, read_users = unique("admin"), unique("dave"), unique("ReadUsers")

    # Root creates the admins group with AdministratorAccess, and an admin with a password and keys.
    iam.create_group(GroupName=admins)
    iam.attach_group_policy(GroupName=admins, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    created = iam.create_user(UserName=admin, Path="/staff/")["User"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/staff/{admin}"
    iam.create_login_profile(UserName=admin, Password="Adm1n-Passw0rd!", PasswordResetRequired=False)
    iam.add_user_to_group(GroupName=admins, UserName=admin)
    as_admin = client("iam", keys_of(iam, admin))

    # The admin creates the developers and security groups, their policies, and a developer.
    arn = as_admin.create_policy(PolicyName=read_users, PolicyDocument=policy("iam:ListUsers", "iam:GetUser"))["Policy"]["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/{read_users}"
    as_admin.create_group(GroupName=developers)
    as_admin.attach_group_policy(GroupName=developers, PolicyArn=arn)
    as_admin.create_group(GroupName=security)
    as_admin.put_group_policy(GroupName=security, PolicyName="audit", PolicyDocument=policy("iam:ListGroups", "iam:GetGroup"))
    as_admin.create_user(UserName=dave)
    as_admin.add_user_to_group(GroupName=developers, UserName=dave)
    as_dave = client("iam", keys_of(as_admin, dave))

    # Dave may list users, not groups.
    assert any(user["UserName"] == dave for user in as_dave.get_paginator("list_users").paginate().build_full_result()["Users"])
    with pytest.raises(ClientError) as excinfo:
        as_dave.list_groups()
    code, message, status = error_of(excinfo)
    assert (code, status) == ("AccessDenied", 403)
    assert message == (
        f"User: arn:aws:iam::{ACCOUNT}:user/{dave} is not authorized to perform: iam:ListGroups on resource: * "
        "because no identity-based policy allows the iam:ListGroups action"
    )

    # Dave moves from developers to security: his permissions change on his next call.
    as_admin.remove_user_from_group(GroupName=developers, UserName=dave)
    as_admin.add_user_to_group(GroupName=security, UserName=dave)
    assert any(group["GroupName"] == security for group in as_dave.list_groups()["Groups"])
    with pytest.raises(ClientError) as excinfo:
        as_dave.list_users()
    assert error_of(excinfo)[0] == "AccessDenied"

    # What the admin sees of dave.
    groups = as_admin.list_groups_for_user(UserName=dave)["Groups"]
    assert [group["GroupName"] for group in groups] == [security]
    assert as_admin.get_group_policy(GroupName=security, PolicyName="audit")["PolicyDocument"]["Statement"][0]["Action"] == [
        "iam:ListGroups",
        "iam:GetGroup",
    ]
    attached = as_admin.list_attached_group_policies(GroupName=admins)["AttachedPolicies"]
    assert attached == [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]
