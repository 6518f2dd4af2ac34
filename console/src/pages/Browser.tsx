// The object browser: one "folder" at a time (ListObjectsV2 with delimiter "/"), uploads with
// progress, downloads and share links through presigned GET URLs, deletes, and an object's versions
// (each with its details: ObjectDetails).
import { useState } from "preact/hooks";
import { formatSize } from "../s3";
import type { S3, Version } from "../s3";
import { ErrorBox, attempt, message, useLoad } from "../ui";
import { ObjectDetails } from "./ObjectDetails";

const EXPIRIES: [string, number][] = [
  ["1 hour", 3600],
  ["1 day", 86400],
  ["7 days", 7 * 86400],
];

function browseLink(bucket: string, prefix: string): string {
  return `#/browse/${encodeURIComponent(bucket)}/${encodeURIComponent(prefix)}`;
}

function Crumbs({ bucket, prefix }: { bucket: string; prefix: string }) {
  const parts = prefix.split("/").filter(Boolean);
  return (
    <div class="crumbs" id="crumbs">
      <a href="#/buckets">Buckets</a> / <a href={browseLink(bucket, "")}>{bucket}</a>
      {parts.map((p, i) => (
        <span key={i}>
          {" / "}
          <a href={browseLink(bucket, parts.slice(0, i + 1).join("/") + "/")}>{p}</a>
        </span>
      ))}
    </div>
  );
}

