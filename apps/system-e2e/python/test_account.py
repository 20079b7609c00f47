"""Account-wide calls tools make: password policy, summary, authorization details, users and keys."""

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, error_of


def test_password_policy_round_trip(iam):
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireSymbols=True, AllowUsersToChangePassword=True)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 12
    assert policy["RequireSymbols"] is True
    assert policy["AllowUsersToChangePassword"] is True
    iam.delete_account_password_policy()


def test_account_summary_and_authorization_details(iam, unique):
    name = unique("summary")
    iam.create_user(UserName=name)
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["Users"] >= 1
    assert summary["PoliciesQuota"] > 0
    details = iam.get_paginator("get_account_authorization_details").paginate(Filter=["User"]).build_full_result()
    assert name in [user["UserName"] for user in details["UserDetailList"]]


def test_users_paginate_and_keys_rotate(iam, unique):
    prefix = unique("page")
    names = [f"{prefix}-{i}" for i in range(7)]
    for name in names:
        iam.create_user(UserName=name, Path=f"/{prefix}/")
    pages = list(iam.get_paginator("list_users").paginate(PathPrefix=f"/{prefix}/", PaginationConfig={"PageSize": 3}))
    assert [len(page["Users"]) for page in pages] == [3, 3, 1]
    assert [user["UserName"] for page in pages for user in page["Users"]] == names
    first = iam.create_access_key(UserName=names[0])["AccessKey"]
    assert first["Status"] == "Active" and first["AccessKeyId"].startswith("AKIA")
    iam.update_access_key(UserName=names[0], AccessKeyId=first["AccessKeyId"], Status="Inactive")
    keys = iam.list_access_keys(UserName=names[0])["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in keys] == [(first["AccessKeyId"], "Inactive")]
    assert iam.get_access_key_last_used(AccessKeyId=first["AccessKeyId"])["UserName"] == names[0]
    iam.delete_access_key(UserName=names[0], AccessKeyId=first["AccessKeyId"])


def test_user_tags(iam, unique):
    name = unique("tagged")
    iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": "data"}])
    iam.tag_user(UserName=name, Tags=[{"Key": "cost", "Value": "42"}])
    tags = iam.list_user_tags(UserName=name)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "data", "cost": "42"}
    iam.untag_user(UserName=name, TagKeys=["team"])
    assert iam.list_user_tags(UserName=name)["Tags"] == [{"Key": "cost", "Value": "42"}]
    assert iam.get_user(UserName=name)["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{name}"


def test_credential_report_states(iam):
    # Not present before the first generation (this is the suite's only test that generates one).
    with pytest.raises(ClientError) as excinfo:
        iam.get_credential_report()
    assert error_of(excinfo)[::2] == ("ReportNotPresent", 410)
    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv"
    lines = report["Content"].decode().splitlines()
    assert lines[0].startswith("user,arn,user_creation_time,password_enabled")
    assert lines[1].startswith("<root_account>,")


def test_empty_password_policy_update_gives_aws_defaults(iam):
    # As AWS answers it: no HardExpiry, MaxPasswordAge or PasswordReusePrevention when not given.
    iam.update_account_password_policy()
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy == {
        "AllowUsersToChangePassword": False,
        "ExpirePasswords": False,
        "MinimumPasswordLength": 6,
        "RequireLowercaseCharacters": False,
        "RequireNumbers": False,
        "RequireSymbols": False,
        "RequireUppercaseCharacters": False,
    }
    iam.delete_account_password_policy()
