// Hallway: the "now and next" board refreshes itself every minute, and within 20 seconds of a
// schedule change (the board carries the programme version). Optional: reloading does the same.
(() => {
  var board = document.getElementById('now-board');
  if (!board || board.getAttribute('data-fixed') === 'true' || !window.fetch || !window.DOMParser) return;
  var minute = Math.floor(Date.now() / 60000);

  function refresh() {
    fetch(location.href, { credentials: 'same-origin', cache: 'no-cache' })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('now-board');
        if (!fresh) return;
        var now = Math.floor(Date.now() / 60000);
        if (fresh.getAttribute('data-version') === board.getAttribute('data-version') && now === minute) return;
        minute = now;
        var next = document.importNode(fresh, true);
        board.replaceWith(next);
        board = next;
      })
      .catch(() => {});
  }

  setInterval(refresh, 20000);
})();
