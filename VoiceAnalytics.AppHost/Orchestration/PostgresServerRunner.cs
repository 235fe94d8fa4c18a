using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>The Postgres server resource; how it is provided (embedded, container, external) is chosen before the run.</summary>
internal sealed class PostgresServerRunner(PostgresServerResource server, RunContext context) : ResourceRunner(server, context)
{
    private IPostgresHost? _host;

    public override int StopPhase => 1;

    protected override int StopSignal => PosixProcesses.SigInt;

    /// <summary>Chooses how Postgres is provided, or explains what to install or set when it cannot be.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (server.Mode == PostgresMode.External || server.ExternalConnectionString is not null)
        {
            if (server.ExternalConnectionString is null)
            {
                throw new AppHostSetupException(
                    $"AppHost:Postgres:Mode is external but no connection string is set: set ConnectionStrings__{server.Databases.FirstOrDefault()?.Name ?? "voicedb"}.");
            }
            _host = new ExternalPostgresHost(server);
            return;
        }
        if (server.Mode == PostgresMode.Container)
        {
            var runtime = await ContainerRuntime.FindAnsweringAsync(cancellationToken) ?? throw new AppHostSetupException(
                "AppHost:Postgres:Mode is container but neither docker nor podman answers: start the container engine, " +
                "or remove the setting to use the embedded PostgreSQL server.");
            _host = new ContainerPostgresHost(server, runtime, WriteLine, m => Note(m));
            return;
        }
        var binaries = PostgresBinaries.FindBinDirectory() ?? throw new AppHostSetupException(
            "No way to run Postgres: the PostgreSQL server binaries (initdb, pg_ctl, postgres) are not on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install them (apt-get install postgresql), or point the AppHost at a server with ConnectionStrings__voicedb=\"Host=...;Username=...;Password=...;Database=voicedb\", " +
            "or start Docker/Podman and set AppHost__Postgres__Mode=container.");
        _host = new EmbeddedPostgresHost(server, binaries, WriteLine, m => Note(m));
    }

    protected override Task<ManagedProcess?> StartCoreAsync(CancellationToken cancellationToken) =>
        Host.StartAsync(cancellationToken);

    protected override Task StopCoreAsync() => Host.StopAsync(Process);

    protected override Task<bool> CheckHealthAsync(CancellationToken cancellationToken) =>
        server.ExternalConnectionString is { } external
            ? PostgresProbe.IsReadyAsync(external, serverOnly: true, cancellationToken)
            : PostgresProbe.IsReadyAsync(server.ConnectionStringFor("postgres"), serverOnly: false, cancellationToken);

    protected override IReadOnlyDictionary<string, string> Properties() => _host?.Properties ?? new Dictionary<string, string>();

    private IPostgresHost Host => _host ?? throw new InvalidOperationException("PrepareAsync was not called.");
}
