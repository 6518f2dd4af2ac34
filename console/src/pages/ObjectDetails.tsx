// One object version's details: its headers (HEAD), its tags (Get/Put/DeleteObjectTagging) and,
// in a bucket with object lock, its retention and legal hold (Get/PutObjectRetention,
// Get/PutObjectLegalHold).  Without `versionId` it is the latest version.  Every change is the
// signed-in key's request: a refusal (AccessDenied, a COMPLIANCE retention that may not be
// shortened...) is shown as the server words it.
import { useState } from "preact/hooks";
import { S3Error } from "../s3";
import type { Retention, S3 } from "../s3";
import { TagEditor } from "../tags";
import { ErrorBox, attempt, useLoad } from "../ui";

const MODES = ["GOVERNANCE", "COMPLIANCE"];
const DAY_MS = 86400_000;

/** A date as <input type="datetime-local"> wants it: local time, to the minute. */
function localInput(date: Date): string {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

interface Lock {
  retention: Retention | null;
  legalHold: string | null;
}

function ObjectLock({ s3, bucket, objectKey, versionId, changed }: { s3: S3; bucket: string; objectKey: string; versionId?: string; changed: () => void }) {
  const [mode, setMode] = useState("GOVERNANCE");
  const [until, setUntil] = useState(localInput(new Date(Date.now() + DAY_MS)));
  const [bypass, setBypass] = useState(false);
  const [saved, setSaved] = useState("");
  // A bucket without object lock answers InvalidRequest: nothing to edit there (not an error).
  const lock = useLoad(async (): Promise<Lock | string> => {
    try {
      const [retention, legalHold] = await Promise.all([
        s3.retention(bucket, objectKey, versionId),
        s3.legalHold(bucket, objectKey, versionId),
      ]);
      if (retention) {
        setMode(retention.mode);
        setUntil(localInput(new Date(retention.until)));
      }
      return { retention, legalHold };
    } catch (e) {
      if (e instanceof S3Error && e.code === "InvalidRequest") return e.message;
      throw e;
    }
  }, [bucket, objectKey, versionId]);
  const act = async (label: string, action: () => Promise<void>) => {
    setSaved("");
    if (await attempt(lock.setError, action)) {
      setSaved(label);
      await lock.reload();
      changed();
    }
  };
  const setRetention = (remove: boolean) => {
    const date = new Date(until);
    if (!remove && isNaN(date.getTime())) return lock.setError("Choose a retain-until date.");
    void act(remove ? "Retention removed." : "Retention set.", () =>
      s3.putRetention(bucket, objectKey, versionId, remove ? "" : mode, remove ? "" : date.toISOString(), bypass),
    );
  };
  const data = lock.data;
  return (
    <div id="object-lock">
      <h4>Object lock</h4>
      <ErrorBox error={lock.error} />
      {typeof data === "string" ? <p class="muted">Not available here ({data}).</p> : null}
      {data && typeof data !== "string" ? (
        <>
          <p>
            Retention:{" "}
            <b id="retention">{data.retention ? `${data.retention.mode} until ${data.retention.until}` : "none"}</b>
            {data.retention ? <span class="muted"> ({new Date(data.retention.until).toLocaleString()})</span> : null}
          </p>
          <div class="row">
            <select id="retention-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
              {MODES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            <label class="inline">
              until <input id="retention-until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
            </label>
            <label class="inline" title="x-amz-bypass-governance-retention: needed to shorten or remove a GOVERNANCE retention (s3:BypassGovernanceRetention)">
              <input id="retention-bypass" type="checkbox" checked={bypass} onChange={(e) => setBypass(e.currentTarget.checked)} /> bypass governance
            </label>
            <button id="set-retention" onClick={() => setRetention(false)}>
              Set retention
            </button>
            {data.retention?.mode === "GOVERNANCE" ? (
              <button id="remove-retention" onClick={() => setRetention(true)}>
                Remove retention
              </button>
            ) : null}
          </div>
          <p class="muted small">
            A COMPLIANCE retention can only be extended; a GOVERNANCE one can be shortened or removed with bypass governance
            (s3:BypassGovernanceRetention).
          </p>
          <p>
            Legal hold: <b id="legal-hold">{data.legalHold ?? "none"}</b>{" "}
            {data.legalHold === "ON" ? (
              <button id="legal-hold-off" onClick={() => void act("Legal hold off.", () => s3.putLegalHold(bucket, objectKey, versionId, false))}>
                Release
              </button>
            ) : (
              <button id="legal-hold-on" onClick={() => void act("Legal hold on.", () => s3.putLegalHold(bucket, objectKey, versionId, true))}>
                Place legal hold
              </button>
            )}
            <span class="muted" id="lock-saved">
              {" "}
              {saved}
            </span>
          </p>
        </>
      ) : null}
    </div>
  );
}

export function ObjectDetails({ s3, bucket, objectKey, versionId, onClose }: { s3: S3; bucket: string; objectKey: string; versionId?: string; onClose: () => void }) {
  const head = useLoad(() => s3.head(bucket, objectKey, versionId), [bucket, objectKey, versionId]);
  const store = {
    load: () => s3.tags(bucket, objectKey, versionId),
    save: (tags: [string, string][]) => s3.putTags(bucket, objectKey, tags, versionId),
    remove: () => s3.deleteTags(bucket, objectKey, versionId),
  };
  return (
    <div id="details" class="doc" data-version={versionId ?? ""}>
      <h3>
        {objectKey} {versionId ? <span class="muted small">version {versionId}</span> : null} <button onClick={onClose}>Close</button>
      </h3>
      <ErrorBox error={head.error} />
      <table>
        <tbody>
          {(head.data ?? []).map(([name, value]) => (
            <tr key={name}>
              <td>{name}</td>
              <td>
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Tags</h4>
      <TagEditor store={store} id="object-tags" deps={[bucket, objectKey, versionId]} />
      <ObjectLock s3={s3} bucket={bucket} objectKey={objectKey} versionId={versionId} changed={() => void head.reload()} />
    </div>
  );
}
