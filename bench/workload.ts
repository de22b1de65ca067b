/**
 * What a benchmark workload is. `bench/run.ts` times `run` `reps` times (default 3) and prints the
 * best, as `bench/reference/reference_cnn.py` does. Put a module exporting
 * `workloads: Workload[]` in `bench/workloads/` and `npm run bench` finds it.
 *
 * @example
 * ```ts
 * export const workloads: Workload[] = [{ name: 'saliency-64', reps: 5, run: () => saliency(m, x).dispose() }];
 * ```
 */
export interface Workload {
  /** Printed as `name`; `--only name,name` selects by it. */
  name: string;
  /** One timed repetition. */
  run(): Promise<void> | void;
  /** Timed repetitions; the best one is printed. Default 3. */
  reps?: number;
  /** Untimed preparation, called once before the first repetition. */
  setup?(): Promise<unknown> | unknown;
  /** Extra fields for the JSON line, read after the repetitions (e.g. an accuracy). */
  extra?(): object;
}
