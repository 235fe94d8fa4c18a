// Shared helpers: DOM building (text only, never innerHTML with data), the JSON API, formatting, polling.
'use strict';
const VA = {
  views: {},
  timers: [],
  pollMs: 2000,

  h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  },

  async api(path) {
    const res = await fetch('/dashboard/api' + path, { credentials: 'same-origin' });
    if (res.status === 401) { location.reload(); throw new Error('signed out'); }
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(res.status + ' ' + path);
    return res.json();
  },

  async post(path) {
    const res = await fetch('/dashboard/api' + path, { method: 'POST', credentials: 'same-origin', headers: { 'X-Dashboard': '1' } });
    if (!res.ok) throw new Error(res.status + ' ' + path);
  },

  // Polls fn now and every interval until the view changes; skips a tick while the previous one runs.
  poll(fn, ms) {
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try { await fn(); } catch (e) { console.warn(e); } finally { busy = false; }
    };
    tick();
    VA.timers.push(setInterval(tick, ms || VA.pollMs));
  },

  stopPolling() { VA.timers.forEach(clearInterval); VA.timers = []; },

  param(name) { return new URLSearchParams(location.search).get(name) || ''; },

  setParams(values) {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(values)) { if (v) q.set(k, v); else q.delete(k); }
    const s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  },

  time(iso) {
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  },

  dateTime(iso) { return iso ? new Date(iso).toLocaleString([], { hour12: false }) : ''; },

  duration(ms) {
    if (ms < 1) return (ms * 1000).toFixed(0) + ' µs';
    if (ms < 1000) return ms.toFixed(ms < 10 ? 2 : 1) + ' ms';
    return (ms / 1000).toFixed(2) + ' s';
  },

  number(v) {
    if (v === null || v === undefined) return '';
    return Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString() : v.toFixed(2);
  },

  // A fixed palette of distinct colours; a name always gets the same one.
  palette: ['#2f7fd8', '#c27c0e', '#2e9e5b', '#b8457a', '#7a5cd6', '#138a8a', '#c4532a', '#5c7a1f', '#8a5a44', '#4a5bb8'],
  color(name) {
    let hash = 0;
    for (const ch of name || '') hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    return VA.palette[hash % VA.palette.length];
  },

  serviceBadge(name) {
    return VA.h('span', { class: 'service', style: `--svc:${VA.color(name)}`, 'data-testid': 'service-badge', 'data-service': name }, name);
  },

  levelBadge(level) { return VA.h('span', { class: 'level level-' + level.toLowerCase() }, level); },

  // Replaces a container's content only when the data changed, so the page does not flicker while polling.
  renderIfChanged(container, data, build) {
    const json = JSON.stringify(data);
    if (container.dataset.rendered === json) return false;
    container.dataset.rendered = json;
    container.replaceChildren(...[build(data)].flat());
    return true;
  },

  table(testId, headers, rows) {
    return VA.h('table', { class: 'grid', id: testId, 'data-testid': testId },
      VA.h('thead', {}, VA.h('tr', {}, headers.map(t => VA.h('th', {}, t)))),
      VA.h('tbody', {}, rows));
  },

  empty(text) { return VA.h('p', { class: 'empty', 'data-testid': 'empty' }, text); },

  attributes(list, testId) {
    return VA.h('table', { class: 'attrs', 'data-testid': testId || 'attributes' },
      VA.h('tbody', {}, (list || []).map(a => VA.h('tr', { 'data-key': a.key }, VA.h('th', {}, a.key), VA.h('td', {}, a.value)))));
  },

  async serviceOptions(select, selected) {
    const services = (await VA.api('/services')) || [];
    select.replaceChildren(VA.h('option', { value: '' }, 'All resources'),
      ...services.map(s => VA.h('option', { value: s, selected: s === selected }, s)));
  },
};
