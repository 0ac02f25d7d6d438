// Check-in with the camera (optional: the page works without it, by typing the ticket code or
// searching by name). Where the browser has BarcodeDetector, a "Scan with the camera" button
// starts the rear camera, reads QR codes, and checks each ticket in with fetch, showing the
// result in place so the next person can be scanned at once.
(() => {
  var form = document.getElementById('ticket-form');
  var box = document.getElementById('scanner');
  var result = document.getElementById('checkin-result');
  if (!form || !box || !result || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'button-secondary';
  button.textContent = 'Scan with the camera';
  form.insertBefore(button, box);

  var stream = null;
  var video = null;
  var lastToken = '';
  var lastAt = 0;
  var busy = false;

  function show(r) {
    result.className = `checkin-result checkin-${r.kind}`;
    result.setAttribute('data-code', r.code);
    result.textContent = '';
    var t = document.createElement('p');
    t.className = 'checkin-title';
    t.textContent = r.title;
    var d = document.createElement('p');
    d.className = 'checkin-detail';
    d.textContent = r.detail;
    result.appendChild(t);
    result.appendChild(d);
  }

  function submit(token) {
    busy = true;
    var data = new URLSearchParams();
    data.set('_csrf', form.elements._csrf.value);
    data.set('token', token);
    fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then((res) => res.json())
      .then((body) => {
        if (body?.result) show(body.result);
      })
      .catch(() => {
        show({ kind: 'refused', code: 'NETWORK', title: 'No connection', detail: 'The check-in was not sent; try again.' });
      })
      .then(() => {
        busy = false;
      });
  }

  function stop() {
    if (stream)
      stream.getTracks().forEach((t) => {
        t.stop();
      });
    stream = null;
    box.hidden = true;
    box.textContent = '';
    button.textContent = 'Scan with the camera';
  }

  function start() {
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    } catch (_e) {
      button.remove();
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        video = document.createElement('video');
        video.setAttribute('playsinline', '');
        video.setAttribute('aria-label', 'Camera view for scanning tickets');
        video.muted = true;
        video.srcObject = s;
        box.appendChild(video);
        box.hidden = false;
        button.textContent = 'Stop the camera';
        return video.play().then(() => {
          loop(detector);
        });
      })
      .catch(() => {
        show({ kind: 'refused', code: 'CAMERA', title: 'No camera', detail: 'The camera is not available; type the ticket code or search by name.' });
      });
  }

  function loop(detector) {
    if (!stream) return;
    detector
      .detect(video)
      .then((codes) => {
        var now = Date.now();
        for (var i = 0; i < codes.length; i++) {
          var token = String(codes[i].rawValue || '').trim();
          if (!/^t\./.test(token) || busy) continue;
          if (token === lastToken && now - lastAt < 4000) continue;
          lastToken = token;
          lastAt = now;
          submit(token);
          break;
        }
      })
      .catch(() => {})
      .then(() => {
        setTimeout(() => {
          loop(detector);
        }, 250);
      });
  }

  button.addEventListener('click', () => {
    if (stream) stop();
    else start();
  });
})();
