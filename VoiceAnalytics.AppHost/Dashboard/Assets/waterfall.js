// One trace as a waterfall: spans nested under their parents, bars placed on the trace's timeline, and the
// selected span's attributes and events.
'use strict';
VA.views.trace = {
  title: 'Trace',
  render(main, traceId) {
    const { h } = VA;
    const header = h('div', { id: 'trace-header', 'data-testid': 'trace-header' });
    const waterfall = h('div', { class: 'waterfall', id: 'trace-waterfall', 'data-testid': 'trace-waterfall' });
    const details = h('div', { class: 'span-details', id: 'span-details', 'data-testid': 'span-details', hidden: true });
    main.append(h('p', {}, h('a', { href: '/traces' }, '← Traces')), header, waterfall, details);
    let selected = null;

    // Depth-first order: each span right after its parent, siblings by start time.
    function order(spans) {
      const ids = new Set(spans.map(s => s.spanId));
      const children = new Map();
      for (const s of spans) {
        const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : '';
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(s);
      }
      const out = [];
      const visit = (parent, depth) => (children.get(parent) || [])
        .sort((a, b) => new Date(a.start) - new Date(b.start))
        .forEach(s => { out.push({ span: s, depth }); visit(s.spanId, depth + 1); });
      visit('', 0);
      return out;
    }

    function showDetails(s) {
      details.hidden = false;
      details.replaceChildren(
        h('h2', { 'data-testid': 'span-details-name' }, s.name),
        h('dl', {},
          h('dt', {}, 'Resource'), h('dd', {}, VA.serviceBadge(s.serviceName)),
          h('dt', {}, 'Kind'), h('dd', {}, s.kind),
          h('dt', {}, 'Status'), h('dd', {}, s.status + (s.statusMessage ? ': ' + s.statusMessage : '')),
          h('dt', {}, 'Duration'), h('dd', {}, VA.duration(s.durationMs)),
          h('dt', {}, 'Span id'), h('dd', { class: 'mono' }, s.spanId),
          h('dt', {}, 'Parent'), h('dd', { class: 'mono' }, s.parentSpanId || '—'),
          h('dt', {}, 'Scope'), h('dd', {}, s.scope)),
        h('h3', {}, 'Attributes'), VA.attributes(s.attributes, 'span-attributes'),
        h('h3', {}, `Events (${s.events.length})`),
        h('ul', { class: 'events', 'data-testid': 'span-events' }, s.events.map(e =>
          h('li', {}, h('strong', {}, e.name), ' ', h('span', { class: 'muted' }, VA.time(e.time)), VA.attributes(e.attributes, 'event-attributes')))));
    }

    function build(trace) {
      const t0 = new Date(trace.summary.start).getTime();
      const total = Math.max(trace.summary.durationMs, 0.001);
      header.replaceChildren(
        h('h1', {}, trace.summary.rootName),
        h('p', { class: 'muted' }, 'Trace ', h('span', { class: 'mono', 'data-testid': 'trace-id' }, trace.summary.traceId), ' · ',
          VA.dateTime(trace.summary.start), ' · ', VA.duration(trace.summary.durationMs), ' · ',
          h('span', { 'data-testid': 'trace-span-total' }, trace.spans.length), ' spans · ',
          h('a', { href: '/structured?trace=' + trace.summary.traceId, 'data-testid': 'trace-logs-link' }, 'logs of this trace')),
        h('p', { 'data-testid': 'trace-services' }, trace.summary.services.map(VA.serviceBadge)));
      const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => h('span', { style: `left:${f * 100}%` }, VA.duration(total * f)));
      return [h('div', { class: 'wf-row wf-head' }, h('div', { class: 'wf-name' }, 'Span'), h('div', { class: 'wf-track ticks' }, ticks)),
        ...order(trace.spans).map(({ span: s, depth }) => {
          const left = 100 * (new Date(s.start).getTime() - t0) / total;
          const width = Math.max(0.4, 100 * s.durationMs / total);
          const row = h('div', { class: 'wf-row' + (s.status === 'Error' ? ' error-row' : ''), 'data-testid': 'span-row',
            'data-span-id': s.spanId, 'data-service': s.serviceName, tabindex: 0 },
            h('div', { class: 'wf-name', style: `padding-left:${depth * 14 + 6}px` }, VA.serviceBadge(s.serviceName), ' ',
              h('span', { 'data-testid': 'span-name' }, s.name)),
            h('div', { class: 'wf-track' },
              h('div', { class: 'wf-bar', style: `left:${Math.min(left, 99.6)}%;width:${Math.min(width, 100 - Math.min(left, 99.6))}%;background:${VA.color(s.serviceName)}` }),
              // The label goes after the bar, or before it when the bar ends near the right edge.
              left + width > 80
                ? h('span', { class: 'wf-dur before', style: `right:${100 - left}%` }, VA.duration(s.durationMs))
                : h('span', { class: 'wf-dur', style: `left:${left + width}%` }, VA.duration(s.durationMs))));
          row.addEventListener('click', () => {
            waterfall.querySelectorAll('.selected').forEach(r => r.classList.remove('selected'));
            row.classList.add('selected');
            selected = s.spanId;
            showDetails(s);
          });
          if (selected === s.spanId) row.classList.add('selected');
          return row;
        })];
    }

    VA.poll(async () => {
      const trace = await VA.api('/traces/' + encodeURIComponent(traceId));
      if (!trace) { waterfall.replaceChildren(VA.empty('This trace is not (or no longer) in the store.')); return; }
      VA.renderIfChanged(waterfall, trace, build);
    });
  },
};
