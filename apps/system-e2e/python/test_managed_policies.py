"""AWS's managed policy catalogue: listed, read with every version, attached and in force."""

import pytest
from botocore.exceptions import ClientError

from conftest import client, error_of

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def test_list_policies_scope_aws_pages_over_the_whole_catalogue(iam):
    pages = list(iam.get_paginator("list_policies").paginate(Scope="AWS", PaginationConfig={"PageSize": 400}))
    assert len(pages) > 2
    policies = [policy for page in pages for policy in page["Policies"]]
    assert len(policies) > 1000
    arns = [policy["Arn"] for policy in policies]
    assert len(set(arns)) == len(arns)
    assert all(arn.startswith("arn:aws:iam::aws:policy/") for arn in arns)
    for name in ("AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "IAMFullAccess", "AmazonS3ReadOnlyAccess"):
        assert f"arn:aws:iam::aws:policy/{name}" in arns
    names = [policy["PolicyName"].lower() for policy in policies]
    assert names == sorted(names)


def test_paths_as_aws_files_them(iam):
    for prefix in ("/service-role/", "/job-function/", "/aws-service-role/"):
        policies = iam.list_policies(Scope="AWS", PathPrefix=prefix, MaxItems=1000)["Policies"]
        assert policies, prefix
        assert {policy["Path"] for policy in policies} == {prefix}
    policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")["Policy"]
    assert (policy["Path"], policy["PolicyName"]) == ("/job-function/", "ViewOnlyAccess")
    role = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM")["Policy"]
    assert role["Path"] == "/service-role/"
    assert role["CreateDate"].year == 2015


def test_get_policy_and_every_version(iam):
    policy = iam.get_policy(PolicyArn=READ_ONLY)["Policy"]
    assert policy["PolicyId"].startswith("ANPA") and len(policy["PolicyId"]) == 21
    assert policy["CreateDate"] < policy["UpdateDate"]
    default = policy["DefaultVersionId"]
    assert int(default[1:]) > 100
    versions = iam.list_policy_versions(PolicyArn=READ_ONLY, MaxItems=1000)["Versions"]
    assert [v["VersionId"] for v in versions if v["IsDefaultVersion"]] == [default]
    first = iam.get_policy_version(PolicyArn=READ_ONLY, VersionId="v1")["PolicyVersion"]
    assert first["IsDefaultVersion"] is False
    assert first["Document"]["Version"] == "2012-10-17"
    current = iam.get_policy_version(PolicyArn=READ_ONLY, VersionId=default)["PolicyVersion"]
    assert current["IsDefaultVersion"] is True
    assert current["Document"] != first["Document"]


def test_catalogue_policies_are_read_only(iam):
    with pytest.raises(ClientError) as excinfo:
        iam.create_policy_version(PolicyArn=READ_ONLY, PolicyDocument='{"Version":"2012-10-17","Statement":[]}')
    assert error_of(excinfo)[0] in ("AccessDenied", "MalformedPolicyDocument")
    with pytest.raises(ClientError) as excinfo:
        iam.delete_policy(PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")
    assert error_of(excinfo)[0] == "AccessDenied"


def test_attached_to_users_and_groups_and_in_force(iam, unique):
    reader, group, power = unique("reader"), unique("readers"), unique("power")
    iam.create_user(UserName=reader)
    iam.create_group(GroupName=group)
    iam.attach_group_policy(GroupName=group, PolicyArn=READ_ONLY)
    iam.add_user_to_group(GroupName=group, UserName=reader)
    key = iam.create_access_key(UserName=reader)["AccessKey"]
    as_reader = client("iam", (key["AccessKeyId"], key["SecretAccessKey"]))
    assert any(p["PolicyArn"] == READ_ONLY for p in as_reader.list_attached_group_policies(GroupName=group)["AttachedPolicies"])
    with pytest.raises(ClientError) as excinfo:
        as_reader.create_user(UserName=unique("nope"))
    assert error_of(excinfo)[0] == "AccessDenied"

    iam.create_user(UserName=power)
    iam.attach_user_policy(UserName=power, PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")
    attached = iam.list_attached_user_policies(UserName=power)["AttachedPolicies"]
    assert attached == [{"PolicyName": "PowerUserAccess", "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}]
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] >= 1
    only_attached = iam.list_policies(Scope="AWS", OnlyAttached=True, MaxItems=1000)["Policies"]
    assert {"ReadOnlyAccess", "PowerUserAccess"} <= {p["PolicyName"] for p in only_attached}
    entities = iam.list_entities_for_policy(PolicyArn=READ_ONLY)
    assert group in [g["GroupName"] for g in entities["PolicyGroups"]]
