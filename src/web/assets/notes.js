// Hallway: a note saves itself as you type (optional: the Save button posts the same form).
// Each save sends the revision the page holds; the server answers the new revision, or 409 when
// the note changed elsewhere (another tab or device), and then nothing is overwritten.
(() => {
  var form = document.querySelector('form.note-form[data-autosave]');
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var status = form.querySelector('.save-status');
  var revision = form.querySelector('input[name="revision"]');
  var timer = null;
  var saving = false;
  var again = false;
  var conflict = false;

  function say(text, state) {
    status.textContent = text;
    status.setAttribute('data-state', state);
  }

  function save() {
    if (conflict) return;
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    say('Saving…', 'saving');
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then((r) => r.json().then((data) => ({ ok: r.ok, status: r.status, data: data })))
      .then((res) => {
        if (res.ok) {
          revision.value = String(res.data.revision);
          say('Saved', 'saved');
        } else if (res.status === 409) {
          conflict = true;
          say(
            'Conflict: this note was changed elsewhere (another tab or device) and was not saved. Reload to see that version, or press Save to see both.',
            'conflict',
          );
        } else {
          say(`Not saved: ${res.data?.error?.message || 'please press Save.'}`, 'error');
        }
      })
      .catch(() => {
        say('Not saved (offline?): your text is still here; it saves when you type again online.', 'error');
      })
      .then(() => {
        saving = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  form.addEventListener('input', () => {
    if (conflict) return;
    clearTimeout(timer);
    say('Unsaved changes…', 'dirty');
    timer = setTimeout(save, 600);
  });
})();
