// The router: the path names the view; every view renders into <main> and registers its own polling.
'use strict';
(function () {
  const routes = [
    [/^\/traces\/([0-9a-fA-F]+)$/, 'trace'],
    [/^\/traces\/?$/, 'traces'],
    [/^\/console\/?$/, 'console'],
    [/^\/structured\/?$/, 'structured'],
    [/^\/conversations\/?$/, 'conversations'],
    [/^\/metrics\/?$/, 'metrics'],
    [/^\/(resources)?\/?$/, 'resources'],
  ];

  function route() {
    for (const [pattern, view] of routes) {
      const m = location.pathname.match(pattern);
      if (m) return { view, arg: m[1] };
    }
    return { view: 'resources' };
  }

  const { view, arg } = route();
  const main = document.getElementById('view');
  const navView = view === 'trace' ? 'traces' : view;
  document.querySelectorAll('.sidebar a').forEach(a => a.classList.toggle('active', a.dataset.view === navView));
  main.dataset.view = view;
  VA.views[view].render(main, arg);
  document.title = VA.views[view].title + ' · VoiceAnalytics dashboard';

  const search = document.getElementById('conversation-search');
  const input = document.getElementById('conversation-search-input');
  input.value = view === 'conversations' ? VA.param('id') : '';
  search.addEventListener('submit', e => {
    e.preventDefault();
    const id = input.value.trim();
    if (id) location.href = '/conversations?id=' + encodeURIComponent(id);
  });
})();