export function Browser({ s3, bucket, prefix }: { s3: S3; bucket: string; prefix: string }) {
  const [pages, setPages] = useState<string[]>([]);
  const token = pages[pages.length - 1];
  const { data, error, reload, setError } = useLoad(() => s3.list(bucket, prefix, token), [bucket, prefix, token]);
  const [progress, setProgress] = useState("");
  const [folder, setFolder] = useState("");
  const [uploads, setUploads] = useState(0); // finished in this view (data-uploads: tests wait on it)
  const [share, setShare] = useState<{ key: string; url: string } | null>(null);
  const [expiry, setExpiry] = useState(3600);
  const [details, setDetails] = useState<{ key: string; versionId?: string } | null>(null);
  const [versions, setVersions] = useState<{ key: string; list: Version[] } | null>(null);

  const upload = async (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = prefix + file.name;
      const ok = await attempt(setError, () =>
        s3.upload(bucket, key, file, (sent, total) =>
          setProgress(`Uploading ${file.name}: ${total ? Math.floor((100 * sent) / total) : 100}% (${formatSize(sent)} of ${formatSize(total)})`),
        ),
      );
      setProgress(ok ? `Uploaded ${file.name}` : "");
      if (ok) setUploads((n) => n + 1);
    }
    await reload();
  };
  const download = async (key: string) => {
    const name = key.split("/").pop() || "download";
    const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
    try {
      const url = await s3.presign("GET", bucket, key, 300, { "response-content-disposition": disposition });
      const a = document.createElement("a");
      a.href = url;
      a.rel = "noopener";
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (e) {
      setError(message(e));
    }
  };
  const remove = async (key: string, versionId?: string) => {
    if (!confirm(`Delete ${key}${versionId ? ` (version ${versionId})` : ""}?`)) return;
    if (await attempt(setError, () => s3.deleteObject(bucket, key, versionId))) {
      if (versions) await showVersions(versions.key);
      await reload();
    }
  };
  const makeShare = async (key: string, seconds = expiry) => {
    try {
      setShare({ key, url: await s3.presign("GET", bucket, key, seconds) });
    } catch (e) {
      setError(message(e));
    }
  };
  const showVersions = async (key: string) => {
    try {
      setVersions({ key, list: await s3.versions(bucket, key) });
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <section>
      <h2>
        Objects <a class="small" href={`#/settings/${encodeURIComponent(bucket)}`}>bucket settings</a>
      </h2>
      <Crumbs bucket={bucket} prefix={prefix} />
      <div class="row">
        <label class="button">
          Upload files
          <input id="upload" type="file" multiple hidden onChange={(e) => {
              const input = e.currentTarget;
              void upload(input.files).then(() => (input.value = "")); // the same file may be chosen again
            }} />
        </label>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            const name = folder.trim().replace(/^\/+|\/+$/g, "");
            if (name) location.hash = browseLink(bucket, `${prefix}${name}/`);
          }}
        >
          <input id="new-folder" placeholder="new folder" value={folder} onInput={(e) => setFolder(e.currentTarget.value)} />
          <button id="open-folder" type="submit" title="Folders are key prefixes: this one exists once something is uploaded into it">
            Open folder
          </button>
        </form>
        <button onClick={() => void reload()}>Refresh</button>
        <span id="progress" class="muted" data-uploads={uploads}>
          {progress}
        </span>
      </div>
      <ErrorBox error={error} />
      {share ? (
        <div class="share" id="share">
          <div>
            Share link for <b>{share.key}</b>, valid for{" "}
            <select
              id="expiry"
              value={expiry}
              onChange={(e) => {
                const seconds = Number(e.currentTarget.value);
                setExpiry(seconds);
                void makeShare(share.key, seconds);
              }}
            >
              {EXPIRIES.map(([label, s]) => (
                <option key={s} value={s}>
                  {label}
                </option>
              ))}
            </select>
            <button onClick={() => setShare(null)}>Close</button>
          </div>
          <input id="share-url" readOnly value={share.url} onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
      <table id="objects">
        <thead>
          <tr>
            <th>Name</th>
            <th>Size</th>
            <th>Last modified</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.prefixes ?? []).map((p) => (
            <tr key={p} data-prefix={p}>
              <td colSpan={4}>
                <a class="folder" href={browseLink(bucket, p)}>
                  {p.slice(prefix.length)}
                </a>
              </td>
            </tr>
          ))}
          {(data?.objects ?? []).map((o) => (
            <tr key={o.key} data-key={o.key}>
              <td>{o.key.slice(prefix.length)}</td>
              <td>{formatSize(o.size)}</td>
              <td>{new Date(o.modified).toLocaleString()}</td>
              <td class="actions">
                <button class="download" onClick={() => void download(o.key)}>
                  Download
                </button>
                <button class="share-link" onClick={() => void makeShare(o.key)}>
                  Share
                </button>
                <button class="details" onClick={() => setDetails({ key: o.key })}>
                  Details
                </button>
                <button class="versions" onClick={() => void showVersions(o.key)}>
                  Versions
                </button>
                <button class="delete" onClick={() => void remove(o.key)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {data && !data.prefixes.length && !data.objects.length ? (
            <tr>
              <td colSpan={4} class="muted">
                Empty.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <div class="row">
        {pages.length ? <button onClick={() => setPages(pages.slice(0, -1))}>Previous page</button> : null}
        {data?.next ? <button onClick={() => setPages([...pages, data.next!])}>Next page</button> : null}
      </div>
      {details ? (
        <ObjectDetails s3={s3} bucket={bucket} objectKey={details.key} versionId={details.versionId} onClose={() => setDetails(null)}
          key={`${details.key}@${details.versionId ?? ""}`} />
      ) : null}
      {versions ? (
        <div id="versions">
          <h3>
            Versions of {versions.key} <button onClick={() => setVersions(null)}>Close</button>
          </h3>
          <table>
            <tbody>
              {versions.list.map((v) => (
                <tr key={v.versionId} data-version={v.versionId}>
                  <td>
                    <code>{v.versionId}</code>
                    {v.latest ? " (latest)" : ""}
                  </td>
                  <td>{v.deleteMarker ? "delete marker" : formatSize(v.size)}</td>
                  <td>{new Date(v.modified).toLocaleString()}</td>
                  <td class="actions">
                    {v.deleteMarker ? null : (
                      <button class="version-details" onClick={() => setDetails({ key: v.key, versionId: v.versionId })}>
                        Details
                      </button>
                    )}
                    <button class="delete-version" onClick={() => void remove(v.key, v.versionId)}>
                      Delete version
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
