"""The admin API's routes: (path under /minio/admin/v3/, method) -> handler, as MinIO's
cmd/admin-router.go names them."""

from __future__ import annotations

from ..context import Handler
from . import account_lists, accounts, config, groups, heal, info, policies, service, tier, trace, users

VERSION = "v3"  # madmin.AdminAPIVersion

ROUTES: dict[str, dict[str, Handler]] = {
    "info": {"GET": info.handle_server_info},
    "accountinfo": {"GET": info.handle_account_info},
    # healing: heal/[bucket[/prefix]] (PREFIXED: the rest of the path is the endpoint's argument)
    "heal": {"POST": heal.handle_heal},
    "background-heal/status": {"POST": heal.handle_background_heal_status},
    "service": {"POST": service.handle_service},
    "trace": {"GET": trace.handle_trace},
    "get-config-kv": {"GET": config.handle_get_config_kv},
    "set-config-kv": {"PUT": config.handle_set_config_kv},
    "del-config-kv": {"DELETE": config.handle_del_config_kv},
    # remote tiers of lifecycle transitions: tier[/NAME] (PREFIXED)
    "tier": {"PUT": tier.handle_add_tier, "GET": tier.handle_tier_get, "POST": tier.handle_edit_tier,
             "DELETE": tier.handle_remove_tier},
    "tier-stats": {"GET": tier.handle_tier_stats},
    # users
    "add-user": {"PUT": users.handle_add_user},
    "remove-user": {"DELETE": users.handle_remove_user},
    "list-users": {"GET": users.handle_list_users},
    "user-info": {"GET": users.handle_user_info},
    "set-user-status": {"PUT": users.handle_set_user_status},
    # groups
    "update-group-members": {"PUT": groups.handle_update_group_members},
    "group": {"GET": groups.handle_get_group},
    "groups": {"GET": groups.handle_list_groups},
    "set-group-status": {"PUT": groups.handle_set_group_status},
    # policies
    "add-canned-policy": {"PUT": policies.handle_add_canned_policy},
    "remove-canned-policy": {"DELETE": policies.handle_remove_canned_policy},
    "list-canned-policies": {"GET": policies.handle_list_canned_policies},
    "info-canned-policy": {"GET": policies.handle_info_canned_policy},
    "set-user-or-group-policy": {"PUT": policies.handle_set_user_or_group_policy},
    "idp/builtin/policy/attach": {"POST": policies.handle_policy_association},
    "idp/builtin/policy/detach": {"POST": policies.handle_policy_association},
    "idp/builtin/policy-entities": {"GET": policies.handle_policy_entities},
    # service accounts (access keys)
    "add-service-account": {"PUT": accounts.handle_add_service_account},
    "update-service-account": {"POST": accounts.handle_update_service_account},
    "delete-service-account": {"DELETE": accounts.handle_delete_service_account},
    "info-service-account": {"GET": account_lists.handle_info_service_account},
    "list-service-accounts": {"GET": account_lists.handle_list_service_accounts},
    "list-access-keys-bulk": {"GET": account_lists.handle_list_access_keys_bulk},
    "temporary-account-info": {"GET": account_lists.handle_temporary_account_info},
}
"""Every admin endpoint served; any other path under /minio/admin/ is refused (handlers.py)."""

PREFIXED = frozenset({"heal", "tier"})  # routes whose path goes on with arguments: heal/<bucket>/<prefix>
