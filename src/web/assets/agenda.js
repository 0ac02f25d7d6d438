// Hallway: stars in place and offline pages (optional: every page works without it).
// 1. Registers the service worker (/sw.js) that keeps visited schedule, session, speaker and
//    my-agenda pages for offline use; the first page, loaded before the worker ran, is handed
//    to it explicitly with its stylesheets and scripts.
// 2. Public pages are cached for everyone, so their star buttons are GET forms to a confirm
//    page. When the visitor is signed in, /my/starred.json gives their stars and a CSRF token,
//    and the buttons then toggle in place with a POST (falling back to the form on failure).
(function () {
  'use strict';

  if ('serviceWorker' in navigator) {
    var wasControlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (reg) {
        if (wasControlled || !reg.active) return;
        var urls = [location.href];
        var refs = document.querySelectorAll('link[rel="stylesheet"][href], script[src]');
        for (var i = 0; i < refs.length; i++) urls.push(refs[i].href || refs[i].src);
        reg.active.postMessage({ type: 'keep', urls: urls });
      })
      .catch(function () {});
  }

  var forms = document.querySelectorAll('form.star-form[data-star]');
  if (!forms.length || !window.fetch) return;
  var slug = forms[0].getAttribute('data-event');

  function label(form, on) {
    var compact = form.classList.contains('star-compact');
    return on ? '★ Starred' : compact ? '☆ Star' : '☆ Star this session';
  }

  function show(form, on) {
    var button = form.querySelector('button');
    form.setAttribute('data-starred', on ? 'true' : 'false');
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (button.firstChild && button.firstChild.nodeType === 3) button.firstChild.nodeValue = label(form, on);
  }

  fetch('/events/' + encodeURIComponent(slug) + '/my/starred.json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(function (r) {
      return r.ok ? r.json() : null;
    })
    .then(function (data) {
      if (!data || !data.signedIn) return;
      var starred = {};
      data.starred.forEach(function (code) {
        starred[code] = true;
      });
      Array.prototype.forEach.call(forms, function (form) {
        show(form, starred[form.getAttribute('data-star')] === true);
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          var button = form.querySelector('button');
          var on = form.getAttribute('data-starred') !== 'true';
          var url = form.getAttribute('action').replace(/\/star$/, on ? '/star' : '/unstar');
          button.disabled = true;
          fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': data.csrf },
            body: '_csrf=' + encodeURIComponent(data.csrf),
          })
            .then(function (r) {
              if (!r.ok) throw new Error('star failed');
              return r.json();
            })
            .then(function (res) {
              button.disabled = false;
              show(form, res.starred === true);
            })
            .catch(function () {
              button.disabled = false;
              form.submit();
            });
        });
      });
    })
    .catch(function () {});
})();
