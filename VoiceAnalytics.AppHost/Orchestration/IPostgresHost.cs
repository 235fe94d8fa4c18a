namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>One way to have a Postgres server for the run: embedded, container or external.</summary>
internal interface IPostgresHost
{
    string Mode { get; }

    /// <summary>Prepares and starts the server; returns its process when the AppHost runs one.</summary>
    Task<ManagedProcess?> StartAsync(CancellationToken cancellationToken);

    Task StopAsync(ManagedProcess? process);

    IReadOnlyDictionary<string, string> Properties { get; }
}
