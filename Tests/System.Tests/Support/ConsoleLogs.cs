using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Every console line each resource writes (what the dashboard's Console logs page shows), collected from
/// Aspire's <see cref="ResourceLoggerService"/> from the start of the run, for assertions and failure messages.
/// </summary>
public sealed class ConsoleLogs : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];

    public ConsoleLogs(DistributedApplication app, IEnumerable<string> resources)
    {
        var service = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var name in resources)
        {
            // By resource, not by name: DCP's instances have names of their own ("analysis-xkqhrbte").
            var resource = model.Resources.Single(r => r.Name == name);
            var lines = _lines.GetOrAdd(name, _ => new ConcurrentQueue<string>());
            _watchers.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in service.WatchAsync(resource).WithCancellation(_stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            lines.Enqueue(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The run is over.
                }
            }));
        }
    }

    public IReadOnlyCollection<string> Resources => [.. _lines.Keys];

    public IReadOnlyList<string> Of(string resource) => _lines.TryGetValue(resource, out var lines) ? [.. lines] : [];

    public string Tail(string resource, int count = 30) =>
        string.Join('\n', Of(resource).TakeLast(count).Select(l => $"  [{resource}] {l}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watchers);
        _stop.Dispose();
    }
}
