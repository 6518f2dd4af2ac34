// Buckets: list, create (optionally with object lock), delete.
import { useState } from "preact/hooks";
import type { S3 } from "../s3";
import { ErrorBox, attempt, useLoad } from "../ui";

export function Buckets({ s3 }: { s3: S3 }) {
  const { data, error, reload, setError } = useLoad(() => s3.listBuckets(), []);
  const [name, setName] = useState("");
  const [lock, setLock] = useState(false);
  const [goTo, setGoTo] = useState("");
  const create = async (e: Event) => {
    e.preventDefault();
    if (await attempt(setError, () => s3.createBucket(name.trim(), lock))) {
      setName("");
      await reload();
    }
  };
  const remove = async (bucket: string) => {
    if (!confirm(`Delete bucket ${bucket}? It must be empty.`)) return;
    if (await attempt(setError, () => s3.deleteBucket(bucket))) await reload();
  };
  return (
    <section>
      <h2>Buckets</h2>
      <form class="row" onSubmit={create}>
        <input id="new-bucket" placeholder="new-bucket-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        <label class="inline">
          <input id="new-bucket-lock" type="checkbox" checked={lock} onChange={(e) => setLock(e.currentTarget.checked)} /> object lock
        </label>
        <button id="create-bucket" type="submit">
          Create bucket
        </button>
      </form>
      <ErrorBox error={error} />
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (goTo.trim()) location.hash = `#/browse/${encodeURIComponent(goTo.trim())}/`;
        }}
      >
        <input id="go-to-bucket" placeholder="bucket name" value={goTo} onInput={(e) => setGoTo(e.currentTarget.value)} />
        <button type="submit" title="For keys that may use a bucket without listing them all">
          Open bucket
        </button>
      </form>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((b) => (
            <tr key={b.name} data-bucket={b.name}>
              <td>
                <a class="open" href={`#/browse/${encodeURIComponent(b.name)}/`}>
                  {b.name}
                </a>
              </td>
              <td>{new Date(b.created).toLocaleString()}</td>
              <td class="actions">
                <a href={`#/settings/${encodeURIComponent(b.name)}`}>Settings</a>
                <button class="delete" onClick={() => remove(b.name)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {data && data.length === 0 ? (
            <tr>
              <td colSpan={3} class="muted">
                No buckets yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
