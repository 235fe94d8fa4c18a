// Console logs: one resource's captured stdout/stderr, tailed by polling for lines after the last sequence.
'use strict';
VA.views.console = {
  title: 'Console logs',
  render(main) {
    const { h } = VA;
    const maxLines = 5000;
    let resource = VA.param('resource');
    let after = 0;
    const select = h('select', { id: 'console-resource', 'data-testid': 'console-resource' });
    const search = h('input', { id: 'console-search', 'data-testid': 'console-search', type: 'search', placeholder: 'Search…', value: VA.param('q') });
    const follow = h('input', { id: 'console-follow', 'data-testid': 'console-follow', type: 'checkbox', checked: true });
    const count = h('span', { class: 'muted', id: 'console-match-count', 'data-testid': 'console-match-count' });
    const log = h('div', { class: 'console', id: 'console-log', 'data-testid': 'console-log' });
    main.append(h('h1', {}, 'Console logs'),
      h('div', { class: 'filters' }, h('label', {}, 'Resource ', select), h('label', {}, 'Search ', search),
        h('label', {}, follow, ' Follow'), count),
      log);

    function matches(line, q) { return !q || line.dataset.text.toLowerCase().includes(q); }

    function applySearch() {
      const q = search.value.trim().toLowerCase();
      let n = 0;
      for (const line of log.children) { const m = matches(line, q); line.hidden = !m; if (m) n++; }
      count.textContent = q ? `${n} matching line${n === 1 ? '' : 's'}` : `${log.children.length} lines`;
      VA.setParams({ resource, q: search.value.trim() });
    }

    async function tail() {
      if (!resource) return;
      const page = await VA.api(`/console/${encodeURIComponent(resource)}?after=${after}`);
      if (!page) { log.replaceChildren(VA.empty(`No console output for ${resource}.`)); return; }
      if (page.lines.length === 0) { if (after === 0 && !log.children.length) count.textContent = 'No output yet'; return; }
      after = page.next;
      const q = search.value.trim().toLowerCase();
      for (const l of page.lines) {
        const line = h('div', { class: 'console-line' + (l.isError ? ' stderr' : ''), 'data-testid': 'console-line', 'data-text': l.text },
          h('span', { class: 'ts' }, VA.time(l.timestamp)), l.text);
        line.hidden = !matches(line, q);
        log.append(line);
      }
      while (log.children.length > maxLines) log.firstElementChild.remove();
      applySearch();
      if (follow.checked) log.scrollTop = log.scrollHeight;
    }

    (async () => {
      const resources = (await VA.api('/resources')) || [];
      if (!resource && resources.length) resource = resources[0].name;
      select.replaceChildren(...resources.map(r => h('option', { value: r.name, selected: r.name === resource }, r.name)));
      select.addEventListener('change', () => { resource = select.value; after = 0; log.replaceChildren(); applySearch(); });
      search.addEventListener('input', applySearch);
      VA.poll(tail, 1000);
    })();
  },
};
