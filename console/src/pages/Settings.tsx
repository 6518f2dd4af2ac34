// A bucket's settings, each read and written through its own S3 subresource: versioning (a
// toggle), object lock (its status; set at creation), its tags, and the policy (JSON), lifecycle and CORS
// (XML) documents as plain text to edit, save or delete.
import { useState } from "preact/hooks";
import { firstText, xmlDoc } from "../s3";
import type { S3 } from "../s3";
import { TagEditor } from "../tags";
import { ErrorBox, attempt, useLoad } from "../ui";

const VERSIONING = (status: string) =>
  `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>${status}</Status></VersioningConfiguration>`;

const EXAMPLES: Record<string, string> = {
  policy: `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::BUCKET/*"]}]
}`,
  lifecycle: `<LifecycleConfiguration><Rule><ID>expire-tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule></LifecycleConfiguration>`,
  cors: `<CORSConfiguration><CORSRule><AllowedOrigin>https://example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`,
};

function Document({ s3, bucket, sub, title, note }: { s3: S3; bucket: string; sub: string; title: string; note?: string }) {
  const [text, setText] = useState("");
  const [saved, setSaved] = useState("");
  const { data, error, reload, setError } = useLoad(async () => {
    const body = await s3.getText(bucket, sub);
    setText(body ?? "");
    return body;
  }, [bucket, sub]);
  const save = async () => {
    if (await attempt(setError, () => s3.putText(bucket, sub, text))) {
      setSaved("Saved.");
      await reload();
    }
  };
  const remove = async () => {
    if (await attempt(setError, () => s3.deleteSub(bucket, sub))) {
      setSaved("Deleted.");
      await reload();
    }
  };
  return (
    <div class="doc" id={`doc-${sub}`}>
      <h3>{title}</h3>
      {note ? <p class="muted">{note}</p> : null}
      {data === null ? <p class="muted">None set.</p> : null}
      <textarea rows={8} value={text} placeholder={EXAMPLES[sub].replace("BUCKET", bucket)} onInput={(e) => setText(e.currentTarget.value)} />
      <div class="row">
        <button onClick={() => void save()}>Save</button>
        {data !== null ? <button onClick={() => void remove()}>Delete</button> : null}
        <span class="muted">{saved}</span>
      </div>
      <ErrorBox error={error} />
    </div>
  );
}

export function Settings({ s3, bucket }: { s3: S3; bucket: string }) {
  const versioning = useLoad(async () => firstText(xmlDoc((await s3.getText(bucket, "versioning")) ?? ""), "Status"), [bucket]);
  const lock = useLoad(async () => {
    const body = await s3.getText(bucket, "object-lock");
    return body ? firstText(xmlDoc(body), "ObjectLockEnabled") || "Enabled" : "";
  }, [bucket]);
  const setVersioning = async (status: string) => {
    if (await attempt(versioning.setError, () => s3.putText(bucket, "versioning", VERSIONING(status)))) await versioning.reload();
  };
  const status = versioning.data || "Unversioned";
  return (
    <section>
      <h2>
        Settings of <a href={`#/browse/${encodeURIComponent(bucket)}/`}>{bucket}</a>
      </h2>
      <div class="doc" id="versioning">
        <h3>Versioning</h3>
        <p>
          Status: <b id="versioning-status">{status}</b>{" "}
          {status === "Enabled" ? (
            <button onClick={() => void setVersioning("Suspended")}>Suspend</button>
          ) : (
            <button id="enable-versioning" onClick={() => void setVersioning("Enabled")}>
              Enable
            </button>
          )}
        </p>
        <ErrorBox error={versioning.error} />
      </div>
      <div class="doc">
        <h3>Object lock</h3>
        <p>
          {lock.error ? (
            <span class="muted">{lock.error.startsWith("ObjectLockConfigurationNotFound") ? "Not enabled (object lock is chosen when a bucket is created)." : lock.error}</span>
          ) : (
            <span>Status: <b>{lock.data || "Not enabled"}</b></span>
          )}
        </p>
      </div>
      <div class="doc">
        <h3>Tags</h3>
        <TagEditor
          id="bucket-tags"
          deps={[bucket]}
          store={{ load: () => s3.tags(bucket), save: (tags) => s3.putTags(bucket, undefined, tags), remove: () => s3.deleteTags(bucket) }}
        />
      </div>
      <Document s3={s3} bucket={bucket} sub="policy" title="Bucket policy (JSON)" />
      <Document s3={s3} bucket={bucket} sub="lifecycle" title="Lifecycle (XML)" />
      <Document
        s3={s3}
        bucket={bucket}
        sub="cors"
        title="CORS (XML)"
        note={`A bucket's own CORS rules replace the server-wide default for it: allow this console's origin (${location.origin}) in them, or the console can no longer reach the bucket.`}
      />
    </section>
  );
}
