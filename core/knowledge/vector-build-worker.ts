/**
 * The thread side of VectorBuilder (vector-builder.ts): loads the saved vector index, adds
 * the passages it is sent (embedding them itself with the hashing embedder, or taking the
 * vectors given), and on "finish" drops the replaced passages and saves the index.
 * It saves nothing unless told to, so a failed transaction leaves the saved index as it was.
 */
import { parentPort, workerData } from "node:worker_threads";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { VectorIndex } from "../search/vector-index.js";
import { FAILED, INDEXED, type BuilderReply, type BuilderRequest, type BuilderSetup } from "./vector-builder.js";

const setup = workerData as BuilderSetup;
const port = parentPort!;
const progress = new Int32Array(setup.progress);
const reply = (message: BuilderReply) => {
  // The parent may be blocked in add() waiting for progress: wake it on a failure too.
  if (message.type === "failed") {
    Atomics.store(progress, FAILED, 1);
    Atomics.notify(progress, INDEXED);
  }
  port.postMessage(message);
};

function start(): { index: VectorIndex; embedder?: HashingEmbedder } {
  const loaded = VectorIndex.load(setup.indexDir, setup.embedderId, setup.dimension);
  if (!loaded) throw new Error(`the saved vector index in ${setup.indexDir} is missing or was built by another embedder`);
  const embedder = setup.embedsTexts ? new HashingEmbedder(setup.dimension) : undefined;
  if (embedder && embedder.id !== setup.embedderId) throw new Error(`the thread's embedder ${embedder.id} is not ${setup.embedderId}`);
  loaded.index.reserve(setup.expected);
  return { index: loaded.index, embedder };
}

try {
  const { index, embedder } = start();
  reply({ type: "ready" });
  port.on("message", (request: BuilderRequest) => {
    try {
      switch (request.type) {
        case "add": {
          const vectors = request.vectors ?? request.texts!.map((text) => embedder!.vector(text));
          index.add(request.ids, vectors);
          Atomics.add(progress, INDEXED, request.ids.length);
          Atomics.notify(progress, INDEXED);
          break;
        }
        case "finish":
          index.remove(request.removed);
          index.save();
          reply({ type: "saved" });
          port.close();
          break;
      }
    } catch (error) {
      reply({ type: "failed", message: (error as Error).message });
      port.close();
    }
  });
} catch (error) {
  reply({ type: "failed", message: (error as Error).message });
  port.close();
}
