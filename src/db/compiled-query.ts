import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { isPostgres, type Database } from './database.js';

/*
 * Queries built and compiled once per dialect, then run with new arguments: for the statements a
 * busy server runs on every request (token check, event lookup, RSVP writes), where Kysely's
 * builder and compiler cost more than the database's execution of the statement.
 */

/** Stand-in parameter for argument i while the query is built (never sent to a database). */
const MARK = '\u0000hallway-arg:';

/**
 * A query made by `build` from stand-ins for its arguments: `build` receives one stand-in per
 * argument (typed `never`, so it fits any column) and must use each only as a bound value, never
 * to decide the query's shape (the shape is fixed by the first call). Returns a function running
 * it on a database or transaction with real arguments, in the same order.
 *
 *   const findX = compiledOnce<[number], XRow>(1, (db, [id]) => db.selectFrom('x').selectAll().where('id', '=', id));
 */
export function compiledOnce<A extends readonly unknown[], R>(
  arity: A['length'],
  build: (db: Kysely<Database>, args: readonly never[]) => Compilable<unknown>,
): (db: Kysely<Database>, args: A) => Promise<R[]> {
  // [SQLite, PostgreSQL]
  const compiled: [CompiledQuery?, CompiledQuery?] = [];
  const marks = Array.from({ length: arity }, (_, i) => `${MARK}${i}`) as never[];
  return async (db, args) => {
    const dialect = isPostgres(db) ? 1 : 0;
    const query = (compiled[dialect] ??= build(db, marks).compile());
    const params = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? args[Number(p.slice(MARK.length))] : p));
    return (await db.executeQuery<R>(CompiledQuery.raw(query.sql, params))).rows;
  };
}
