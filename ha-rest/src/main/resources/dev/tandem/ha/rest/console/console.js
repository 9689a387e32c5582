// Tandem HA console: reads /v1/server/ha/states and /v1/applications with HTTP Basic credentials typed by the user
// and shows the plane and the managed applications (entities and their sensors).
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
    $('applications').hidden = true;
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

  // ---------------------------------------------------------------- managed applications
  // Read with Brooklyn's REST API: /v1/applications, then each entity's sensors and children. The master serves its
  // state, a HOT_STANDBY or HOT_BACKUP its read-only copy; any other node keeps no copy, so nothing is asked of it.
  const HOT_COPY = ['HOT_STANDBY', 'HOT_BACKUP'];

  async function getJson(path) {
    const response = await fetch(new URL(path, location.origin), {
      headers: { 'Authorization': sessionStorage.getItem(KEY), 'Accept': 'application/json' },
      credentials: 'omit',
      cache: 'no-store'
    });
    if (!response.ok) {
      let message = 'HTTP ' + response.status;
      try {
        const error = await response.json();
        message = error.message + (error.details ? ' (' + error.details + ')' : '');
      } catch (ignored) {
        // not JSON: keep the status
      }
      const failure = new Error(message);
      failure.status = response.status;
      throw failure;
    }
    return response.json();
  }

  function path(...parts) {
    return '/v1/applications/' + parts.map(encodeURIComponent).join('/');
  }

  // the entity and its descendants, depth-first, each as {entity, depth, sensors}
  async function entityTree(appId, entity, depth, out) {
    const [sensors, children] = await Promise.all([
      getJson(path(appId, 'entities', entity.id, 'sensors', 'current-state')),
      getJson(path(appId, 'entities', entity.id, 'children'))]);
    out.push({ entity: entity, depth: depth, sensors: sensors });
    for (const child of children) {
      await entityTree(appId, child, depth + 1, out);
    }
    return out;
  }

  function sensorText(sensors) {
    return Object.keys(sensors).map((k) => {
      const v = sensors[k];
      return k + ' = ' + (typeof v === 'string' ? v : JSON.stringify(v));
    }).join('\n');
  }

  function appBlock(app, rows) {
    const block = document.createDocumentFragment();
    const title = document.createElement('h3');
    title.className = 'app';
    title.textContent = app.spec.name + ' (' + app.id + '), ' + app.status;
    block.appendChild(title);
    const table = document.createElement('table');
    table.className = 'entities';
    const head = table.createTHead().insertRow();
    ['Entity', 'Id', 'Type', 'Sensors'].forEach((h) => {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    });
    const body = table.createTBody();
    rows.forEach((r) => {
      const row = body.insertRow();
      cell(row, '\u00a0\u00a0'.repeat(r.depth) + r.entity.name);
      cell(row, r.entity.id);
      cell(row, r.entity.type);
      cell(row, sensorText(r.sensors)).className = 'sensors';
    });
    block.appendChild(table);
    return block;
  }

  function showBanner(text) {
    $('apps-banner').textContent = text;
    $('apps-banner').hidden = !text;
  }

  async function refreshApplications(role) {
    $('applications').hidden = false;
    const list = $('apps-list');
    if (role !== 'MASTER' && HOT_COPY.indexOf(role) < 0) {
      showBanner('This node is ' + role + ': it keeps no copy of the managed applications. See them on the master '
        + '(or on a HOT_STANDBY or HOT_BACKUP node).');
      list.textContent = '';
      return;
    }
    showBanner(HOT_COPY.indexOf(role) >= 0 ? 'Read-only copy: this ' + role + ' node shows its copy of the '
      + 'master\u2019s applications, which may lag a moment behind; changes are made on the master.' : '');
    const blocks = [];
    try {
      let apps;
      try {
        apps = await getJson('/v1/applications');
      } catch (e) {
        throw e.status === 404 ? new Error('managed applications are not installed on this node') : e;
      }
      for (const app of apps) {
        const root = await getJson(path(app.id, 'entities', app.id));
        blocks.push(appBlock(app, await entityTree(app.id, root, 0, [])));
      }
    } catch (e) {
      list.textContent = '';
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = 'Cannot list the applications: ' + e.message;
      list.appendChild(p);
      return;
    }
    list.textContent = '';
    if (blocks.length === 0) {
      const p = document.createElement('p');
      p.id = 'no-apps';
      p.textContent = 'No applications.';
      list.appendChild(p);
    }
    blocks.forEach((b) => list.appendChild(b));
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
    const states = await response.json();
    render(states);
    const own = (states.nodes || {})[states.ownId];
    await refreshApplications(own ? own.status : 'unknown');
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
