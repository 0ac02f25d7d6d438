import type Html from '@kitajs/html';
import { attrText } from '../components/html.js';
import { CsrfField } from '../components/form.js';

export interface EventNav {
  slug: string;
  title: string;
  current: 'event' | 'schedule' | 'speakers' | 'session' | 'speaker' | 'cfp';
}

/**
 * A page that follows its event live (assets/live.js): the event's live stream and the release
 * the page shows, so a release made between rendering and connecting is still announced.
 */
export interface LiveMark {
  readonly url: string;
  readonly release: number;
}

export interface PageProps {
  /** Page title; " · Hallway" is appended. */
  title: string;
  /** The event's own navigation (event, schedule, speakers), shown on event-scoped pages. */
  eventNav?: EventNav;
  /** Extra stylesheets (e.g. the grid placement classes or an event's track colours). */
  styles?: readonly string[];
  /** Same-origin scripts, loaded with defer; pages must work without them. */
  scripts?: readonly string[];
  description?: string;
  /** Atom feeds of the page, advertised to browsers and feed readers (`<link rel="alternate">`). */
  feeds?: ReadonlyArray<{ readonly href: string; readonly title: string }>;
  /** Class on <main>, for pages that need a wider layout. */
  mainClass?: string;
  children?: Html.Children;
  /**
   * Private pages (account, back office) pass the signed-in person and a CSRF token for the
   * sign-out button. Public pages are cached for everyone and show only an "Account" link.
   */
  account?: { displayName: string; isAdmin: boolean; csrf: string };
  /** A one-line notice from the previous form post ("Session saved."). */
  notice?: string;
  /** Follow the event live: a status line announces a new release and the main content is refreshed in place. */
  live?: LiveMark;
  /**
   * Without JavaScript, reload the page every this many seconds (a job's status page); browsers
   * running scripts ignore it (it is inside <noscript>) and the page's script updates it instead.
   */
  refreshSeconds?: number;
}

/**
 * The one HTML shell: skip link, header with the event navigation, main landmark, footer.
 * Works without JavaScript. Children must already be rendered (synchronous): a promise here
 * would be a bug, so it is refused rather than printed as "[object Promise]".
 */
export function Page(props: PageProps): string {
  const nav = props.eventNav;
  const html = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title safe>{`${props.title} · Hallway`}</title>
        {props.description ? <meta name="description" content={attrText(props.description)} /> : ''}
        <link rel="icon" href="data:," />
        {props.refreshSeconds ? `<noscript><meta http-equiv="refresh" content="${Math.max(1, Math.round(props.refreshSeconds))}"></noscript>` : ''}
        {(props.feeds ?? []).map((f) => (
          <link rel="alternate" type="application/atom+xml" title={attrText(f.title)} href={attrText(f.href)} />
        ))}
        <link rel="stylesheet" href="/assets/app.css" />
        {(props.styles ?? []).map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {[...(props.scripts ?? []), ...(props.live ? [LIVE_SCRIPT] : [])].map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="brand" href="/">
              Hallway
            </a>
            {nav ? (
              <nav class="event-nav" aria-label="Event">
                <ul>
                  <li>
                    <a href={`/events/${nav.slug}`} aria-current={nav.current === 'event' ? 'page' : undefined} safe>
                      {nav.title}
                    </a>
                  </li>
                  <li>
                    <a href={`/events/${nav.slug}/schedule`} aria-current={nav.current === 'schedule' ? 'page' : undefined}>
                      Schedule
                    </a>
                  </li>
                  <li>
                    <a href={`/events/${nav.slug}/speakers`} aria-current={nav.current === 'speakers' ? 'page' : undefined}>
                      Speakers
                    </a>
                  </li>
                </ul>
              </nav>
            ) : (
              ''
            )}
            <AccountNav account={props.account} />
          </div>
        </header>
        <main id="main" class={props.mainClass}>
          {props.live ? (
            <div
              id="live-status"
              class="live-status"
              role="status"
              aria-live="polite"
              data-testid="live-status"
              data-live-url={props.live.url}
              data-live-release={String(props.live.release)}
            ></div>
          ) : (
            ''
          )}
          {props.notice ? (
            <p class="notice" role="status" safe>
              {props.notice}
            </p>
          ) : (
            ''
          )}
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            Powered by Hallway · <a href="/api/openapi.json">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
  if (typeof html !== 'string') throw new Error('Page children must be rendered synchronously');
  return `<!doctype html>${html}`;
}

const LIVE_SCRIPT = '/assets/live.js';

function AccountNav(props: { account: PageProps['account'] }): JSX.Element {
  const a = props.account;
  if (!a) {
    return (
      <nav class="account-nav" aria-label="Account">
        <a href="/account">Account</a>
      </nav>
    );
  }
  return (
    <nav class="account-nav" aria-label="Account">
      <ul>
        <li>
          <a href="/manage">Manage</a>
        </li>
        {a.isAdmin ? (
          <li>
            <a href="/admin">Admin</a>
          </li>
        ) : (
          ''
        )}
        <li>
          <a href="/account" safe>
            {a.displayName}
          </a>
        </li>
        <li>
          <form method="post" action="/sign-out" class="button-form">
            <CsrfField token={a.csrf} />
            <button type="submit" class="link-button">
              Sign out
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}
