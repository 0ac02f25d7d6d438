// Hallway: live programme updates (optional: every page works without it, and a reload shows the
// same). The page's #live-status names its event's live stream (Server-Sent Events,
// /events/<slug>/live) and the release the page shows. When a new version of the programme is
// released, the status line (a polite live region) says "Programme updated: 3 changes", the page
// is fetched again and its main content swapped in place, keeping the scroll position and focus;
// the other scripts hear 'hallway:updated' and redo their part (stars, "now" marks, counts).
// A tab hidden for 30 s lets its stream go (browsers allow few connections per site over HTTP/1.1,
// and the server need not hold it) and asks again when shown, naming the release it shows, so it
// hears at once of any it missed.
// For tests: #live-status carries data-live-state (connecting, open, reconnecting, closed, paused,
// updating, updated, failed) and data-live-release (the release the page now shows).
(() => {
  var status = document.getElementById('live-status');
  var main = document.getElementById('main');
  if (!status || !main || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var url = status.getAttribute('data-live-url');
  var source = null;
  var timer = null;
  var hiddenTimer = null;

  function state(s) {
    status.setAttribute('data-live-state', s);
  }

  function connect() {
    if (source) return;
    var shown = status.getAttribute('data-live-release');
    var es = new EventSource(shown ? `${url}?release=${encodeURIComponent(shown)}` : url);
    source = es;
    state('connecting');
    es.addEventListener('open', () => {
      if (!/^updat/.test(status.getAttribute('data-live-state') || '')) state('open');
    });
    es.addEventListener('error', () => {
      if (source === es) state(es.readyState === 2 ? 'closed' : 'reconnecting');
    });
    es.addEventListener('release', (ev) => {
      var data = null;
      try {
        data = JSON.parse(ev.data);
      } catch (_e) {
        return;
      }
      if (!data || typeof data.number !== 'number') return;
      say(`Programme updated: ${changesText(data.changes)}.`);
      state('updating');
      // Many open pages fetch again at once: spread them over a second (the server renders a
      // version once and answers the others from its cache).
      clearTimeout(timer);
      timer = setTimeout(() => refresh(data), Math.floor(Math.random() * 1000));
    });
  }

  document.addEventListener('visibilitychange', () => {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === 'hidden') {
      hiddenTimer = setTimeout(() => {
        if (!source) return;
        source.close();
        source = null;
        state('paused');
      }, 30000);
    } else connect();
  });
  connect();

  function changesText(n) {
    if (typeof n !== 'number' || n <= 0) return 'new version';
    return n === 1 ? '1 change' : `${n} changes`;
  }

  /** The status line: the text (with a reload link when the page could not be refreshed) and a Dismiss button. */
  function say(text, reloadLink) {
    status.textContent = '';
    var line = document.createElement('span');
    line.className = 'live-status-text';
    line.setAttribute('data-testid', 'live-status-text');
    line.textContent = text;
    if (reloadLink) {
      var a = document.createElement('a');
      a.href = location.href;
      a.textContent = 'Reload the page to see them.';
      line.appendChild(document.createTextNode(' '));
      line.appendChild(a);
    }
    var dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'link-button live-status-dismiss';
    dismiss.setAttribute('data-testid', 'live-status-dismiss');
    dismiss.textContent = 'Dismiss';
    dismiss.addEventListener('click', () => {
      status.textContent = '';
    });
    status.appendChild(line);
    status.appendChild(document.createTextNode(' '));
    status.appendChild(dismiss);
  }

  function refresh(data) {
    fetch(location.href, { credentials: 'same-origin', cache: 'no-cache', headers: { accept: 'text/html' } })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((html) => {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('main');
        if (!fresh) throw new Error('no main content');
        swap(doc, fresh);
        status.setAttribute('data-live-release', String(data.number));
        state('updated');
      })
      .catch(() => {
        say(`Programme updated: ${changesText(data.changes)}.`, true);
        state('failed');
      });
  }

  /** Replaces everything in <main> but the status line with the fresh page's, where the reader was. */
  function swap(doc, fresh) {
    var x = window.scrollX;
    var y = window.scrollY;
    var scrolled = Array.prototype.map.call(main.querySelectorAll('.grid-scroll'), (el) => [el.scrollLeft, el.scrollTop]);
    var focused = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : '';
    var old = document.getElementById('live-status');
    var freshStatus = doc.getElementById('live-status');
    if (freshStatus) freshStatus.parentNode.removeChild(freshStatus);
    var gone = [];
    for (var n = main.firstChild; n; n = n.nextSibling) if (n !== old) gone.push(n);
    gone.forEach((node) => {
      main.removeChild(node);
    });
    while (fresh.firstChild) main.appendChild(document.adoptNode(fresh.firstChild));
    main.className = fresh.className;
    syncStylesheets(doc);
    if (doc.title) document.title = doc.title;
    Array.prototype.forEach.call(main.querySelectorAll('.grid-scroll'), (el, i) => {
      if (!scrolled[i]) return;
      el.scrollLeft = scrolled[i][0];
      el.scrollTop = scrolled[i][1];
    });
    // At once, not smoothly (the stylesheet asks for smooth scrolling): the reader never sees a jump.
    window.scrollTo({ left: x, top: y, behavior: 'instant' });
    var refocus = focused ? document.getElementById(focused) : null;
    if (refocus) refocus.focus({ preventScroll: true });
    document.dispatchEvent(new CustomEvent('hallway:updated'));
  }

  /** The fresh page's stylesheets (the track colours' address carries the version); old ones go once the new ones load. */
  function syncStylesheets(doc) {
    var wanted = {};
    Array.prototype.forEach.call(doc.querySelectorAll('head link[rel="stylesheet"][href]'), (link) => {
      wanted[link.getAttribute('href')] = true;
    });
    var have = {};
    var stale = [];
    Array.prototype.forEach.call(document.querySelectorAll('head link[rel="stylesheet"][href]'), (link) => {
      var href = link.getAttribute('href');
      if (wanted[href]) have[href] = true;
      else stale.push(link);
    });
    var waiting = 0;
    var dropStale = () => {
      if (--waiting > 0) return;
      stale.forEach((link) => {
        if (link.parentNode) link.parentNode.removeChild(link);
      });
    };
    Object.keys(wanted).forEach((href) => {
      if (have[href]) return;
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.onload = dropStale;
      link.onerror = dropStale;
      waiting++;
      document.head.appendChild(link);
    });
    if (waiting === 0) {
      waiting = 1;
      dropStale();
    }
  }
})();
