// Drives and erasure sets from `admin info`, the background heal status, and live charts of a
// few cluster metrics scraped every 5 seconds (rates for counters), kept for the last 5 minutes.
import { useEffect, useState } from "preact/hooks";
import { formatSize } from "../s3";
import type { S3 } from "../s3";
import { healStatus, pollHeal, prometheusToken, scrape, serverInfo, startHeal } from "../admin";
import type { Drive, HealPoll } from "../admin";
import { ErrorBox, message, useLoad } from "../ui";

const CHARTS: { name: string; title: string; rate: boolean; bytes?: boolean }[] = [
  { name: "minio_s3_requests_total", title: "S3 requests / s", rate: true },
  { name: "minio_s3_requests_errors_total", title: "S3 errors / s", rate: true },
  { name: "minio_s3_traffic_received_bytes", title: "Received / s", rate: true, bytes: true },
  { name: "minio_s3_traffic_sent_bytes", title: "Sent / s", rate: true, bytes: true },
  { name: "minio_cluster_capacity_usable_free_bytes", title: "Usable free", rate: false, bytes: true },
  { name: "minio_cluster_drive_online_total", title: "Drives online", rate: false },
];
const POINTS = 60;
const PERIOD = 5000;

function Chart({ title, values, bytes }: { title: string; values: number[]; bytes?: boolean }) {
  const max = Math.max(1e-9, ...values);
  const w = 240;
  const h = 60;
  const points = values.map((v, i) => `${(i / (POINTS - 1)) * w},${h - (v / max) * (h - 4) - 2}`).join(" ");
  const last = values[values.length - 1];
  const shown = last === undefined ? "…" : bytes ? formatSize(last) : last.toFixed(Number.isInteger(last) || last >= 10 ? 0 : 2);
  return (
    <div class="chart">
      <div>
        {title}: <b>{shown}</b>
      </div>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`}>
        <polyline fill="none" stroke="#2563eb" stroke-width="2" points={points} />
      </svg>
    </div>
  );
}

function Metrics({ s3 }: { s3: S3 }) {
  const [series, setSeries] = useState<Record<string, number[]>>({});
  const [error, setError] = useState("");
  useEffect(() => {
    let previous: { at: number; values: Map<string, number> } | null = null;
    let stopped = false;
    let token = "";
    const tick = async () => {
      try {
        token ||= await prometheusToken(s3);
        const values = await scrape(s3, token);
        const at = Date.now();
        if (stopped) return;
        const prev = previous;
        setSeries((old) => {
          const next: Record<string, number[]> = {};
          for (const c of CHARTS) {
            const now = values.get(c.name) ?? 0;
            let v = now;
            if (c.rate) v = prev ? Math.max(0, (now - (prev.values.get(c.name) ?? 0)) / ((at - prev.at) / 1000)) : NaN;
            next[c.name] = [...(old[c.name] ?? []), v].filter((x) => !Number.isNaN(x)).slice(-POINTS);
          }
          return next;
        });
        previous = { at, values };
        setError("");
      } catch (e) {
        setError(message(e));
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), PERIOD);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [s3.creds.accessKey]);
  return (
    <div class="doc" id="metrics">
      <h3>Live metrics (every 5 s)</h3>
      <ErrorBox error={error} />
      <div class="charts">
        {CHARTS.map((c) => (
          <Chart key={c.name} title={c.title} values={series[c.name] ?? []} bytes={c.bytes} />
        ))}
      </div>
    </div>
  );
}

interface HealState {
  HealDisks?: string[] | null;
  sets?: { id: string; heal_status: string; disks?: (Drive & { heal_info?: { current_bucket?: string; current_object?: string; started?: string } })[] }[];
}

function HealSummary({ state }: { state: HealState }) {
  const healing = state.HealDisks ?? [];
  return (
    <div id="heal-summary">
      <p>{healing.length ? <b class="bad">{healing.length} drive(s) healing</b> : <span class="ok">No drive is healing.</span>}</p>
      <table>
        <tbody>
          {(state.sets ?? []).map((set) => (
            <tr key={set.id}>
              <td>Set {set.id}</td>
              <td class={set.heal_status === "ok" ? "ok" : "bad"}>{set.heal_status}</td>
              <td>
                {(set.disks ?? [])
                  .filter((d) => d.healing)
                  .map((d) => `${d.endpoint}: at ${d.heal_info?.current_bucket ?? ""}/${d.heal_info?.current_object ?? ""} (since ${d.heal_info?.started ?? "?"})`)
                  .join("; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HealNow({ s3 }: { s3: S3 }) {
  const [target, setTarget] = useState("");
  const [dryRun, setDryRun] = useState(false);
  const [deep, setDeep] = useState(false);
  const [state, setState] = useState<HealPoll | null>(null);
  const [error, setError] = useState("");
  const [running, setRunning] = useState(false);
  const start = async (e: Event) => {
    e.preventDefault();
    setRunning(true);
    setError("");
    try {
      const where = target.trim().replace(/^\/+/, "");
      const token = await startHeal(s3, where, dryRun, deep);
      for (;;) {
        const polled = await pollHeal(s3, where, token);
        setState(polled);
        if (polled.summary !== "running") break;
        await new Promise((r) => setTimeout(r, 1000));
      }
    } catch (err) {
      setError(message(err));
    } finally {
      setRunning(false);
    }
  };
  const c = state?.cairn;
  return (
    <div>
      <form class="row" onSubmit={start}>
        <input id="heal-target" placeholder="bucket[/prefix] (empty: everything)" value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
        <label class="inline">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} /> dry run
        </label>
        <label class="inline">
          <input type="checkbox" checked={deep} onChange={(e) => setDeep(e.currentTarget.checked)} /> deep (read every shard)
        </label>
        <button id="heal-now" type="submit" disabled={running}>
          {running ? "Healing…" : "Heal now"}
        </button>
      </form>
      <ErrorBox error={error} />
      {state ? (
        <p id="heal-result">
          <b>{state.summary}</b>
          {state.detail ? ` (${state.detail})` : ""}
          {c ? `: ${c.scanned} objects scanned (${formatSize(c.bytesScanned)}), ${c.healed} healed, ${c.unhealable} unhealable, ${c.shards} shards and ${c.records} records rewritten` : ""}
        </p>
      ) : null}
    </div>
  );
}

export function Health({ s3 }: { s3: S3 }) {
  const info = useLoad(() => serverInfo(s3), []);
  const heal = useLoad(() => healStatus(s3), []);
  const drives: Drive[] = (info.data?.servers ?? []).flatMap((s) => s.drives ?? []);
  const sets = new Map<number, Drive[]>();
  for (const d of drives) sets.set(d.set_index ?? 0, [...(sets.get(d.set_index ?? 0) ?? []), d]);
  return (
    <section>
      <h2>Health</h2>
      <ErrorBox error={info.error} />
      {info.data ? (
        <div class="doc" id="drives">
          <h3>
            Cluster: <b id="cluster-mode">{info.data.mode}</b>, {info.data.buckets?.count ?? 0} buckets
          </h3>
          {[...sets.entries()].map(([index, members]) => (
            <div key={index}>
              <h4>
                Erasure set {index + 1}: {members.filter((d) => d.state === "ok").length}/{members.length} drives online
              </h4>
              <table>
                <tbody>
                  {members.map((d) => (
                    <tr key={d.endpoint}>
                      <td>{d.endpoint}</td>
                      <td class={d.state === "ok" ? "ok" : "bad"}>{d.state}{d.healing ? " (healing)" : ""}</td>
                      <td>
                        {formatSize(d.usedspace ?? 0)} used of {formatSize(d.totalspace ?? 0)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </div>
      ) : null}
      <div class="doc" id="heal">
        <h3>Background heal</h3>
        <ErrorBox error={heal.error} />
        {heal.data ? <HealSummary state={heal.data as unknown as HealState} /> : null}
        <HealNow s3={s3} />
        {heal.data ? (
          <details>
            <summary>Raw status</summary>
            <pre>{JSON.stringify(heal.data, null, 2).slice(0, 8000)}</pre>
          </details>
        ) : null}
      </div>
      <Metrics s3={s3} />
    </section>
  );
}
