/**
 * Data-parallel training on several cores (worker_threads, one tfjs engine per thread): see
 * {@link dataParallel}.
 *
 * @example
 * ```ts
 * import { dataParallel } from './lib/engine/parallel';
 * ```
 */
export { dataParallel, DataParallel, type DataParallelOptions } from './dataParallel';
export { hostTensor, hostShard, type Replica, type ReplicaFactory, type ReplicaOptimizer, type HostTensor, type Shard } from './replica';
