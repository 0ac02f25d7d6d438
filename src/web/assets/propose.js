// Hallway "Propose a programme": while the optimizer runs, the run's page asks its state once a
// second and shows the progress in place (the status line is aria-live); when the run ends it
// reloads, showing the proposal. Without this script the page reloads itself (noscript refresh).
(() => {
  const root = document.querySelector('.propose-run[data-status="running"]');
  if (!root || !window.fetch) return;
  const url = root.getAttribute('data-run-state');
  const line = root.querySelector('.propose-progress');
  let busy = false;
  const tick = async () => {
    if (busy || document.visibilityState === 'hidden') return;
    busy = true;
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const state = await res.json();
      if (line && state.text && line.textContent !== state.text) line.textContent = state.text;
      if (state.status !== 'running') {
        clearInterval(timer);
        window.location.reload();
      }
    } catch (_e) {
      /* offline for a moment: the next tick tries again */
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, 1000);
  root.setAttribute('data-live', '1');
})();
