using Npgsql;
using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>A database on a Postgres server: created when missing once the server is healthy; healthy while it accepts connections.</summary>
internal sealed class DatabaseRunner(PostgresDatabaseResource database, RunContext context) : ResourceRunner(database, context)
{
    public override int StopPhase => 1;

    private string ConnectionString => database.GetConnectionString() ?? throw new InvalidOperationException("The server has no port yet.");

    protected override async Task<ManagedProcess?> StartCoreAsync(CancellationToken cancellationToken)
    {
        var admin = database.Server.ConnectionStringFor("postgres");
        if (await PostgresProbe.EnsureDatabaseAsync(ConnectionString, admin, cancellationToken))
        {
            Note($"created database {new NpgsqlConnectionStringBuilder(ConnectionString).Database}");
        }
        return null;
    }

    protected override Task StopCoreAsync() => Task.CompletedTask;

    protected override Task<bool> CheckHealthAsync(CancellationToken cancellationToken) =>
        PostgresProbe.IsReadyAsync(ConnectionString, serverOnly: false, cancellationToken);

    protected override IReadOnlyDictionary<string, string> Properties() => new Dictionary<string, string>
    {
        ["database"] = database.DatabaseName,
    };
}
