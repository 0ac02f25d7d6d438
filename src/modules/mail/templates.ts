/*
 * Mail templates as plain functions: data in, { subject, text, html } out. Every interpolated
 * value goes through escapeHtml in the HTML part (names, titles and links come from users).
 * Links are absolute (built by the caller from BASE_URL).
 */

export interface MailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** One paragraph of text, or a link shown as a button. */
type Block = string | { readonly link: string; readonly label: string };

/** A mail from a greeting and blocks (paragraphs, button links); shared by the modules that mail. */
export function compose(subject: string, greeting: string, blocks: readonly Block[]): MailContent {
  const text = [greeting, ...blocks.map((b) => (typeof b === 'string' ? b : `${b.label}:\n${b.link}`)), '— Hallway'].join('\n\n');
  const body = [greeting, ...blocks]
    .map((b) =>
      typeof b === 'string'
        ? `<p>${escapeHtml(b)}</p>`
        : `<p><a href="${escapeHtml(b.link)}" style="display:inline-block;padding:10px 16px;background:#1f4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(b.label)}</a></p>\n<p style="font-size:13px;color:#555">${escapeHtml(b.link)}</p>`,
    )
    .join('\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36em">\n${body}\n<p>— Hallway</p>\n</body></html>\n`;
  return { subject, text, html };
}

const hi = (name: string) => `Hello ${name},`;

/** After sign-up: confirm the address. */
export function verifyEmailMail(p: { displayName: string; link: string; hours: number }): MailContent {
  return compose('Confirm your e-mail address', hi(p.displayName), [
    'Please confirm that this is your e-mail address by opening the link below.',
    { link: p.link, label: 'Confirm my e-mail address' },
    `The link works once and expires in ${p.hours} hours. If you did not create an account, ignore this mail.`,
  ]);
}

/** Someone signed up with an address that already has an account (sent instead of an error). */
export function signUpAttemptMail(p: { displayName: string; signInUrl: string; resetUrl: string }): MailContent {
  return compose('Someone tried to sign up with your address', hi(p.displayName), [
    'Someone (perhaps you) tried to create a new account with this e-mail address, but you already have one.',
    { link: p.signInUrl, label: 'Sign in' },
    { link: p.resetUrl, label: 'Forgot your password? Reset it' },
    'If it was not you, you can ignore this mail: nothing was changed.',
  ]);
}

/** A one-time sign-in link asked for on the sign-in page. */
export function signInLinkMail(p: { displayName: string; link: string; minutes: number }): MailContent {
  return compose('Your sign-in link', hi(p.displayName), [
    'Open the link below to sign in.',
    { link: p.link, label: 'Sign in' },
    `The link works once and expires in ${p.minutes} minutes. If you did not ask for it, ignore this mail.`,
  ]);
}

/** A password reset link. */
export function passwordResetMail(p: { displayName: string; link: string; minutes: number }): MailContent {
  return compose('Reset your password', hi(p.displayName), [
    'Someone (hopefully you) asked to reset the password of your account. Open the link below to choose a new one.',
    { link: p.link, label: 'Choose a new password' },
    `The link works once and expires in ${p.minutes} minutes. Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays the same.`,
  ]);
}

/** An invitation to a role in an event or community. */
export function invitationMail(p: { inviterName: string; roleLabel: string; scopeName: string; link: string; days: number }): MailContent {
  return compose(`Invitation: ${p.roleLabel} of ${p.scopeName}`, 'Hello,', [
    `${p.inviterName} invites you to join ${p.scopeName} as ${p.roleLabel.toLowerCase()}.`,
    { link: p.link, label: 'Accept the invitation' },
    `Sign in (or create an account) with this e-mail address to accept. The invitation expires in ${p.days} days.`,
  ]);
}
