"""MinIO's admin API (/minio/admin/v3/...), as the unchanged `mc admin` client speaks it.

handlers.py (handle_admin_api, the theory of operation and madmin's formats per endpoint) and
routes.py (path and method -> endpoint) lead to one module per family: users.py, groups.py,
policies.py, accounts.py (creating, editing and removing service accounts), account_lists.py
(reading them), info.py (server info, account info); common.py holds MinIO's JSON errors,
madmin's plain and encrypted bodies and the admin authorization checks; crypto.py is madmin's
EncryptData/DecryptData."""
