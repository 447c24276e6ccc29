// The file a vector-building thread starts with (vector-builder.ts). Node 20 does not hand
// tsx's module hooks (`tsx`, `node --import tsx`) on to worker threads, so the thread
// registers them itself, then runs its TypeScript module (workerData.module).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
