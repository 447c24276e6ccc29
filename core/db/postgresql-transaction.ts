/**
 * One PostgreSQL transaction on a connection of the pool: BEGIN, the work, COMMIT; ROLLBACK when
 * the work throws (the error is rethrown), and the connection goes back to the pool either way.
 *
 *   const ids = await inPostgresqlTransaction(store.pg, async (client) => (await client.query("…")).rows);
 */
import type pg from "pg";

export async function inPostgresqlTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
