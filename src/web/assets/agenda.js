// Hallway: stars in place and offline pages (optional: every page works without it).
// 1. Registers the service worker (/sw.js) that keeps visited schedule, session, speaker and
//    my-agenda pages for offline use; the first page, loaded before the worker ran, is handed
//    to it explicitly with its stylesheets and scripts.
// 2. Public pages are cached for everyone, so their star buttons submit the page's one GET form
//    (#star-form) to a confirm page. When the visitor is signed in, /my/starred.json gives their
//    stars and a CSRF token, and the buttons then toggle in place with a POST (falling back to
//    the confirm page on failure). After a live update of the page ('hallway:updated' from
//    live.js) the new buttons are shown in the same state.
(() => {
  if ('serviceWorker' in navigator) {
    var wasControlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .then((reg) => {
        if (wasControlled || !reg.active) return;
        var urls = [location.href];
        var refs = document.querySelectorAll('link[rel="stylesheet"][href], script[src]');
        for (var i = 0; i < refs.length; i++) urls.push(refs[i].href || refs[i].src);
        reg.active.postMessage({ type: 'keep', urls: urls });
      })
      .catch(() => {});
  }

  var host = document.getElementById('star-form');
  var buttons = document.querySelectorAll('button[form="star-form"][name="session"]');
  if (!host || !buttons.length || !window.fetch) return;
  var slug = host.getAttribute('data-event');
  var base = `/events/${encodeURIComponent(slug)}`;

  function show(button, on) {
    var compact = button.classList.contains('star-compact');
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (button.firstChild && button.firstChild.nodeType === 3) {
      button.firstChild.nodeValue = on ? '★ Starred' : compact ? '☆ Star' : '☆ Star this session';
    }
  }

  fetch(`${base}/my/starred.json`, { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .then((data) => {
      if (!data?.signedIn) return;
      var starred = {};
      data.starred.forEach((code) => {
        starred[code] = true;
      });
      var showAll = () => {
        Array.prototype.forEach.call(document.querySelectorAll('button[form="star-form"][name="session"]'), (button) => {
          show(button, starred[button.value] === true);
        });
      };
      showAll();
      document.addEventListener('hallway:updated', showAll);
      // "Add slides or video": only for the session's own speakers.
      (data.speaking || []).forEach((code) => {
        Array.prototype.forEach.call(document.querySelectorAll('a.speaker-only[data-session]'), (a) => {
          if (a.getAttribute('data-session') === code) a.hidden = false;
        });
      });
      // One listener for the page's many buttons.
      document.addEventListener('click', (ev) => {
        var button = ev.target.closest?.('button[form="star-form"][name="session"]');
        if (!button) return;
        ev.preventDefault();
        var on = button.getAttribute('aria-pressed') !== 'true';
        var session = `${base}/sessions/${encodeURIComponent(button.value)}`;
        button.disabled = true;
        fetch(session + (on ? '/star' : '/unstar'), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': data.csrf },
          body: `_csrf=${encodeURIComponent(data.csrf)}`,
        })
          .then((r) => {
            if (!r.ok) throw new Error('star failed');
            return r.json();
          })
          .then((res) => {
            button.disabled = false;
            starred[button.value] = res.starred === true;
            show(button, res.starred === true);
          })
          .catch(() => {
            // The no-JS path: the confirm page.
            location.href = `${session}/star?next=${encodeURIComponent(location.pathname + location.search)}`;
          });
      });
    })
    .catch(() => {});
})();
