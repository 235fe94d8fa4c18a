// Traces: root span, services touched, duration, errors; each row opens the waterfall.
'use strict';
VA.views.traces = {
  title: 'Traces',
  render(main) {
    const { h } = VA;
    const resource = h('select', { id: 'traces-resource', 'data-testid': 'traces-resource' });
    const text = h('input', { id: 'traces-text', 'data-testid': 'traces-text', type: 'search', placeholder: 'Root span name or trace id', value: VA.param('text') });
    const errors = h('input', { id: 'traces-errors', 'data-testid': 'traces-errors', type: 'checkbox', checked: VA.param('errors') === 'true' });
    const body = h('div', { id: 'traces-body' });
    main.append(h('h1', {}, 'Traces'),
      h('div', { class: 'filters' }, h('label', {}, 'Resource ', resource), h('label', {}, 'Search ', text), h('label', {}, errors, ' Errors only')),
      body);

    async function refresh() {
      const f = { resource: resource.value, text: text.value.trim(), errors: errors.checked ? 'true' : '' };
      VA.setParams(f);
      const traces = (await VA.api('/traces?' + new URLSearchParams(Object.entries(f).filter(([, v]) => v)))) || [];
      VA.renderIfChanged(body, traces, t => t.length === 0 ? VA.empty('No traces yet.') : VA.views.traces.table(t, 'traces-table', 'trace-row'));
    }
    resource.addEventListener('change', () => refresh());
    errors.addEventListener('change', () => refresh());
    text.addEventListener('input', () => refresh());
    VA.serviceOptions(resource, VA.param('resource')).then(() => VA.poll(refresh));
  },

  // Also used by the conversation view.
  table(traces, testId, rowTestId) {
    const { h } = VA;
    const longest = Math.max(...traces.map(t => t.durationMs), 0.001);
    return VA.table(testId, ['Start', 'Root span', 'Services', 'Spans', 'Duration', ''], traces.map(t =>
      h('tr', { 'data-testid': rowTestId, 'data-trace-id': t.traceId, class: t.hasError ? 'error-row' : '' },
        h('td', { class: 'nowrap', title: VA.dateTime(t.start) }, VA.time(t.start)),
        h('td', {}, VA.serviceBadge(t.rootService), ' ',
          h('a', { href: '/traces/' + t.traceId, 'data-testid': 'trace-link' }, t.rootName)),
        h('td', { 'data-testid': 'trace-services' }, t.services.map(VA.serviceBadge)),
        h('td', { 'data-testid': 'trace-span-count' }, t.spanCount),
        h('td', { class: 'nowrap' }, h('span', { class: 'durbar', style: `width:${Math.max(2, 80 * t.durationMs / longest)}px` }), ' ', VA.duration(t.durationMs)),
        h('td', {}, t.hasError ? h('span', { class: 'pill health-unhealthy', 'data-testid': 'trace-error' }, 'error') : ''))));
  },
};
