using VoiceAnalytics.AppHost.Model;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>What every runner shares during one run of the application.</summary>
internal sealed class RunContext(AppHostOptions options, ConsoleReporter console, CancellationToken stopping)
{
    public AppHostOptions Options { get; } = options;

    public ConsoleReporter Console { get; } = console;

    public ResourceChangeSignal Signal { get; } = new();

    /// <summary>Cancelled when the application stops: ends every wait and health loop.</summary>
    public CancellationToken Stopping { get; } = stopping;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(3),
    };

    /// <summary>The dashboard's OTLP receiver (http/protobuf), known once the dashboard listens.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Completes when the dashboard (the OTLP receiver) listens; services start after it.</summary>
    public Task DashboardStarted { get; set; } = Task.CompletedTask;

    public string DataDirectory { get; set; } = "";

    public OrphanRegistry? Orphans { get; set; }

    public Func<Resource, ResourceRunner?> RunnerOf { get; set; } = _ => null;
}
