using Npgsql;
using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>A server the user runs, from the connection string given to the AppHost: nothing to start or stop.</summary>
internal sealed class ExternalPostgresHost(PostgresServerResource server) : IPostgresHost
{
    public string Mode => "external";

    public IReadOnlyDictionary<string, string> Properties
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(server.ExternalConnectionString);
            return new Dictionary<string, string> { ["mode"] = Mode, ["host"] = $"{builder.Host}:{builder.Port}" };
        }
    }

    public Task<ManagedProcess?> StartAsync(CancellationToken cancellationToken) => Task.FromResult<ManagedProcess?>(null);

    public Task StopAsync(ManagedProcess? process) => Task.CompletedTask;
}
