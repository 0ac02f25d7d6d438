// Live seat count on the public event page (optional). The page itself is cached for everyone
// and never carries counts; this reads them from the small uncached endpoint named in
// data-counts and writes one line, e.g. "12 seats left" or "Full: join the waitlist".
(() => {
  // "You're going" / "on the waitlist, number 4" and the ticket for a signed-in person.
  var mine = document.querySelector('[data-mine]');
  if (mine && window.fetch) {
    fetch(mine.getAttribute('data-mine'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : null))
      .then((m) => {
        if (!m?.signedIn || !m.text) return;
        mine.textContent = `${m.text} `;
        if (m.ticket) {
          var a = document.createElement('a');
          a.href = m.ticket;
          a.className = 'button';
          a.textContent = 'Show my ticket';
          mine.appendChild(a);
        }
        mine.hidden = false;
      })
      .catch(() => {});
  }
  var el = document.querySelector('[data-counts]');
  if (!el || !window.fetch) return;
  fetch(el.getAttribute('data-counts'), { headers: { Accept: 'application/json' }, credentials: 'omit' })
    .then((res) => (res.ok ? res.json() : null))
    .then((c) => {
      if (!c || c.seatsLeft === null || c.seatsLeft === undefined) return;
      el.hidden = false;
      el.textContent = c.seatsLeft > 0 ? c.seatsLeft + (c.seatsLeft === 1 ? ' seat left' : ' seats left') : 'Full: new RSVPs join the waitlist';
    })
    .catch(() => {});
})();
