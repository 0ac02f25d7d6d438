import type { Db } from '../../db/database.js';
import { newSecret } from '../../lib/secrets.js';

/**
 * The instance secret used to sign cookies when SECRET_KEY is not configured: generated on first
 * use and stored, so restarts and other processes on the same database agree. The insert is
 * "first writer wins", so two processes starting together end up with the same value.
 */
export async function ensureInstanceSecret(db: Db): Promise<string> {
  const existing = await db.selectFrom('settings').select('value').where('key', '=', 'instance_secret').executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto('settings')
    .values({ key: 'instance_secret', value: newSecret() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await db.selectFrom('settings').select('value').where('key', '=', 'instance_secret').executeTakeFirstOrThrow()).value;
}
