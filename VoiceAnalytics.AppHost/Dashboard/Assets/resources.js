// Resources: type, state, health, endpoints, start time, restarts, and the stop/start/restart commands.
'use strict';
VA.views.resources = {
  title: 'Resources',
  render(main) {
    const { h } = VA;
    const status = h('p', { class: 'status', id: 'resources-status', 'data-testid': 'resources-status' });
    const body = h('div', { id: 'resources-body' });
    main.append(h('h1', {}, 'Resources'), status, body);

    async function command(name, cmd, button) {
      button.disabled = true;
      status.textContent = `${cmd} ${name}…`;
      try { await VA.post(`/resources/${encodeURIComponent(name)}/${cmd}`); status.textContent = `${cmd} ${name}: sent`; }
      catch (e) { status.textContent = `${cmd} ${name} failed: ${e.message}`; }
      finally { button.disabled = false; refresh(); }
    }

    function row(r) {
      const state = (r.state || 'unknown').toLowerCase();
      const running = ['running', 'starting', 'waiting'].includes(state);
      const health = (r.health || 'unknown').toLowerCase();
      const healthText = r.health || (running ? 'Unknown' : '—');
            return h('tr', { 'data-testid': 'resource-row', 'data-resource': r.name, 'data-state': r.state, 'data-health': r.health },
        h('td', {}, h('strong', { 'data-testid': 'resource-name' }, r.name)),
        h('td', {}, r.type),
        h('td', {}, h('span', { class: 'pill state-' + state, 'data-testid': 'resource-state' },
          r.state + (r.exitCode !== null && r.exitCode !== undefined && !running ? ` (exit ${r.exitCode})` : ''))),
        h('td', {}, h('span', { class: 'pill health-' + health, 'data-testid': 'resource-health', title: r.message || '' }, healthText)),
        h('td', { class: 'endpoints' }, (r.endpoints || []).map(e => h('div', {},
          h('span', { class: 'muted small' }, e.name + ' '),
          e.url.startsWith('http') ? h('a', { href: e.url, target: '_blank', rel: 'noopener', 'data-testid': 'resource-endpoint' }, e.url)
            : h('span', { class: 'mono', 'data-testid': 'resource-endpoint' }, e.url)))),
        h('td', { title: VA.dateTime(r.startedAt) }, r.startedAt ? VA.time(r.startedAt) : '—'),
        h('td', { 'data-testid': 'resource-restarts' }, r.restarts),
        h('td', {}, r.pid ?? ''),
        h('td', { class: 'actions' },
          h('a', { href: '/console?resource=' + encodeURIComponent(r.name), 'data-testid': 'resource-console' }, 'Console'),
          h('button', { 'data-testid': 'resource-stop', disabled: !running, onclick: e => command(r.name, 'stop', e.target) }, 'Stop'),
          h('button', { 'data-testid': 'resource-start', disabled: running, onclick: e => command(r.name, 'start', e.target) }, 'Start'),
          h('button', { 'data-testid': 'resource-restart', onclick: e => command(r.name, 'restart', e.target) }, 'Restart')));
    }

    async function refresh() {
      const list = (await VA.api('/resources')) || [];
      VA.renderIfChanged(body, list, l => l.length === 0
        ? VA.empty('No resources: this dashboard runs without the orchestrator.')
        : VA.table('resources-table', ['Name', 'Type', 'State', 'Health', 'Endpoints', 'Started', 'Restarts', 'PID', ''], l.map(row)));
    }
    VA.poll(refresh);
  },
};
