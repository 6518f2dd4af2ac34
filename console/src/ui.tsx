// Small pieces every page uses: an async loader with its error, and the error box.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs `load` now and whenever `deps` change; `reload()` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string>("");
  const [busy, setBusy] = useState(true);
  const run = useCallback(async () => {
    setBusy(true);
    try {
      setData(await load());
      setError("");
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { data, error, busy, reload: run, setError };
}

export function ErrorBox({ error }: { error: string }) {
  return error ? (
    <div class="error" role="alert">
      {error}
    </div>
  ) : null;
}

export function Notice({ children }: { children: ComponentChildren }) {
  return <div class="notice">{children}</div>;
}

/** Runs an action, putting its error (if any) in `setError`; true when it succeeded. */
export async function attempt(setError: (s: string) => void, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    setError("");
    return true;
  } catch (e) {
    setError(message(e));
    return false;
  }
}
