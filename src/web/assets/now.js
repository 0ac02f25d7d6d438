// Hallway: the "now and next" board refreshes itself every minute, and within 20 seconds of a
// schedule change (the board carries the programme version). Optional: reloading does the same.
// After a release, live.js swaps the whole page's content at once; the board is looked up afresh.
(() => {
  var first = document.getElementById('now-board');
  if (!first || first.getAttribute('data-fixed') === 'true' || !window.fetch || !window.DOMParser) return;
  var minute = Math.floor(Date.now() / 60000);

  function refresh() {
    var board = document.getElementById('now-board');
    if (!board) return;
    fetch(location.href, { credentials: 'same-origin', cache: 'no-cache' })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('now-board');
        if (!fresh) return;
        var now = Math.floor(Date.now() / 60000);
        if (fresh.getAttribute('data-version') === board.getAttribute('data-version') && now === minute) return;
        minute = now;
        var current = document.getElementById('now-board');
        if (current) current.replaceWith(document.importNode(fresh, true));
      })
      .catch(() => {});
  }

  setInterval(refresh, 20000);
})();
