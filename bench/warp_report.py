"""The report of a warp run: which raw limit bounds which case, and the Markdown, JSON and PNG.

Limits are machine-wide: a per-core CPU figure (MD5, SHA256, ISA-L, CRC32C, a loopback
round trip) is multiplied by the number of cores, since both servers may use them all
(and warp, on the same machine, takes its share of them too); disk and the single-device
small-file fsync rate are not multiplied (one device).  For each case `limit_for` takes the
smallest of the figures that every server must pay for that request:

  PUT >= 1 MiB   MD5 (the ETag), SHA256 (signed payloads only), disk write+fsync (halved on
                 2+2: twice the bytes), ISA-L encode (2+2 only), loopback TCP stream;
  GET >= 1 MiB   page-cache read, CRC32C (bitrot verification), loopback TCP stream;
  PUT 4 KiB      one durable small-file write (create+write+fsync+rename), loopback round trip;
  DELETE 4 KiB   the same;
  other 4 KiB    loopback round trip (256 B request, 4 KiB answer).

Cairn's share of the limit is its ops/s over the limit's ops/s at the case's object size.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import Any

from engine_bench import MiB, Sample
from machine_limits import LABELS
from warp_cases import Case, Figures, Outcome


def limit_for(case: Case, four: bool, raw: dict[str, Sample], cores: int) -> tuple[str, float]:
    """(description, ops/s) of the raw limit that bounds `case` on this machine."""
    size = case.size

    def rate(key: str, scale: float = 1.0) -> float:
        return raw[key].mib_s * MiB / size * scale

    cands: list[tuple[str, float]]
    rtt = (f"loopback round trip x{cores}", raw["tcp_rtt"].ops_s * cores)
    if case.op == "put" and size >= MiB:
        cands = [(f"MD5 x{cores}", rate("md5", cores)), (f"TCP stream x{cores}", rate("tcp_stream", cores)),
                 ("disk write+fsync" + (" /2" if four else ""), rate("write_fsync", 0.5 if four else 1.0))]
        if not case.unsigned:
            cands.append((f"SHA256 x{cores}", rate("sha256", cores)))
        if four:
            cands.append((f"ISA-L RS(2,2) x{cores}", rate("rs22_encode", cores)))
    elif case.op == "get" and size >= MiB:
        cands = [("page-cache read", rate("read_hot")), (f"CRC32C x{cores}", rate("crc32c", cores)),
                 (f"TCP stream x{cores}", rate("tcp_stream", cores))]
    elif case.op in ("put", "delete"):
        cands = [("4 KiB file fsync", raw["file_4k_fsync"].ops_s), rtt]
    else:
        cands = [rtt]
    return min(cands, key=lambda c: c[1])


def fmt(x: float | None) -> str:
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def ratio(cairn: Figures | None, minio: Figures | None) -> float | None:
    if cairn is None or minio is None or not minio.ops_s:
        return None
    return cairn.ops_s / minio.ops_s


def row_dict(case: Case, layout: str, outcomes: dict[str, Outcome],
             limit: tuple[str, float]) -> dict[str, Any]:
    """One row of the report, as stored in the JSON."""
    row: dict[str, Any] = {"case": case.name, "op": case.op, "size": case.size, "layout": layout,
                           "unsigned_payload": case.unsigned, "objects_prepared": case.objects}
    totals: dict[str, Figures | None] = {}
    for name, out in outcomes.items():
        totals[name] = out.figures.get("")
        row[name] = {"command": out.command, "error": out.error,
                     "total": asdict(totals[name]) if totals[name] else None,
                     "by_op": {k: asdict(v) for k, v in out.figures.items() if k}}
    r = ratio(totals.get("cairn"), totals.get("minio"))
    cairn = totals.get("cairn")
    row["ratio_cairn_minio"] = r
    row["limit"] = {"name": limit[0], "ops_s": limit[1], "mib_s": limit[1] * case.size / MiB}
    row["cairn_fraction_of_limit"] = cairn.ops_s / limit[1] if cairn and limit[1] else None
    return row


def _cells(f: dict[str, Any] | None, err: str) -> list[str]:
    if f is None:
        return ["error" if err else "-", "-", "-", "-"]
    return [fmt(f["ops_s"]) + (" (!)" if f["errors"] else ""), fmt(f["mib_s"]) if f["mib_s"] else "-",
            fmt(f["p50_ms"]), fmt(f["p99_ms"])]


def table(rows: list[dict[str, Any]]) -> list[str]:
    head = ("| case | layout | Cairn ops/s | MiB/s | p50 ms | p99 ms | MinIO ops/s | MiB/s | p50 ms | p99 ms"
            " | Cairn/MinIO | raw limit (ops/s) | Cairn % of limit |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        c, m = r.get("cairn") or {}, r.get("minio") or {}
        ratio_s = f"**{r['ratio_cairn_minio']:.2f}**" if r["ratio_cairn_minio"] is not None else "-"
        frac = r["cairn_fraction_of_limit"]
        lim = r["limit"]
        cells = [r["case"], r["layout"], *_cells(c.get("total"), c.get("error", "")),
                 *_cells(m.get("total"), m.get("error", "")), ratio_s,
                 f"{lim['name']}: {fmt(lim['ops_s'])}", f"{100 * frac:.1f}%" if frac is not None else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def raw_table(raw: dict[str, Sample]) -> list[str]:
    lines = ["| raw limit (one core / one stream) | MiB/s | ops/s |", "|---|---:|---:|"]
    lines += [f"| {LABELS[k]} | {fmt(s.mib_s)} | {fmt(s.ops_s)} |" for k, s in raw.items()]
    return lines


def problems(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        for name in ("cairn", "minio"):
            res = r.get(name) or {}
            if res.get("error"):
                out.append(f"- {name}, {r['case']}, {r['layout']}: {res['error']}")
            for op, f in (res.get("by_op") or {}).items():
                if f["errors"]:
                    first = "; ".join(f["first_errors"]) or "(no message)"
                    out.append(f"- {name}, {r['case']} ({op}), {r['layout']}: {f['errors']} errors"
                               f" of {f['requests']} requests: {first}")
    return out


def markdown(doc: dict[str, Any]) -> str:
    meta, settings = doc["meta"], doc["settings"]
    lines = [f"# Cairn vs MinIO, warp, {settings['mode']} run", "",
             f"Commit `{meta['commit']}`{' (uncommitted changes)' if meta['dirty'] else ''}, "
             f"{meta['date']}, {meta['elapsed_s']:.0f} s.  ",
             f"Machine: {meta['cpu']}, {meta['cores']} cores, {meta['mem_gib']:.0f} GiB, {meta['uname']}; "
             f"disk: {meta['fs']}.  ",
             f"warp {settings['warp_version']}, MinIO {settings['minio_version']}, Cairn --workers "
             f"{settings['cairn_workers']}.  Every case: concurrency {settings['concurrency']}, "
             f"{settings['durations']}, --disable-multipart, a freshly started server on empty drives "
             f"(the two servers one after the other, alternating which goes first).", "",
             *table(doc["rows"]), "",
             "ops/s are objects per second (LIST: warp's list operations per second, each a whole listing "
             "of one client's share of the objects, 100 keys a request: keys/s are `objects_s` in the "
             "JSON; DELETE: one object per request); MiB/s over warp's measurement window; "
             "p50/p99 = request time; "
             "(!) = warp counted errors (below). 'unsigned' = --disable-sha256-payload "
             "(UNSIGNED-PAYLOAD); the other PUTs use warp's default streaming signatures "
             "(STREAMING-AWS4-HMAC-SHA256-PAYLOAD). Raw limits are machine-wide: per-core CPU figures "
             f"x{meta['cores']}, see bench/warp_report.py for the rule per case. Both servers make "
             "every object durable before answering (Cairn sync=full; MinIO fdatasync of the data and "
             "xl.meta). Where the time goes in Cairn: PROFILE.md.", "",
             "## Raw limits, measured in the same run", "", *raw_table_from_doc(doc), ""]
    probs = problems(doc["rows"])
    lines += ["## Errors", "", *(probs or ["None."]), ""]
    if doc.get("chart"):
        lines += [f"![Cairn/MinIO ratios]({os.path.basename(doc['chart'])})", ""]
    return "\n".join(lines)


def raw_table_from_doc(doc: dict[str, Any]) -> list[str]:
    raw = {k: Sample(v["ops_s"], v["mib_s"], 0.0, 0.0, 0.0) for k, v in doc["raw"].items()}
    return raw_table(raw)


def chart(rows: list[dict[str, Any]], path: str, title: str) -> str | None:
    """A horizontal bar chart of Cairn/MinIO per case and layout (log scale); None without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        return None
    layouts = list(dict.fromkeys(r["layout"] for r in rows))
    cases = list(dict.fromkeys(r["case"] for r in rows))
    index = {(r["case"], r["layout"]): r["ratio_cairn_minio"] for r in rows}
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(cases) * len(layouts) + 1.5))
    height = 0.8 / len(layouts)
    for j, layout in enumerate(layouts):
        ys = [i + j * height for i in range(len(cases))]
        vals = [index.get((c, layout)) or 0.0 for c in cases]
        # bars grow from parity (1.0) towards the ratio, so a slower case points left
        ax.barh(ys, [v - 1.0 if v else 0.0 for v in vals], left=1.0, height=height, label=layout)
        for y, v in zip(ys, vals, strict=True):
            if v:
                ax.text(v, y, f" {v:.2f} ", va="center", fontsize=7,
                        ha="left" if v >= 1 else "right")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks([i + height * (len(layouts) - 1) / 2 for i in range(len(cases))], cases)
    ax.invert_yaxis()
    ax.set_xscale("log")
    found = [v for v in index.values() if v]
    ax.set_xlim(min([0.25, *found]) / 1.6, max([4.0, *found]) * 1.6)
    ax.xaxis.set_major_locator(matplotlib.ticker.FixedLocator([2.0 ** e for e in range(-6, 7)]))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("Cairn ops/s / MinIO ops/s (log scale; > 1: Cairn faster)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def save(doc: dict[str, Any], out_dir: str, stem: str) -> list[str]:
    """Write stem.json, stem.png and stem.md under out_dir; the paths written."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    png = os.path.join(out_dir, stem + ".png")
    doc["chart"] = chart(doc["rows"], png, f"Cairn / MinIO, warp {doc['settings']['mode']} run, "
                                            f"{doc['meta']['commit'][:10]}")
    if doc["chart"]:
        paths.append(png)
    for ext, text in ((".json", json.dumps(doc, indent=1)), (".md", markdown(doc))):
        path = os.path.join(out_dir, stem + ext)
        with open(path, "w") as f:
            f.write(text + "\n")
        paths.append(path)
    return paths
