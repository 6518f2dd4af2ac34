// The S3 API as the console uses it: every request signed here, in the browser, with SigV4
// (aws4fetch) under the keys the user signed in with, and sent to Cairn's S3 port (its URL comes
// from the console port's /config.json).  Nothing else holds the keys: they live in
// sessionStorage for the tab's life only.
import { AwsClient } from "aws4fetch";

export interface Config {
  endpoint: string;
  region: string;
}

export interface Creds {
  accessKey: string;
  secretKey: string;
  sessionToken?: string; // temporary credentials (STS)
}

export class S3Error extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(`${code}: ${message}`);
  }
}

export interface Bucket {
  name: string;
  created: string;
}

export interface Entry {
  key: string;
  size: number;
  modified: string;
  etag: string;
}

export interface Listing {
  prefixes: string[];
  objects: Entry[];
  next?: string;
}

export interface Version {
  key: string;
  versionId: string;
  latest: boolean;
  deleteMarker: boolean;
  size: number;
  modified: string;
}

/** A tag: key and value. */
export type Tag = [string, string];

export interface Retention {
  mode: string; // GOVERNANCE or COMPLIANCE
  until: string; // ISO 8601, as S3 wrote it
}

/** A subresource's query (`sub`, e.g. "tagging"), for one version when `versionId` is given. */
function versionQuery(versionId?: string, sub = ""): string {
  const query = versionId ? "versionId=" + encodeURIComponent(versionId) : "";
  return [sub, query].filter(Boolean).join("&");
}

const SESSION = "cairn-console-session";
export const MULTIPART_THRESHOLD = 16 << 20; // bigger files go up as a multipart upload, parts in parallel
const PART_SIZE = 8 << 20;
const PARALLEL_PARTS = 3;

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function savedSession(): Creds | null {
  const text = sessionStorage.getItem(SESSION);
  return text ? (JSON.parse(text) as Creds) : null;
}

export function saveSession(creds: Creds | null): void {
  if (creds) sessionStorage.setItem(SESSION, JSON.stringify(creds));
  else sessionStorage.removeItem(SESSION);
}

export async function loadConfig(): Promise<Config> {
  const answer = await fetch("/config.json", { cache: "no-store" });
  if (!answer.ok) throw new Error(`config.json: HTTP ${answer.status}`);
  return (await answer.json()) as Config;
}

function xml(text: string): Document {
  return new DOMParser().parseFromString(text, "application/xml");
}

function text(node: Element | Document, tag: string): string {
  return node.getElementsByTagName(tag)[0]?.textContent ?? "";
}

function children(node: Element | Document, tag: string): Element[] {
  return Array.from(node.getElementsByTagName(tag));
}

/** An S3 error answer as an S3Error (its XML Code and Message, else the status). */
export function errorOf(status: number, body: string): S3Error {
  if (body.includes("<Error")) {
    const doc = xml(body);
    return new S3Error(status, text(doc, "Code") || `HTTP ${status}`, text(doc, "Message"));
  }
  try {
    const json = JSON.parse(body) as { Code?: string; Message?: string };
    if (json.Code) return new S3Error(status, json.Code, json.Message ?? "");
  } catch {
    // not JSON either
  }
  return new S3Error(status, `HTTP ${status}`, body.slice(0, 200));
}

export function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

export class S3 {
  readonly aws: AwsClient;

  constructor(public config: Config, public creds: Creds) {
    this.aws = new AwsClient({
      accessKeyId: creds.accessKey,
      secretAccessKey: creds.secretKey,
      sessionToken: creds.sessionToken || undefined,
      service: "s3",
      region: config.region,
      retries: 0,
    });
  }

  url(bucket?: string, key?: string, query = ""): string {
    let path = "/";
    if (bucket) path += encodeURIComponent(bucket) + (key !== undefined ? "/" + encodeKey(key) : "");
    return this.config.endpoint + path + (query ? "?" + query : "");
  }

