import Html from '@kitajs/html';

export interface PageProps {
  /** Page title; " · Hallway" is appended. */
  title: string;
  /** Optional breadcrumb-like context shown above the main heading area. */
  eventNav?: { slug: string; title: string; current: 'event' | 'schedule' | 'speakers' | 'session' | 'speaker' };
  /** Extra stylesheets (e.g. an event's track colours). */
  styles?: string[];
  description?: string;
  children?: Html.Children;
}

/** The one HTML shell: skip link, header, main landmark, footer. Works without JavaScript. */
export function Page(props: PageProps): string {
  const nav = props.eventNav;
  return (
    '<!doctype html>' +
    (
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} · Hallway`}</title>
          {props.description ? <meta name="description" content={props.description} /> : ''}
          <link rel="stylesheet" href="/assets/app.css" />
          {(props.styles ?? []).map((href) => <link rel="stylesheet" href={href} />)}
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <a class="brand" href="/">
              Hallway
            </a>
            {nav ? (
              <nav aria-label="Event">
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
          </header>
          <main id="main">{props.children}</main>
          <footer class="site-footer">
            <p>
              Powered by Hallway · <a href="/api/openapi.json">API</a>
            </p>
          </footer>
        </body>
      </html>
    )
  );
}
