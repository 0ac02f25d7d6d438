// Hallway service worker: visited schedule, session, speaker and my-agenda pages (and the
// stylesheets and scripts they use) work offline. Network first, so a page online is always
// current; when the network fails, the last copy is served with an "offline — last updated"
// notice added at the top of its main content. My agenda is private: every sign-in and sign-out
// response carries Clear-Site-Data: "storage" (src/web/account/page.ts), which empties these
// caches and unregisters this worker, so the next person never gets the previous one's copy.

var CACHE = 'hallway-pages-v1';
var PAGE = /^\/events\/[^/]+\/(schedule|sessions\/[^/]+|speakers|speakers\/[^/]+|my-agenda)$/;
var ASSET = /^\/(assets\/[^/]+\.(css|js)|events\/[^/]+\/theme\.css)$/;

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function cacheable(url) {
  return url.origin === self.location.origin && (PAGE.test(url.pathname) || ASSET.test(url.pathname));
}

/** Stores a good, same-origin, non-redirected answer with the time it was fetched. */
function keep(key, response) {
  if (response?.status !== 200 || response.type !== 'basic' || response.redirected) return Promise.resolve();
  var headers = new Headers(response.headers);
  headers.set('x-hallway-saved-at', new Date().toISOString());
  return response
    .blob()
    .then((body) => caches.open(CACHE).then((cache) => cache.put(key, new Response(body, { status: 200, statusText: 'OK', headers: headers }))));
}

function offlineNotice(savedAt) {
  var when = savedAt ? new Date(savedAt) : null;
  // The pages' own way of writing a day ("Thu 15 April, 10:32"), not the browser's locale default
  // (a US "4/15/2027, 10:32:07 AM" on a European conference's pages).
  var text =
    when && !Number.isNaN(when.getTime())
      ? when.toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hour12: false })
      : 'earlier';
  return (
    '<p class="notice offline-notice" role="status">Offline — last updated ' +
    (when ? `<time datetime="${when.toISOString()}">${text}</time>` : text) +
    '. This is the copy saved on this device.</p>'
  );
}

function fromCache(request) {
  return caches.match(request.url, { ignoreVary: true }).then((hit) => {
    if (!hit) {
      if (request.mode !== 'navigate') return Response.error();
      return new Response(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Hallway</title><link rel="stylesheet" href="/assets/app.css"></head>' +
          '<body><main id="main"><h1>You are offline</h1><p>This page was not saved on this device. Pages you visited while online (schedule, sessions, speakers, my agenda) open offline.</p></main></body></html>',
        { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
      );
    }
    if ((hit.headers.get('content-type') || '').indexOf('text/html') !== 0) return hit;
    var savedAt = hit.headers.get('x-hallway-saved-at');
    return hit.text().then((html) => {
      var marked = html.replace(/<main\b[^>]*>/, (tag) => tag + offlineNotice(savedAt));
      var headers = new Headers(hit.headers);
      headers.delete('content-length');
      headers.delete('content-encoding');
      return new Response(marked, { status: 200, headers: headers });
    });
  });
}

self.addEventListener('fetch', (event) => {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (!cacheable(url)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        event.waitUntil(keep(request.url, response.clone()));
        return response;
      })
      .catch(() => fromCache(request)),
  );
});

// The page that registered the worker was loaded before it ran: it sends its URL and assets.
self.addEventListener('message', (event) => {
  var data = event.data;
  if (data?.type !== 'keep' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    Promise.all(
      data.urls.slice(0, 20).map((href) => {
        var url = new URL(href, self.location.origin);
        if (!cacheable(url)) return null;
        return fetch(url.href, { credentials: 'same-origin' })
          .then((response) => keep(url.href, response))
          .catch(() => {});
      }),
    ),
  );
});