  /** A signed request; throws S3Error on an error answer. */
  async send(method: string, url: string, body?: string | ArrayBuffer | Uint8Array, headers: Record<string, string> = {}
  ): Promise<Response> {
    const init: RequestInit & { headers: Record<string, string> } = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = body as BodyInit;
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body as ArrayBuffer);
      init.headers["X-Amz-Content-Sha256"] = await sha256Hex(bytes);
    }
    let answer: Response;
    try {
      answer = await this.aws.fetch(url, init);
    } catch (e) {
      throw new Error(
        `cannot reach ${this.config.endpoint} (${e instanceof Error ? e.message : e}): the server is down, or its CORS ` +
          `settings (--cors-allow-origin, or this bucket's own rules) do not allow ${location.origin}`,
      );
    }
    if (!answer.ok) throw errorOf(answer.status, await answer.text());
    return answer;
  }

  async listBuckets(): Promise<Bucket[]> {
    const doc = xml(await (await this.send("GET", this.url())).text());
    return children(doc, "Bucket").map((b) => ({ name: text(b, "Name"), created: text(b, "CreationDate") }));
  }

  async createBucket(name: string, lock = false): Promise<void> {
    await this.send("PUT", this.url(name), undefined, lock ? { "x-amz-bucket-object-lock-enabled": "true" } : {});
  }

  async deleteBucket(name: string): Promise<void> {
    await this.send("DELETE", this.url(name));
  }

  async list(bucket: string, prefix: string, token?: string): Promise<Listing> {
    const query = new URLSearchParams({ "list-type": "2", delimiter: "/", prefix, "max-keys": "1000" });
    if (token) query.set("continuation-token", token);
    const doc = xml(await (await this.send("GET", this.url(bucket, undefined, query.toString()))).text());
    return {
      prefixes: children(doc, "CommonPrefixes").map((p) => text(p, "Prefix")),
      objects: children(doc, "Contents").map((c) => ({
        key: text(c, "Key"),
        size: Number(text(c, "Size")),
        modified: text(c, "LastModified"),
        etag: text(c, "ETag"),
      })),
      next: text(doc, "NextContinuationToken") || undefined,
    };
  }

  async versions(bucket: string, key: string): Promise<Version[]> {
    const query = new URLSearchParams({ versions: "", prefix: key });
    const doc = xml(await (await this.send("GET", this.url(bucket, undefined, query.toString()))).text());
    const out: Version[] = [];
    for (const node of doc.documentElement.children) {
      if (node.tagName !== "Version" && node.tagName !== "DeleteMarker") continue;
      if (text(node, "Key") !== key) continue;
      out.push({
        key,
        versionId: text(node, "VersionId"),
        latest: text(node, "IsLatest") === "true",
        deleteMarker: node.tagName === "DeleteMarker",
        size: Number(text(node, "Size") || 0),
        modified: text(node, "LastModified"),
      });
    }
    return out;
  }

  /** HEAD of an object (of one version when `versionId` is given): the headers CORS lets a
   * script read, sorted. */
  async head(bucket: string, key: string, versionId?: string): Promise<[string, string][]> {
    const answer = await this.send("HEAD", this.url(bucket, key, versionQuery(versionId)));
    const headers: [string, string][] = [];
    answer.headers.forEach((value, name) => headers.push([name, value]));
    return headers.sort();
  }

  /** A bucket's tags (`key` undefined; none set is S3's 404 NoSuchTagSet, read as no tags) or an
   * object version's. */
  async tags(bucket: string, key?: string, versionId?: string): Promise<Tag[]> {
    try {
      const doc = xml(await (await this.send("GET", this.url(bucket, key, versionQuery(versionId, "tagging")))).text());
      return children(doc, "Tag").map((t) => [text(t, "Key"), text(t, "Value")]);
    } catch (e) {
      if (key === undefined && e instanceof S3Error && e.code === "NoSuchTagSet") return [];
      throw e;
    }
  }

  /** Put{Bucket,Object}Tagging: the whole tag set, replacing the old one. */
  async putTags(bucket: string, key: string | undefined, tags: Tag[], versionId?: string): Promise<void> {
    const set = tags.map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`).join("");
    await this.putDocument(this.url(bucket, key, versionQuery(versionId, "tagging")), `<Tagging><TagSet>${set}</TagSet></Tagging>`);
  }

  async deleteTags(bucket: string, key?: string, versionId?: string): Promise<void> {
    await this.send("DELETE", this.url(bucket, key, versionQuery(versionId, "tagging")));
  }

  /** GetObjectRetention; null when the version has none (S3's 404 NoSuchObjectLockConfiguration). */
  async retention(bucket: string, key: string, versionId?: string): Promise<Retention | null> {
    const doc = await this.lockDocument(this.url(bucket, key, versionQuery(versionId, "retention")));
    return doc && { mode: text(doc, "Mode"), until: text(doc, "RetainUntilDate") };
  }

  /** PutObjectRetention: `mode` "" sends an empty Retention, which removes a GOVERNANCE retention
   * (with `bypass`).  `until` is ISO 8601.  `bypass` sends x-amz-bypass-governance-retention,
   * needed to shorten or remove a GOVERNANCE retention (and s3:BypassGovernanceRetention). */
  async putRetention(bucket: string, key: string, versionId: string | undefined, mode: string, until: string, bypass: boolean
  ): Promise<void> {
    const body = mode
      ? `<Retention><Mode>${escapeXml(mode)}</Mode><RetainUntilDate>${escapeXml(until)}</RetainUntilDate></Retention>`
      : "<Retention></Retention>";
    const headers: Record<string, string> = bypass ? { "x-amz-bypass-governance-retention": "true" } : {};
    await this.putDocument(this.url(bucket, key, versionQuery(versionId, "retention")), body, headers);
  }

  /** GetObjectLegalHold: "ON" or "OFF"; null when never set (S3's 404 NoSuchObjectLockConfiguration). */
  async legalHold(bucket: string, key: string, versionId?: string): Promise<string | null> {
    const doc = await this.lockDocument(this.url(bucket, key, versionQuery(versionId, "legal-hold")));
    return doc && text(doc, "Status");
  }

  async putLegalHold(bucket: string, key: string, versionId: string | undefined, on: boolean): Promise<void> {
    const body = `<LegalHold><Status>${on ? "ON" : "OFF"}</Status></LegalHold>`;
    await this.putDocument(this.url(bucket, key, versionQuery(versionId, "legal-hold")), body);
  }

  private async lockDocument(url: string): Promise<Document | null> {
    try {
      return xml(await (await this.send("GET", url)).text());
    } catch (e) {
      if (e instanceof S3Error && e.code === "NoSuchObjectLockConfiguration") return null;
      throw e;
    }
  }

  /** PUT a document S3 wants a digest of (Content-MD5, which Web Crypto lacks, or an
   * x-amz-checksum-*: SHA-256 here): tagging, retention, legal hold and several bucket
   * configurations. */
  async putDocument(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
    const checksum = btoa(String.fromCharCode(...new Uint8Array(digest)));
    await this.send("PUT", url, body, { ...headers, "x-amz-checksum-sha256": checksum });
  }

  async deleteObject(bucket: string, key: string, versionId?: string): Promise<void> {
    const query = versionId ? new URLSearchParams({ versionId }).toString() : "";
    await this.send("DELETE", this.url(bucket, key, query));
  }

  /** A signed PUT of `body` with XMLHttpRequest, for its upload progress (fetch has none); the
   * answer's ETag. */
  async put(url: string, body: Blob, headers: Record<string, string>, progress: (sent: number) => void
  ): Promise<string> {
    const signed = await this.aws.sign(url, { method: "PUT", headers: { ...headers, "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" } });
    return new Promise<string>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", signed.url);
      signed.headers.forEach((value, name) => {
        if (name !== "host") xhr.setRequestHeader(name, value);
      });
      xhr.upload.onprogress = (e) => progress(e.loaded);
      xhr.onload = () => (xhr.status < 300 ? resolve(xhr.getResponseHeader("ETag") ?? "") : reject(errorOf(xhr.status, xhr.responseText)));
      xhr.onerror = () => reject(new Error("the upload failed (network or CORS)"));
      xhr.send(body);
    });
  }

  /** Upload a file: one PUT up to MULTIPART_THRESHOLD, else a multipart upload of parts sent
   * PARALLEL_PARTS at a time (aborted if one fails). */
  async upload(bucket: string, key: string, file: Blob, progress: (sent: number, total: number) => void
  ): Promise<void> {
    const type = file.type || "application/octet-stream";
    if (file.size <= MULTIPART_THRESHOLD) {
      await this.put(this.url(bucket, key), file, { "Content-Type": type }, (sent) => progress(sent, file.size));
      return;
    }
    const created = xml(await (await this.send("POST", this.url(bucket, key, "uploads"), "", { "Content-Type": type })).text());
    const uploadId = text(created, "UploadId");
    const partSize = Math.max(PART_SIZE, Math.ceil(file.size / 10000));
    const count = Math.ceil(file.size / partSize);
    const sent = new Array<number>(count).fill(0);
    const etags = new Array<string>(count).fill("");
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const part = file.slice(index * partSize, Math.min(file.size, (index + 1) * partSize));
        const query = new URLSearchParams({ partNumber: String(index + 1), uploadId }).toString();
        etags[index] = await this.put(this.url(bucket, key, query), part, {}, (n) => {
          sent[index] = n;
          progress(sent.reduce((a, b) => a + b, 0), file.size);
        });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, count) }, worker));
      const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`).join("");
      const query = new URLSearchParams({ uploadId }).toString();
      const answer = await (await this.send("POST", this.url(bucket, key, query), `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`)).text();
      if (answer.includes("<Error")) throw errorOf(200, answer); // S3 may fail a Complete after a 200
    } catch (e) {
      await this.send("DELETE", this.url(bucket, key, new URLSearchParams({ uploadId }).toString())).catch(() => undefined);
      throw e;
    }
  }

  /** A presigned URL (SigV4 query) valid for `seconds`. */
  async presign(method: string, bucket: string, key: string, seconds: number, query: Record<string, string> = {}
  ): Promise<string> {
    const params = new URLSearchParams({ ...query, "X-Amz-Expires": String(seconds) });
    const signed = await this.aws.sign(this.url(bucket, key, params.toString()), { method, aws: { signQuery: true } });
    return signed.url;
  }

  async getText(bucket: string, sub: string): Promise<string | null> {
    try {
      return await (await this.send("GET", this.url(bucket, undefined, sub))).text();
    } catch (e) {
      if (e instanceof S3Error && e.status === 404) return null;
      throw e;
    }
  }

  /** PUT a bucket configuration document (with its digest: putDocument). */
  async putText(bucket: string, sub: string, body: string): Promise<void> {
    await this.putDocument(this.url(bucket, undefined, sub), body);
  }

  async deleteSub(bucket: string, sub: string): Promise<void> {
    await this.send("DELETE", this.url(bucket, undefined, sub));
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function xmlDoc(textBody: string): Document {
  return xml(textBody);
}

export function firstText(doc: Document | Element, tag: string): string {
  return text(doc, tag);
}

export function formatSize(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}
