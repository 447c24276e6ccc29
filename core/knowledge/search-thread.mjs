// The file piscina starts in each search thread (search-pool.ts). Node 20 does not hand
// tsx's module hooks (`tsx`, `node --import tsx`) on to worker threads, so the thread
// registers them itself, then loads its TypeScript module (workerData.module: normally
// search-worker.ts) and hands piscina that module's task handler.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
export default (await import(workerData.module)).default;
