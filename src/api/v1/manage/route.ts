import type { FastifyInstance } from 'fastify';
import { tokenRoute, type TokenRouteSpec } from '../token-route.js';

export type ManageRouteSpec = TokenRouteSpec;

/** Declares one organizer-API route (tag "Organizer"); see tokenRoute. */
export function manageRoute(app: FastifyInstance, spec: ManageRouteSpec): void {
  tokenRoute(app, 'Organizer', spec);
}
