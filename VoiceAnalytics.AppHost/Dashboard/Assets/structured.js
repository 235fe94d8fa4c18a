// Structured logs from OTLP: filter by resource, minimum level, text and conversation id; trace ids link to the waterfall.
'use strict';
VA.views.structured = {
  title: 'Structured logs',
  render(main) {
    const { h } = VA;
    const resource = h('select', { id: 'logs-resource', 'data-testid': 'logs-resource' });
    const level = h('select', { id: 'logs-level', 'data-testid': 'logs-level' },
      ['', 'Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical'].map(l =>
        h('option', { value: l, selected: l === VA.param('level') }, l ? l + ' and above' : 'Any level')));
    const text = h('input', { id: 'logs-text', 'data-testid': 'logs-text', type: 'search', placeholder: 'Message contains…', value: VA.param('text') });
    const conversation = h('input', { id: 'logs-conversation', 'data-testid': 'logs-conversation', type: 'search', placeholder: 'conversation.id', value: VA.param('conversation') });
    const trace = h('input', { id: 'logs-trace', 'data-testid': 'logs-trace', type: 'search', placeholder: 'Trace id', value: VA.param('trace') });
    const body = h('div', { id: 'logs-body' });
    main.append(h('h1', {}, 'Structured logs'),
      h('div', { class: 'filters' }, h('label', {}, 'Resource ', resource), h('label', {}, 'Level ', level),
        h('label', {}, 'Text ', text), h('label', {}, 'Conversation ', conversation), h('label', {}, 'Trace ', trace)),
      body);

    const filters = () => ({ resource: resource.value, level: level.value, text: text.value.trim(), conversation: conversation.value.trim(), trace: trace.value.trim() });

    async function refresh() {
      const f = filters();
      VA.setParams(f);
      const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
      const logs = (await VA.api('/logs?' + q)) || [];
      VA.renderIfChanged(body, logs, l => l.length === 0 ? VA.empty('No logs match.') : VA.views.structured.table(l));
    }

    [resource, level].forEach(el => el.addEventListener('change', () => refresh()));
    [text, conversation, trace].forEach(el => el.addEventListener('input', () => refresh()));
    VA.serviceOptions(resource, VA.param('resource')).then(() => VA.poll(refresh));
  },

  // Also used by the conversation view.
  table(logs) {
    const { h } = VA;
    const rows = [];
    for (const l of logs) {
      const details = h('tr', { class: 'details', hidden: true }, h('td', { colspan: 6 }, VA.attributes(l.attributes, 'log-attributes')));
      rows.push(h('tr', { class: 'clickable', 'data-testid': 'log-row', 'data-service': l.serviceName, onclick: () => { details.hidden = !details.hidden; } },
        h('td', { class: 'nowrap' }, VA.time(l.time)),
        h('td', {}, VA.serviceBadge(l.serviceName)),
        h('td', {}, VA.levelBadge(l.level)),
        h('td', { class: 'category' }, l.category),
        h('td', { 'data-testid': 'log-message' }, l.message),
        h('td', {}, l.traceId ? h('a', { href: '/traces/' + l.traceId, 'data-testid': 'log-trace-link', onclick: e => e.stopPropagation() }, l.traceId.slice(0, 8)) : '')), details);
    }
    return VA.table('logs-table', ['Time', 'Resource', 'Level', 'Category', 'Message', 'Trace'], rows);
  },
};
