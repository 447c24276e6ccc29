/** Something that runs beside the server (outbox worker, reminder scheduler, maintenance): started after it listens, stopped before it closes. */
export interface BackgroundService {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}
