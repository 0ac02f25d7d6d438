import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, deleteRecap, publishRecap, saveRecapDraft, unpublishRecap } from '../../src/modules/agenda/recap.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { sqliteDatabase } from '../support/databases.js';
import { importConference, newActor, useDatabase } from '../agenda/support.js';
import { moduleContext } from '../support/module-context.js';

/**
 * Public pages are cached per event version, and session pages list the recaps that mention
 * them: so whatever changes what the public sees of a recap bumps the version, and draft edits
 * do not.
 */
describe('recap changes and the event version', () => {
  const ctx = useDatabase(sqliteDatabase);
  let eventId: number;
  let ids: Record<string, number>;
  let ann: Actor;
  before(async () => {
    ({ eventId, ids } = await importConference(ctx.db, buildEventDoc()));
    ann = await newActor(ctx.db, 'Ann');
    await saveNote(ctx.db, ann, eventId, ids.keynote!, { body: 'Notes', qa: '' });
  });
  const version = async () => (await ctx.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
  const input = { title: 'T', introduction: '' };

  test('draft edits keep the version; publish, edits while published, unpublish and delete bump it', async () => {
    const recap = await createRecapDraft(moduleContext(ctx.db), ann, eventId);
    let v = await version();
    await saveRecapDraft(moduleContext(ctx.db), ann, recap.id, { ...input, sections: [{ sessionId: ids.keynote, notes: 'n', qa: '' }] });
    assert.equal(await version(), v, 'a draft edit is private');
    await publishRecap(moduleContext(ctx.db), ann, recap.id);
    assert.equal(await version(), ++v);
    await saveRecapDraft(moduleContext(ctx.db), ann, recap.id, { ...input, sections: [{ sessionId: ids.keynote, notes: 'changed', qa: '' }] });
    assert.equal(await version(), ++v);
    await unpublishRecap(moduleContext(ctx.db), ann, recap.id);
    assert.equal(await version(), ++v);
    await deleteRecap(moduleContext(ctx.db), ann, recap.id);
    assert.equal(await version(), v, 'deleting a draft changes nothing public');
    const second = await createRecapDraft(moduleContext(ctx.db), ann, eventId);
    await publishRecap(moduleContext(ctx.db), ann, second.id);
    v = await version();
    await deleteRecap(moduleContext(ctx.db), ann, second.id);
    assert.equal(await version(), v + 1);
  });
});
