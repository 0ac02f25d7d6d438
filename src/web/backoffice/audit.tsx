import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { listAudit } from '../../modules/accounts/audit.queries.js';
import { formatDayMedium, LocalClock } from '../components/time-format.js';
import { boContext, boPage, DataTable, idParam, loadEvent } from './shared.js';

/** How many entries the audit page shows (newest first). */
const AUDIT_LIMIT = 200;

/*
 *   GET /manage/events/:id/audit     who changed what and when, newest first, in the event's zone (organizers)
 */
export async function auditPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/audit', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'audit');
    const entries = await listAudit(ctx.db, { eventId: ed.event.id }, AUDIT_LIMIT);
    const clock = new LocalClock(ed.event.timeZone);
    const html = boPage(c, {
      title: 'Audit log',
      event: { ed, section: 'audit' },
      children: (
        <>
          <h1>Audit log</h1>
          <p class="lede" safe>{`Every change to this event, newest first (the latest ${AUDIT_LIMIT}). Times in ${ed.event.timeZone}.`}</p>
          <DataTable caption="Audit log" headers={['When', 'Who', 'What']} empty="Nothing yet.">
            {entries.map((e) => {
              const t = clock.at(e.created_at);
              return (
                <tr>
                  <td>
                    <time datetime={t.datetime} safe>
                      {`${formatDayMedium(t.date)} ${t.hhmm} ${clock.abbreviation(t.ms)}`}
                    </time>
                  </td>
                  <td safe>{e.actor_label}</td>
                  <td>
                    <span safe>{e.summary}</span>
                    <br />
                    <code class="hint" safe>
                      {e.action}
                    </code>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </>
      ),
    });
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
