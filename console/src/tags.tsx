// A tag set's editor, for a bucket's tags and an object version's alike: the current tags, rows
// of key and value to edit, Save (the whole set replaces the old one, as S3's Put*Tagging does)
// and Delete.  The server judges the tags (InvalidTag, the limits of 10 per object and 50 per
// bucket): its message is shown as it comes.
import { useState } from "preact/hooks";
import type { Tag } from "./s3";
import { ErrorBox, attempt, useLoad } from "./ui";

export interface TagStore {
  load: () => Promise<Tag[]>;
  save: (tags: Tag[]) => Promise<void>;
  remove: () => Promise<void>;
}

export function TagEditor({ store, id, deps }: { store: TagStore; id: string; deps: unknown[] }) {
  const [rows, setRows] = useState<Tag[]>([]);
  const [saved, setSaved] = useState("");
  const current = useLoad(async () => {
    const tags = await store.load();
    setRows(tags.length ? tags : [["", ""]]);
    return tags;
  }, deps);
  const edit = (index: number, column: 0 | 1, value: string) =>
    setRows(rows.map((row, i) => (i === index ? ((column ? [row[0], value] : [value, row[1]]) as Tag) : row)));
  const act = async (label: string, action: () => Promise<void>) => {
    setSaved("");
    if (await attempt(current.setError, action)) {
      setSaved(label);
      await current.reload();
    }
  };
  const filled = rows.filter(([k, v]) => k || v);
  if (!current.data) {
    // Not read (yet, or refused): nothing to edit, lest Save replace tags it never saw.
    return (
      <div class="tags" id={id}>
        {current.busy ? <span class="muted">Loading…</span> : null}
        <ErrorBox error={current.error} />
      </div>
    );
  }
  return (
    <div class="tags" id={id}>
      <div>
        Now:{" "}
        <span class="current-tags">
          {current.data.length ? current.data.map(([k, v]) => `${k}=${v}`).join(", ") : "none"}
        </span>
      </div>
      {rows.map(([k, v], i) => (
        <div class="row" key={i}>
          <input class="tag-key" placeholder="key" value={k} onInput={(e) => edit(i, 0, e.currentTarget.value)} />
          <input class="tag-value" placeholder="value" value={v} onInput={(e) => edit(i, 1, e.currentTarget.value)} />
          <button class="remove-tag" title="Remove this tag (then Save)" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <div class="row">
        <button class="add-tag" onClick={() => setRows([...rows, ["", ""]])}>
          Add tag
        </button>
        <button class="save-tags" onClick={() => void act("Saved.", () => store.save(filled))}>
          Save tags
        </button>
        {current.data.length ? (
          <button class="delete-tags" onClick={() => void act("Deleted.", store.remove)}>
            Delete all tags
          </button>
        ) : null}
        <span class="muted saved">{saved}</span>
      </div>
      <ErrorBox error={current.error} />
    </div>
  );
}
