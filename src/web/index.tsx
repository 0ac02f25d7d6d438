import type { FastifyInstance } from 'fastify';
import Html from '@kitajs/html';
import type { AppContext } from '../http/context.js';
import { Page } from './layouts/page.js';

/** Registers every server-rendered page. */
export async function webRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  void ctx;
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type('text/html; charset=utf-8').send(Page({ title: 'Home', children: <h1>Hallway</h1> }));
  });
}

/** The HTML error page (404, 400, 500) in the site layout. */
export async function renderErrorPage(status: number, message: string): Promise<string> {
  const heading = status === 404 ? 'Page not found' : status >= 500 ? 'Something went wrong' : 'That did not work';
  return Page({
    title: heading,
    children: (
      <section class="error-page">
        <h1 safe>{heading}</h1>
        <p safe>{message}</p>
        <p>
          <a href="/">Back to the home page</a>
        </p>
      </section>
    ),
  });
}
void Html;
