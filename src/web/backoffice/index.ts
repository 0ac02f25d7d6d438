import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { privatePages } from '../private.js';
import { auditPages } from './audit.js';
import { openingHoursPages } from './availability.js';
import { cfpSettingsPages } from './cfp-settings.js';
import { eventCancelPages } from './event-cancel.js';
import { eventPages } from './events.js';
import { homePages } from './home.js';
import { interestPages } from './interest.js';
import { hostPages } from './hosts.js';
import { livePages } from './live.js';
import { proposalPages } from './proposals.js';
import { proposePages } from './propose.js';
import { releasePages } from './releases.js';
import { roomPages } from './rooms.js';
import { scheduleEditorPages } from './schedule-editor.js';
import { sessionPages } from './sessions.js';
import { speakerPages } from './speakers.js';
import { sponsorPages } from './sponsors.js';
import { teamPages } from './team.js';
import { trackPages } from './tracks.js';
import { webhookPages } from './webhooks.js';

/**
 * The organizer back office under /manage (see each area file for its routes). Everything runs
 * inside `privatePages`: signed-in only (anonymous people are sent to sign in), never cached,
 * CSRF-checked posts. Permissions are the actions' and policies'; pages answer 403 or 404 through
 * the app's error page when they refuse.
 */
export async function backofficePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await privatePages(app, ctx, async (scope) => {
    await homePages(scope, ctx);
    await eventPages(scope, ctx);
    await eventCancelPages(scope, ctx);
    await roomPages(scope, ctx);
    await trackPages(scope, ctx);
    await sessionPages(scope, ctx);
    await releasePages(scope, ctx);
    await scheduleEditorPages(scope, ctx);
    await proposePages(scope, ctx);
    await openingHoursPages(scope, ctx);
    await speakerPages(scope, ctx);
    await sponsorPages(scope, ctx);
    await hostPages(scope, ctx);
    await teamPages(scope, ctx);
    await cfpSettingsPages(scope, ctx);
    await proposalPages(scope, ctx);
    await interestPages(scope, ctx);
    await webhookPages(scope, ctx);
    await auditPages(scope, ctx);
    await livePages(scope, ctx);
    await (await import('./groups.js')).groupBackofficePages(scope, ctx);
  });
}
