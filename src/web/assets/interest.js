// "N interested" on cached public pages (optional: without it the slots stay hidden). The pages
// carry empty [data-interest] slots only when the event shows interest counts; the numbers
// change with every star, so they are read from the small uncached /events/:slug/interest.json
// (again after a live update of the page: 'hallway:updated' from live.js).
(() => {
  function fill() {
    var slots = document.querySelectorAll('[data-interest][data-event]');
    if (!slots.length || !window.fetch) return;
    var slug = slots[0].getAttribute('data-event');
    fetch(`/events/${encodeURIComponent(slug)}/interest.json`, { headers: { Accept: 'application/json' }, credentials: 'omit' })
      .then((res) => (res.ok ? res.json() : null))
      .then((data) => {
        if (!data?.counts) return;
        Array.prototype.forEach.call(slots, (el) => {
          var n = data.counts[el.getAttribute('data-interest')] || 0;
          if (!n) return;
          el.textContent = `${n} interested`;
          el.hidden = false;
        });
      })
      .catch(() => {});
  }

  fill();
  document.addEventListener('hallway:updated', fill);
})();
