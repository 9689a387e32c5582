// Tandem HA console: reads /v1/server/ha/states with HTTP Basic credentials typed by the user and shows the plane.
// The credentials stay in this tab's sessionStorage (gone when the tab closes); nothing else is stored.
'use strict';
(function () {
  const KEY = 'tandem.console.authorization';
  const REFRESH_MS = 3000;
  const $ = (id) => document.getElementById(id);
  let timer = null;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  }

  function showLogin(message) {
    clearTimeout(timer);
    $('plane').hidden = true;
    $('logout').hidden = true;
    $('who').textContent = '';
    $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'status error' : 'status';
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function link(uri) {
    if (typeof uri !== 'string' || !/^https?:\/\//i.test(uri)) {
      return document.createTextNode(uri == null ? '' : String(uri));
    }
    const a = document.createElement('a');
    a.href = uri;
    a.textContent = uri;
    return a;
  }

  function time(millis) {
    if (typeof millis !== 'number' || millis <= 0) {
      return '';
    }
    return new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function render(states) {
    const nodes = states.nodes || {};
    const own = nodes[states.ownId];
    const master = states.masterId ? nodes[states.masterId] : null;
    const isMaster = states.masterId != null && states.masterId === states.ownId;
    const role = own ? own.status : 'unknown';

    $('own-id').textContent = states.ownId;
    $('own-role').textContent = role;
    $('plane-id').textContent = states.planeId || '(none yet)';
    $('master-id').textContent = states.masterId || '(none)';
    document.title = 'Tandem: ' + role;

    const hint = $('master-hint');
    hint.textContent = '';
    if (master) {
      hint.appendChild(document.createTextNode('The master is ' + master.nodeId + (master.nodeUri ? ' at ' : '.')));
      if (master.nodeUri) {
        hint.appendChild(link(master.nodeUri));
      }
    } else {
      hint.textContent = 'No master is known right now.';
    }
    $('not-master').hidden = isMaster;

    const body = $('nodes').tBodies[0];
    body.textContent = '';
    Object.keys(nodes).forEach((id) => {
      const n = nodes[id];
      const row = document.createElement('tr');
      row.dataset.state = n.status;
      row.className = (id === states.masterId ? 'master ' : '') + (id === states.ownId ? 'self' : '');
      cell(row, n.nodeId + (id === states.ownId ? ' (this node)' : ''));
      cell(row, n.status);
      cell(row, String(n.priority));
      cell(row, time(n.remoteTimestamp));
      cell(row, '').appendChild(link(n.nodeUri));
      body.appendChild(row);
    });
    setStatus('Updated ' + new Date().toLocaleTimeString() + '; refreshes every ' + REFRESH_MS / 1000 + ' s.', false);
    $('login').hidden = true;
    $('plane').hidden = false;
    $('logout').hidden = false;
  }

  async function refresh() {
    const authorization = sessionStorage.getItem(KEY);
    if (!authorization) {
      showLogin('');
      return;
    }
    let response;
    try {
      // location.origin, never the page's URL: a page opened as http://user:pass@host/ has credentials in its URL,
      // and fetch() refuses any URL resolved against it.
      response = await fetch(new URL('/v1/server/ha/states', location.origin), {
        headers: { 'Authorization': authorization, 'Accept': 'application/json' },
        credentials: 'omit',
        cache: 'no-store'
      });
    } catch (e) {
      setStatus('This node does not answer (' + e.message + '); retrying.', true);
      schedule();
      return;
    }
    if (response.status === 401) {
      sessionStorage.removeItem(KEY);
      showLogin('Wrong user name or password.');
      return;
    }
    if (!response.ok) {
      let message = 'HTTP ' + response.status;
      try {
        const error = await response.json();
        message = error.message + (error.details ? ' (' + error.details + ')' : '');
      } catch (ignored) {
        // not JSON: keep the status
      }
      if (response.status === 403) {
        sessionStorage.removeItem(KEY);
        showLogin(message);
        return;
      }
      $('plane').hidden = false;
      setStatus(message + '; retrying.', true);
      schedule();
      return;
    }
    render(await response.json());
    schedule();
  }

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const user = $('user').value;
    const password = $('password').value;
    // btoa takes Latin-1 only: encode UTF-8 first, as servers read Basic credentials
    const bytes = new TextEncoder().encode(user + ':' + password);
    const authorization = 'Basic ' + btoa(String.fromCharCode.apply(null, bytes));
    sessionStorage.setItem(KEY, authorization);
    $('password').value = '';
    $('who').textContent = user;
    refresh();
  });

  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    showLogin('Signed out.');
  });

  refresh();
})();
