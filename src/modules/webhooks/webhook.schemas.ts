import { z } from 'zod';
import { optionalText, requiredUrl } from '../../lib/form-fields.js';

/*
 * Input of the webhook actions: a form post or JSON; unknown fields (the CSRF token) are ignored.
 */

export const CreateWebhookSchema = z.object({
  url: requiredUrl,
  description: optionalText(200),
});
export type CreateWebhookInput = z.output<typeof CreateWebhookSchema>;

/** Pause (false) or resume (true), from JSON. */
export const WebhookStateSchema = z.object({
  active: z.boolean({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be true or false') }),
});
