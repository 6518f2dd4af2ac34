// MinIO's admin API (/minio/admin/v3/...) on Cairn's S3 port, signed like any S3 request (SigV4,
// service "s3", the body's SHA-256), and its Prometheus metrics with the bearer token
// `mc admin prometheus generate` would make (a JWT, HS512 under the secret key).
import { S3, errorOf } from "./s3";
import { decryptData, encryptData } from "./madmin";

export interface UserInfo {
  policyName?: string;
  status: string;
  memberOf?: string[];
}

async function call(s3: S3, method: string, path: string, query: Record<string, string> = {}, body?: Uint8Array | string
): Promise<Response> {
  const q = new URLSearchParams(query).toString();
  const url = `${s3.config.endpoint}/minio/admin/v3/${path}${q ? "?" + q : ""}`;
  return s3.send(method, url, body === undefined ? (method === "GET" ? undefined : "") : body);
}

export async function adminJSON<T>(s3: S3, method: string, path: string, query: Record<string, string> = {}): Promise<T> {
  return (await (await call(s3, method, path, query)).json()) as T;
}

async function encryptedAnswer<T>(s3: S3, path: string, query: Record<string, string> = {}): Promise<T> {
  const answer = await call(s3, "GET", path, query);
  const plain = await decryptData(s3.creds.secretKey, new Uint8Array(await answer.arrayBuffer()));
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}

export const listUsers = (s3: S3) => encryptedAnswer<Record<string, UserInfo>>(s3, "list-users");

export async function addUser(s3: S3, accessKey: string, secretKey: string): Promise<void> {
  const plain = new TextEncoder().encode(JSON.stringify({ secretKey, status: "enabled" }));
  await call(s3, "PUT", "add-user", { accessKey }, await encryptData(s3.creds.secretKey, plain));
}

export const removeUser = (s3: S3, accessKey: string) => call(s3, "DELETE", "remove-user", { accessKey });

export const setPolicy = (s3: S3, policyName: string, userOrGroup: string, isGroup: boolean) =>
  call(s3, "PUT", "set-user-or-group-policy", { policyName, userOrGroup, isGroup: String(isGroup) });

export const listPolicies = (s3: S3) => adminJSON<Record<string, unknown>>(s3, "GET", "list-canned-policies");
export const listGroups = (s3: S3) => adminJSON<string[] | null>(s3, "GET", "groups");

export async function addPolicy(s3: S3, name: string, document: string): Promise<void> {
  await call(s3, "PUT", "add-canned-policy", { name }, document);
}

export const removePolicy = (s3: S3, name: string) => call(s3, "DELETE", "remove-canned-policy", { name });

export async function updateGroup(s3: S3, group: string, members: string[], remove = false): Promise<void> {
  await call(s3, "PUT", "update-group-members", {}, JSON.stringify({ group, members, isRemove: remove, status: "enabled" }));
}

export interface AccessKey {
  accessKey: string;
  expiration?: string;
}

export async function listAccessKeys(s3: S3): Promise<AccessKey[]> {
  const answer = await encryptedAnswer<{ accounts: AccessKey[] | null }>(s3, "list-service-accounts");
  return answer.accounts ?? [];
}

export interface ServerInfo {
  mode?: string;
  servers?: { endpoint: string; state: string; uptime?: number; version?: string; drives?: Drive[] }[];
  backend?: Record<string, unknown>;
  buckets?: { count: number };
  objects?: { count: number };
  usage?: { size: number };
}

export interface Drive {
  endpoint: string;
  state: string;
  totalspace?: number;
  usedspace?: number;
  availspace?: number;
  healing?: boolean;
  pool_index?: number;
  set_index?: number;
  disk_index?: number;
}

export const serverInfo = (s3: S3) => adminJSON<ServerInfo>(s3, "GET", "info");
export const healStatus = (s3: S3) => adminJSON<Record<string, unknown>>(s3, "POST", "background-heal/status");

function b64url(bytes: Uint8Array | string): string {
  const raw = typeof bytes === "string" ? bytes : String.fromCharCode(...bytes);
  return btoa(raw).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The bearer token `mc admin prometheus generate` makes, for the signed-in keys. */
export async function prometheusToken(s3: S3): Promise<string> {
  const head = b64url(JSON.stringify({ alg: "HS512", typ: "JWT" }));
  const claims = b64url(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600, sub: s3.creds.accessKey, iss: "prometheus" }));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(s3.creds.secretKey), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${head}.${claims}`));
  return `${head}.${claims}.${b64url(new Uint8Array(signature))}`;
}

/** One scrape of /minio/v2/metrics/cluster: samples by name (labels summed away). */
export async function scrape(s3: S3, token: string): Promise<Map<string, number>> {
  const answer = await fetch(`${s3.config.endpoint}/minio/v2/metrics/cluster`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await answer.text();
  if (!answer.ok) throw errorOf(answer.status, body);
  const out = new Map<string, number>();
  for (const line of body.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) out.set(match[1], (out.get(match[1]) ?? 0) + value);
  }
  return out;
}
