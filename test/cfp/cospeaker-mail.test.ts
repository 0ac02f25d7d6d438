import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { after, before, describe, test } from 'node:test';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { createTestUser } from '../factories/users.js';
import { newActor, organizerWithEvent } from '../program/support.js';
import { startAccountApp, type AccountTestApp } from '../web-account/support.js';
import { proposalInput } from './support.js';

/**
 * Mail as a weapon, over a real server and a real SMTP server: five people name one address as
 * co-speaker; its owner still gets every password reset they ask for (the form's full allowance).
 */
describe('co-speaker invitations and account mail over SMTP', () => {
  let t: AccountTestApp;
  before(async () => {
    t = await startAccountApp();
  });
  after(async () => t?.close());

  test('five proposals naming an address: three invitations arrive, and so do all five password resets it asks for', async () => {
    const { actor: organizer, event } = await organizerWithEvent(t.app.db, 'cospmail');
    const local = (d: DateTime) => d.setZone('Europe/Amsterdam').toFormat("yyyy-MM-dd'T'HH:mm");
    const ctx = { config: t.app.hallway.ctx.config, clock: t.app.hallway.ctx.clock };
    await saveCfpSettings(t.app.db, ctx, organizer, event.id, {
      opensAt: local(DateTime.now().minus({ days: 1 })),
      closesAt: local(DateTime.now().plus({ days: 10 })),
      formats: [{ kind: 'talk', durationMinutes: 30 }],
    });
    await createTestUser(t.app.db, { email: 'victim@example.org', displayName: 'Victim' });
    for (let i = 0; i < 5; i++)
      await submitProposal(
        t.app.db,
        ctx,
        await newActor(t.app.db, `Flooder ${i}`),
        event.id,
        proposalInput({ title: `Flood ${i}`, coSpeakers: 'victim@example.org' }),
      );
    const client = t.client();
    for (let i = 0; i < 5; i++) assert.equal((await client.submit('/forgot-password', '/forgot-password', { email: 'victim@example.org' })).status, 303);
    // Five receipts to the submitters, three invitations and five resets to the address.
    const received = (await t.smtp.waitFor(5 + 3 + 5)).filter((m) => m.to.includes('victim@example.org'));
    assert.equal(received.filter((m) => m.subject === 'Reset your password').length, 5);
    assert.equal(received.filter((m) => /invites you to co-speak/.test(m.subject)).length, 3);
  });
});
