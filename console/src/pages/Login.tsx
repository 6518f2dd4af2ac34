// Sign in: the keys are checked with one signed request (ListBuckets; a principal that may not
// list buckets is still let in, with that said) and kept in sessionStorage only.
import { useState } from "preact/hooks";
import { S3, S3Error } from "../s3";
import type { Config, Creds } from "../s3";
import { ErrorBox, message } from "../ui";

export function Login({ config, onSignIn }: { config: Config; onSignIn: (c: Creds) => void }) {
  const [accessKey, setAccessKey] = useState("");
  const [secretKey, setSecretKey] = useState("");
  const [sessionToken, setSessionToken] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const creds = { accessKey: accessKey.trim(), secretKey, sessionToken: sessionToken.trim() || undefined };
    try {
      await new S3(config, creds).listBuckets();
      onSignIn(creds);
    } catch (err) {
      if (err instanceof S3Error && err.code === "AccessDenied") onSignIn(creds); // valid keys, narrow policy
      else setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>Cairn console</h1>
      <p class="muted">Sign in with an access key and secret key (root or IAM user). Requests are signed in this browser and sent to {config.endpoint}.</p>
      <label>
        Access key
        <input id="access-key" autocomplete="username" value={accessKey} onInput={(e) => setAccessKey(e.currentTarget.value)} required />
      </label>
      <label>
        Secret key
        <input id="secret-key" type="password" autocomplete="current-password" value={secretKey} onInput={(e) => setSecretKey(e.currentTarget.value)} required />
      </label>
      <details>
        <summary class="muted">Temporary credentials</summary>
        <label>
          Session token
          <input id="session-token" value={sessionToken} onInput={(e) => setSessionToken(e.currentTarget.value)} />
        </label>
      </details>
      <button id="sign-in" type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
