using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Every console line each resource writes (what the dashboard's Console logs page shows), collected from
/// Aspire's <see cref="ResourceLoggerService"/> from before the app starts, for assertions and failure messages
/// (a start that hangs shows what each resource printed so far).
/// </summary>
public sealed class ConsoleLogs : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watcher;

    public ConsoleLogs(DistributedApplication app, IEnumerable<string> resources)
    {
        var wanted = resources.ToHashSet(StringComparer.Ordinal);
        foreach (var name in wanted)
        {
            _lines.GetOrAdd(name, _ => new ConcurrentQueue<string>());
        }
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var service = app.Services.GetRequiredService<ResourceLoggerService>();
        // By the ids resource events carry, not by name: DCP's instances have names of their own
        // ("analysis-xkqhrbte"), given only as the app starts.
        _watcher = Task.Run(async () =>
        {
            var watched = new HashSet<string>(StringComparer.Ordinal);
            var readers = new List<Task>();
            try
            {
                await foreach (var resourceEvent in notifications.WatchAsync(_stop.Token))
                {
                    if (wanted.Contains(resourceEvent.Resource.Name) && watched.Add(resourceEvent.ResourceId))
                    {
                        readers.Add(ReadAsync(service, resourceEvent.ResourceId, _lines[resourceEvent.Resource.Name]));
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
            await Task.WhenAll(readers);
        });
    }

    public IReadOnlyCollection<string> Resources => [.. _lines.Keys];

    public IReadOnlyList<string> Of(string resource) => _lines.TryGetValue(resource, out var lines) ? [.. lines] : [];

    public string Tail(string resource, int count = 30) =>
        string.Join('\n', Of(resource).TakeLast(count).Select(l => $"  [{resource}] {l}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watcher;
        _stop.Dispose();
    }

    private async Task ReadAsync(ResourceLoggerService service, string resourceId, ConcurrentQueue<string> lines)
    {
        try
        {
            await foreach (var batch in service.WatchAsync(resourceId).WithCancellation(_stop.Token))
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
    }
}
