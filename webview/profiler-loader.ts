// Loads the profiler bundle (TensorFlow.js) the first time a profile is asked for, never at startup.
// Two ways, depending on the page:
// - VS Code webview: the panel names dist/webview-profiler.js in <meta name="resgraph-profiler-src">;
//   we add a <script src> carrying the nonce of our own script (the CSP allows scripts by nonce only).
// - Standalone report: the code sits inline in <script type="text/plain" id="resgraph-profiler">
//   (no network, no outside file); we run it as an inline script, which that page's CSP allows.

import { PROFILER_GLOBAL, PROFILER_INLINE_ID, PROFILER_SRC_META, type ProfilerApi } from "./profiler-api";

/** The nonce our own script was started with (read at startup: document.currentScript is null later). */
const OWN_NONCE = (document.currentScript as HTMLScriptElement | null)?.nonce ?? "";

let loading: Promise<ProfilerApi> | null = null;

function published(): ProfilerApi | undefined {
  return (window as unknown as Record<string, ProfilerApi | undefined>)[PROFILER_GLOBAL];
}

/** True when this page can load the profiler at all (it names or carries the bundle). */
export function profilerAvailable(): boolean {
  return published() !== undefined || document.getElementById(PROFILER_INLINE_ID) !== null || document.querySelector(`meta[name="${PROFILER_SRC_META}"]`) !== null;
}

export function loadProfiler(): Promise<ProfilerApi> {
  const ready = published();
  if (ready) return Promise.resolve(ready);
  loading ??= load().catch((e: unknown) => {
    loading = null; // let a later request try again
    throw e;
  });
  return loading;
}

function load(): Promise<ProfilerApi> {
  const inline = document.getElementById(PROFILER_INLINE_ID);
  const src = document.querySelector<HTMLMetaElement>(`meta[name="${PROFILER_SRC_META}"]`)?.content;
  if (!inline?.textContent && !src) {
    return Promise.reject(new Error("This page does not carry the profiler (dist/webview-profiler.js); rebuild ResGraph with `npm run build`."));
  }
  return new Promise<ProfilerApi>((resolve, reject) => {
    const script = document.createElement("script");
    if (OWN_NONCE) script.nonce = OWN_NONCE;
    const finish = (): void => {
      const api = published();
      if (api) resolve(api);
      else reject(new Error("The profiler script loaded but did not start; see the webview's developer tools for its error."));
    };
    if (inline?.textContent) {
      script.textContent = inline.textContent;
      document.head.append(script); // inline scripts run synchronously on insertion
      finish();
      return;
    }
    script.src = src!;
    script.addEventListener("load", finish);
    script.addEventListener("error", () => reject(new Error(`The profiler script ${src} could not be loaded (missing from dist/, or refused by the page's Content-Security-Policy).`)));
    document.head.append(script);
  });
}
