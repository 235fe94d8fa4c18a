// Conversation search: a conversation id opens the trace(s) that carry it and the logs of those traces.
'use strict';
VA.views.conversations = {
  title: 'Conversations',
  render(main) {
    const { h } = VA;
    const id = VA.param('id');
    const input = h('input', { id: 'conversation-id-input', 'data-testid': 'conversation-id-input', type: 'search', placeholder: 'conversation.id', value: id });
    const form = h('form', { class: 'filters' }, h('label', {}, 'Conversation id ', input),
      h('button', { type: 'submit', 'data-testid': 'conversation-id-button' }, 'Search'));
    form.addEventListener('submit', e => { e.preventDefault(); if (input.value.trim()) location.href = '/conversations?id=' + encodeURIComponent(input.value.trim()); });
    const summary = h('p', { class: 'status', id: 'conversation-summary', 'data-testid': 'conversation-summary' });
    const traces = h('div', { id: 'conversation-traces' });
    const logs = h('div', { id: 'conversation-logs' });
    main.append(h('h1', {}, 'Conversations'), form, summary, h('h2', {}, 'Traces'), traces, h('h2', {}, 'Logs'), logs);
    if (!id) { summary.textContent = 'Enter a conversation id (the ElevenLabs conversation_id) to see its trace and logs.'; return; }

    VA.poll(async () => {
      const view = await VA.api('/conversations/' + encodeURIComponent(id));
      summary.dataset.traces = view.traces.length;
      summary.textContent = `${id}: ${view.traces.length} trace${view.traces.length === 1 ? '' : 's'}, ${view.logs.length} log record${view.logs.length === 1 ? '' : 's'}`;
      VA.renderIfChanged(traces, view.traces, t => t.length === 0 ? VA.empty('No trace carries this conversation id (yet).')
        : VA.views.traces.table(t, 'conversation-traces-table', 'conversation-trace-row'));
      VA.renderIfChanged(logs, view.logs, l => l.length === 0 ? VA.empty('No logs for this conversation (yet).')
        : VA.views.structured.table(l));
    });
  },
};
