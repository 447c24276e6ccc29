/**
 * The thread side of VectorBuilder (vector-builder.ts): loads the saved vector index, adds
 * the passages it is sent (embedding them itself with the hashing embedder, or taking the
 * vectors given), and on "finish" drops the replaced passages and saves the index.
 * It saves nothing unless told to, so a failed transaction leaves the saved index as it was.
 */
import { parentPort, workerData } from "node:worker_threads";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { VectorIndex } from "../search/vector-index.js";
import type { BuilderReply, BuilderRequest, BuilderSetup } from "./vector-builder.js";

const setup = workerData as BuilderSetup;
const port = parentPort!;
const reply = (message: BuilderReply) => port.postMessage(message);

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
  const indexed = new Int32Array(setup.progress);
  reply({ type: "ready" });
  port.on("message", (request: BuilderRequest) => {
    try {
      switch (request.type) {
        case "add": {
          const vectors = request.vectors ?? request.texts!.map((text) => embedder!.vector(text));
          index.add(request.ids, vectors);
          Atomics.add(indexed, 0, request.ids.length);
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
