// Metrics: the pipeline's headline panels, then every metric with its latest values and a small chart.
'use strict';
VA.views.metrics = {
  title: 'Metrics',
  render(main) {
    const { h } = VA;
    const keyPanels = h('div', { class: 'cards', id: 'key-metrics', 'data-testid': 'key-metrics' });
    const resource = h('select', { id: 'metrics-resource', 'data-testid': 'metrics-resource' });
    const name = h('input', { id: 'metrics-name', 'data-testid': 'metrics-name', type: 'search', placeholder: 'Metric name contains…', value: VA.param('name') });
    const all = h('div', { id: 'metrics-body' });
    main.append(h('h1', {}, 'Metrics'), keyPanels, h('h2', {}, 'All metrics'),
      h('div', { class: 'filters' }, h('label', {}, 'Resource ', resource), h('label', {}, 'Name ', name)), all);

    const isDistribution = m => m.type === 'histogram' || m.type === 'summary';
    const unit = m => m.unit && !m.unit.startsWith('{') ? ' ' + m.unit : '';
    const valueText = (m, s) => isDistribution(m)
      ? `avg ${VA.number(s.average)}${unit(m)} · p95 ${VA.number(s.p95)}${unit(m)} · n=${s.count}`
      : VA.number(s.value) + unit(m);

    function seriesTable(m, testId) {
      return VA.table(testId, ['Resource', 'Series', 'Value'], m.series.map(s =>
        h('tr', { 'data-testid': 'metric-series', 'data-metric': m.name },
          h('td', {}, VA.serviceBadge(m.serviceName)),
          h('td', { class: 'mono small' }, s.seriesKey || '(all)'),
          h('td', { class: 'num', 'data-testid': 'metric-value' }, valueText(m, s)))));
    }

    function chart(m, samples) {
      const width = 320, height = 70, pad = 4;
      const bySeries = new Map();
      for (const s of samples) { if (!bySeries.has(s.seriesKey)) bySeries.set(s.seriesKey, []); bySeries.get(s.seriesKey).push(s); }
      const times = samples.map(s => new Date(s.time).getTime());
      const values = samples.map(s => s.value);
      const [t0, t1] = [Math.min(...times), Math.max(...times)];
      const [v0, v1] = [Math.min(0, ...values), Math.max(...values, 1e-9)];
      const x = t => pad + (t1 > t0 ? (t - t0) / (t1 - t0) : 1) * (width - 2 * pad);
      const y = v => height - pad - (v - v0) / (v1 - v0 || 1) * (height - 2 * pad);
      const ns = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      svg.setAttribute('class', 'chart');
      svg.setAttribute('preserveAspectRatio', 'none');
      svg.setAttribute('data-testid', 'metric-chart');
      [...bySeries.entries()].forEach(([key, points]) => {
        const line = document.createElementNS(ns, 'polyline');
        line.setAttribute('points', points.map(p => `${x(new Date(p.time).getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '));
        line.setAttribute('stroke', VA.color(key));
        line.setAttribute('vector-effect', 'non-scaling-stroke');
        line.append(Object.assign(document.createElementNS(ns, 'title'), { textContent: key || m.name }));
        svg.append(line);
      });
      return svg;
    }

    function metricBlock(m, testId) {
      const holder = h('div', { class: 'chart-holder' });
      VA.api(`/metrics/history?resource=${encodeURIComponent(m.serviceName)}&name=${encodeURIComponent(m.name)}`)
        .then(samples => { if (samples && samples.length > 1) holder.append(chart(m, samples)); });
      return h('div', { class: 'metric', 'data-testid': 'metric', 'data-metric': m.name, 'data-service': m.serviceName },
        h('div', { class: 'metric-title' }, h('strong', {}, m.name), ' ', h('span', { class: 'muted small' }, m.type, m.description ? ' · ' + m.description : '')),
        seriesTable(m, testId), holder);
    }

    async function refresh() {
      const panels = (await VA.api('/metrics/key')) || [];
      VA.renderIfChanged(keyPanels, panels, p => p.map(panel =>
        h('section', { class: 'card', 'data-testid': 'key-metric-' + panel.id },
          h('h3', {}, panel.title),
          panel.metrics.length === 0 ? VA.empty('Not reported yet.') : panel.metrics.map(m => metricBlock(m, 'key-metric-table')))));
      VA.setParams({ resource: resource.value, name: name.value.trim() });
      const q = new URLSearchParams(Object.entries({ resource: resource.value, name: name.value.trim() }).filter(([, v]) => v));
      const metrics = (await VA.api('/metrics?' + q)) || [];
      VA.renderIfChanged(all, metrics, list => list.length === 0 ? VA.empty('No metrics yet.') : list.map(m => metricBlock(m, 'metrics-table')));
    }
    resource.addEventListener('change', () => refresh());
    name.addEventListener('input', () => refresh());
    VA.serviceOptions(resource, VA.param('resource')).then(() => VA.poll(refresh, 5000));
  },
};
