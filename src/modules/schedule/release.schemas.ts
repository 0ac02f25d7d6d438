import { z } from 'zod';
import { optionalText } from '../../lib/form-fields.js';

/** A form checkbox (absent: unchecked) or a JSON boolean. */
const flag = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1' || v === 1, z.boolean());

/**
 * Input of releaseSchedule, from the back-office form or JSON. `name` defaults to the next
 * number; `holdSpeakerMails` keeps the speakers' mails from going (a form's unchecked box and an
 * absent JSON field both mean "send").
 */
export const ReleaseScheduleSchema = z.object({
  name: optionalText(60),
  comment: optionalText(2_000),
  holdSpeakerMails: flag.optional().default(false),
});
export type ReleaseScheduleInput = z.output<typeof ReleaseScheduleSchema>;
