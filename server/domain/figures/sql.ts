import type Database from 'better-sqlite3';
import type { Db, Tx } from '../../../db/client.js';

/** The better-sqlite3 handle under a Drizzle database or transaction (the same connection). */
export function clientOf(db: Db | Tx): Database.Database {
  const direct = (db as { $client?: Database.Database }).$client;
  if (direct) return direct;
  const viaSession = (db as unknown as { session?: { client?: Database.Database } }).session?.client;
  if (!viaSession) throw new Error('figures need a better-sqlite3 connection');
  return viaSession;
}

// Prepared once per connection: the figure queries are few and fixed, and preparing costs more
// than a small scoped query itself.
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(client: Database.Database, text: string): Database.Statement {
  let statements = cache.get(client);
  if (!statements) {
    statements = new Map();
    cache.set(client, statements);
  }
  let statement = statements.get(text);
  if (!statement) {
    statement = client.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

export function allRows<T>(db: Db | Tx, text: string, params: readonly unknown[]): T[] {
  return prepared(clientOf(db), text).all(...params) as T[];
}
