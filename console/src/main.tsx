// The console's shell: sign-in state, a hash router (#/buckets, #/browse/<bucket>/<prefix>, ...)
// and the navigation.  Hash routes keep object keys (any characters, dots included) out of the
// path the console port serves.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { S3, loadConfig, saveSession, savedSession } from "./s3";
import type { Config, Creds } from "./s3";
import { Login } from "./pages/Login";
import { Buckets } from "./pages/Buckets";
import { Browser } from "./pages/Browser";
import { Settings } from "./pages/Settings";
import { Identity } from "./pages/Identity";
import { Health } from "./pages/Health";
import { ErrorBox } from "./ui";
import "./style.css";

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return hash;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a hand-typed '%' that starts no escape
  }
}

function Page({ s3, hash }: { s3: S3; hash: string }) {
  const parts = hash.replace(/^#\/?/, "").split("/");
  const [page, bucket] = [parts[0] || "buckets", decode(parts[1] ?? "")];
  const rest = decode(parts.slice(2).join("/"));
  switch (page) {
    case "browse":
      return <Browser s3={s3} bucket={bucket} prefix={rest} key={`${bucket}/${rest}`} />;
    case "settings":
      return <Settings s3={s3} bucket={bucket} />;
    case "identity":
      return <Identity s3={s3} />;
    case "health":
      return <Health s3={s3} />;
    default:
      return <Buckets s3={s3} />;
  }
}

function App() {
  const [config, setConfig] = useState<Config | null>(null);
  const [error, setError] = useState("");
  const [creds, setCreds] = useState<Creds | null>(savedSession());
  const hash = useHash();
  useEffect(() => {
    loadConfig().then(setConfig, (e: Error) => setError(e.message));
  }, []);
  if (!config) return <ErrorBox error={error} />;
  const signIn = (c: Creds | null) => {
    saveSession(c);
    setCreds(c);
    if (!c) location.hash = "";
  };
  if (!creds) return <Login config={config} onSignIn={signIn} />;
  const s3 = new S3(config, creds);
  const page = hash.replace(/^#\/?/, "").split("/")[0] || "buckets";
  const tab = (name: string, label: string) => (
    <a href={`#/${name}`} class={page === name || (name === "buckets" && ["browse", "settings"].includes(page)) ? "active" : ""}>
      {label}
    </a>
  );
  return (
    <div class="shell">
      <header>
        <strong class="brand">Cairn</strong>
        <nav>
          {tab("buckets", "Buckets")}
          {tab("identity", "Identity")}
          {tab("health", "Health")}
        </nav>
        <span class="who" id="who">
          {creds.accessKey}
        </span>
        <button id="sign-out" onClick={() => signIn(null)}>
          Sign out
        </button>
      </header>
      <main>
        <Page s3={s3} hash={hash} key={creds.accessKey} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
