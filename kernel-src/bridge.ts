/**
 * The tslab bridge: inside the tslab kernel, `lib`'s display sink becomes real Jupyter messages —
 * one `display_data` carrying several MIME types at once (image/png + text/html + text/plain …),
 * and `update_display_data` with a display id for outputs that update in place (progress bars).
 * Outside tslab (plain Node, tests) nothing changes: `lib` keeps its console sink.
 *
 * tslab's public `display` sends one MIME type per output, so the bridge talks to the function
 * tslab itself uses (`lastWriteDisplayData` of the kernel's own `tslab/dist/jupyter` module).
 */
import * as path from 'path';
import { consoleSink, setDisplaySink, type DisplaySink } from '../lib/display/sink';
import type { MimeBundle } from '../lib/display/figure';

type WriteDisplayData = (content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => void;

/** The tslab jupyter module the running kernel loaded, or undefined outside the kernel. */
function kernelJupyterModule(): { lastWriteDisplayData: WriteDisplayData | null } | undefined {
  const suffix = path.join('tslab', 'dist', 'jupyter.js');
  for (const key of Object.keys(require.cache)) {
    if (key.endsWith(suffix)) return require.cache[key]?.exports as { lastWriteDisplayData: WriteDisplayData | null };
  }
  return undefined;
}

/** A display sink that writes Jupyter messages through the running tslab kernel. */
export function tslabSink(): DisplaySink | undefined {
  const jupyter = kernelJupyterModule();
  if (!jupyter) return undefined;
  const send = (bundle: MimeBundle, metadata: Record<string, unknown> | undefined, id: string | undefined, update: boolean) => {
    const write = jupyter.lastWriteDisplayData;
    if (!write) {
      // between executions (e.g. a timer after its cell finished): fall back to the log
      consoleSink.display(bundle);
      return;
    }
    write({ data: { ...bundle }, metadata: metadata ?? {}, transient: id ? { display_id: id } : {} }, update);
  };
  return {
    live: true,
    display: (bundle, metadata, id) => send(bundle, metadata, id, false),
    update: (bundle, metadata, id) => send(bundle, metadata, id, true),
  };
}

let installed = false;

/**
 * Installs the tslab sink when running inside the tslab kernel; a no-op elsewhere. (tslab itself
 * keeps the kernel alive on uncaught errors, so a throwing cell does not stop the next ones.)
 * Returns whether the kernel sink is active.
 */
export function installKernelBridge(): boolean {
  if (installed) return true;
  const sink = tslabSink();
  if (!sink) return false;
  setDisplaySink(sink);
  installed = true;
  return true;
}
