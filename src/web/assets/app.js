// Hallway progressive enhancement (optional: every page works without it).
// Marks programme items that are running right now, using the <time datetime> values the server
// wrote, and scrolls the first one into view on the schedule (on load only: after a live update,
// 'hallway:updated' from live.js, the marks are redone where the reader is).
(() => {
  function mark() {
    var now = Date.now();
    var items = document.querySelectorAll('.slot, .item, .agenda-item');
    var first = null;
    for (var i = 0; i < items.length; i++) {
      var times = items[i].querySelectorAll('time[datetime]');
      if (times.length < 2 || items[i].classList.contains('is-now')) continue;
      var start = Date.parse(times[0].getAttribute('datetime'));
      var end = Date.parse(times[1].getAttribute('datetime'));
      if (!(start <= now && now < end)) continue;
      items[i].classList.add('is-now');
      var badge = document.createElement('span');
      badge.className = 'badge badge-now';
      badge.textContent = 'Now';
      var meta = items[i].querySelector('.slot-meta, .item-meta, .agenda-title');
      if (meta) meta.appendChild(badge);
      if (!first) first = items[i];
    }
    return first;
  }

  var first = mark();
  if (first && !location.hash && first.scrollIntoView) first.scrollIntoView({ block: 'center', inline: 'nearest' });
  document.addEventListener('hallway:updated', mark);
})();
