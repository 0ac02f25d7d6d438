import { DomainError } from '../../lib/domain-error.js';

/**
 * Error codes of the webhook actions (see docs/errors.md); VALIDATION_FAILED, FORBIDDEN and
 * NOT_FOUND are the back office's shared ones (EventErrors).
 */
export const WebhookErrors = {
  /** The URL is well-formed but Hallway will not post to it (SSRF); the problem sits on `url`. */
  urlRefused: (reason: string) =>
    new DomainError('WEBHOOK_URL_REFUSED', `Hallway will not send webhooks to this address: ${reason}.`, 422, [{ path: 'url', message: reason }]),
  notFound: (id: number) => new DomainError('NOT_FOUND', `No webhook #${id} here.`, 404),
};
