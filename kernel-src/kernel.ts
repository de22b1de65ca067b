#!/usr/bin/env node
/**
 * The `tslab-xai` kernel: the project's own tslab (node_modules/tslab), started as `tslab kernel`,
 * with one fix. tslab cancels every request that arrives within 200 ms after a cell fails, even
 * when the client asked `stop_on_error: false`; a frontend that wants the following cells to run
 * (Jupyter's "run all, continue on error", nbclient with `allow_errors`) then gets them aborted.
 * Here a request with `stop_on_error: false` runs whatever the previous cell did; with the default
 * (`true`) tslab behaves as before.
 *
 * Kernel › Interrupt stops the library's loops and synchronous cells and leaves the kernel and its
 * variables usable (interrupt.ts, engineState.ts); stream output is coalesced and iopub
 * messages are queued instead of lost when zeromq is busy (iopub.ts); an unhandled rejection no
 * longer kills the kernel (rethrowGuard.ts).
 */
/* eslint-disable @typescript-eslint/no-var-requires */
import { installInterrupt } from './interrupt';
import { installCoalescedStreams, installOrderedIopub } from './iopub';
import { guardAgainstRethrowers } from './rethrowGuard';

type ExecReq = { stop_on_error?: boolean };
type Handler = {
  executor: { interrupt(): void };
  execQueue: { add<T>(fn: () => Promise<T>): Promise<T> };
  handleExecuteImpl(req: ExecReq, ws: unknown, wd: unknown): Promise<unknown>;
  handleExecute(req: ExecReq, ws: unknown, wd: unknown): Promise<{ status: string; execution_count?: number }>;
};

const jupyter = require('tslab/dist/jupyter') as { JupyterHandlerImpl: { prototype: Handler } };
const proto = jupyter.JupyterHandlerImpl.prototype;
const original = proto.handleExecute;
proto.handleExecute = async function (this: Handler, req, ws, wd) {
  if (req.stop_on_error !== false) return original.call(this, req, ws, wd);
  let failure: { count?: number } | undefined;
  const count = await this.execQueue.add(() =>
    this.handleExecuteImpl(req, ws, wd).catch((e: { count?: number }) => {
      failure = e;
      return undefined;
    }),
  );
  if (failure) return { status: 'error', execution_count: failure.count };
  return { status: 'ok', execution_count: (count as { count?: number } | undefined)?.count };
};

installInterrupt(proto);
installCoalescedStreams(proto as never);
installOrderedIopub();
guardAgainstRethrowers();

process.argv = [process.argv[0], require.resolve('tslab/bin/tslab'), 'kernel', ...process.argv.slice(2)];
require('tslab/dist/main').main();
