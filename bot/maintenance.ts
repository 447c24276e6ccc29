/**
 * The server's retention passes, at start and every 6 hours: processed inbox updates and sent
 * replies older than KEEP_DAYS, expired conversation state, and members' questions older than
 * QUESTION_LOG_DAYS. Each pass runs once cluster-wide when several instances share a PostgreSQL
 * database (core/db/cluster-jobs.ts): the others skip it.
 *
 *   services.push(maintenanceService({ inbox, store, state, jobs, logger }), questionLogRetention({ log, days, jobs, logger }));
 */
import type { Logger } from "../core/logger.js";
import type { ClusterJobs } from "../core/db/cluster-jobs.js";
import type { Store } from "../core/db/store.js";
import { pruneOldReplies } from "../core/outbox/outbox.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { QuestionLog } from "../core/learning/question-log.js";
import type { BackgroundService } from "./background-service.js";

/** Processed inbox rows and sent replies are kept this long (platforms redeliver within minutes to hours). */
export const KEEP_DAYS = 14;
const MAINTENANCE_EVERY_MS = 6 * 3600 * 1000;

/** A pass at start (awaited) and every 6 hours, never two at once. */
function periodic(name: string, run: () => Promise<void>): BackgroundService {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(run);
  };
  return {
    name,
    async start() {
      tick();
      await running;
      timer = setInterval(tick, MAINTENANCE_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export interface MaintenanceDeps {
  inbox: { prune(days: number): number | Promise<number> };
  store: Store;
  state: ConversationStateStore;
  jobs: ClusterJobs;
  logger: Logger;
}

/** Prunes processed updates, sent replies and expired conversation state. */
export function maintenanceService(deps: MaintenanceDeps): BackgroundService {
  const { logger } = deps;
  return periodic("maintenance", async () => {
    try {
      const pruned = await deps.jobs.exclusive("maintenance", async () => ({
        updates: await deps.inbox.prune(KEEP_DAYS),
        replies: await pruneOldReplies(deps.store, KEEP_DAYS),
        states: await deps.state.prune(),
      }));
      if (pruned && (pruned.updates || pruned.replies || pruned.states)) logger.info(pruned, "pruned old updates, replies and conversation state");
    } catch (err) {
      logger.error({ err }, "maintenance failed");
    }
  });
}

/** Deletes members' questions older than QUESTION_LOG_DAYS. */
export function questionLogRetention(deps: { log: QuestionLog; days: number; jobs: ClusterJobs; logger: Logger }): BackgroundService {
  const { logger, days } = deps;
  return periodic("question log retention", async () => {
    try {
      const n = await deps.jobs.exclusive("question log retention", () => deps.log.prune(days));
      if (n) logger.info({ questions: n, days }, "deleted members' questions past the retention period");
    } catch (err) {
      logger.error({ err }, "question log retention failed");
    }
  });
}
