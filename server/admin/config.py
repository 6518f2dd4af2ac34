"""get-config-kv / set-config-kv / del-config-kv: `mc admin config get|set|reset ALIAS <subsystem>`
for the settings server/settings.py serves.  Bodies both ways are madmin.EncryptData'd text
(`subsystem key=value ...`) under the caller's secret key, as MinIO's; a set applies at once
(x-minio-config-applied: true, so mc does not ask for a restart)."""

from __future__ import annotations

from .. import settings
from ..context import Context, Response
from .common import AdminError, admin_body, caller_secret, require
from .crypto import DecryptError, decrypt_data, encrypt_data


def config_error(message: str) -> AdminError:
    return AdminError("XMinioConfigError", message, 400)


async def handle_get_config_kv(ctx: Context) -> Response:
    require(ctx, "admin:ConfigUpdate")
    subsystem = ctx.query.get("key", "").split(" ")[0].split(":")[0]
    if subsystem not in settings.SUBSYSTEMS:
        raise config_error(f"unknown sub-system {subsystem!r}: this server serves "
                           f"{', '.join(sorted(settings.SUBSYSTEMS))}")
    stored = ctx.layer.iam.get(settings.KIND, subsystem)
    text = settings.render(subsystem, settings.current(stored, subsystem)) + "\n"
    body = await ctx.run(encrypt_data, caller_secret(ctx), text.encode())
    return Response(200, [("Content-Type", "application/octet-stream")], bytes(body))


async def _text(ctx: Context) -> str:
    try:
        return (await ctx.run(decrypt_data, caller_secret(ctx), await admin_body(ctx))).decode()
    except (DecryptError, UnicodeDecodeError) as exc:
        raise config_error(f"the configuration could not be decrypted: {exc}") from None


async def handle_set_config_kv(ctx: Context) -> Response:
    require(ctx, "admin:ConfigUpdate")
    try:
        changes = settings.parse(await _text(ctx))
    except ValueError as exc:
        raise config_error(str(exc)) from None
    for subsystem, values in changes.items():
        await ctx.run(ctx.layer.iam.update, settings.KIND, subsystem,
                      lambda doc, v=values: {**(doc if isinstance(doc, dict) else {}), **v})
    return Response(200, [("x-minio-config-applied", "true")])


async def handle_del_config_kv(ctx: Context) -> Response:
    """`mc admin config reset ALIAS <subsystem>`: back to the defaults."""
    require(ctx, "admin:ConfigUpdate")
    subsystem = (await _text(ctx)).split(" ")[0].split(":")[0].strip()
    if subsystem not in settings.SUBSYSTEMS:
        raise config_error(f"unknown sub-system {subsystem!r}")
    await ctx.run(ctx.layer.iam.delete, settings.KIND, subsystem)
    return Response(200, [("x-minio-config-applied", "true")])
