using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace VoiceAnalytics.AppHost.Postgres;

public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// A PostgreSQL server from the machine's binaries (<c>AppHost:Postgres:BinDirectory</c>, else the newest
    /// <c>/usr/lib/postgresql/*/bin</c>) on a DCP-allocated port, with its cluster in <paramref name="dataDirectory"/>
    /// (initdb on first start, kept between runs) and an Npgsql health check. As root the server runs as the
    /// <c>postgres</c> user through <c>setpriv</c>, which execs: the process DCP signals on stop is the postmaster
    /// itself, so a stop is Postgres' clean "smart" shutdown.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string dataDirectory, IResourceBuilder<ParameterResource> password)
    {
        var binDirectory = builder.Configuration["AppHost:Postgres:BinDirectory"] is { Length: > 0 } configured ? configured : FindBinDirectory();
        var postgres = Path.Combine(binDirectory, "postgres");
        var asRoot = Environment.IsPrivilegedProcess;
        var workDirectory = Path.GetDirectoryName(dataDirectory)!;
        var server = new LocalPostgresServerResource(name, asRoot ? "setpriv" : postgres, workDirectory, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await ((IResourceWithConnectionString)server).GetConnectionStringAsync(ct));
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("The connection string is not known yet.")) + ";Database=postgres;Timeout=5",
            name: $"{name}_check");

        builder.Services.AddHostedService(_ => new LocalPostgresShutdown(dataDirectory));

        return builder.AddResource(server)
            // Not proxied: a DCP proxy in front of a stopped server accepts connections and leaves them hanging,
            // where clients must see "connection refused" at once (the gateway spools webhooks on it).
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", port: FreePort(), isProxied: false)
            .WithArgs(context =>
            {
                if (asRoot)
                {
                    context.Args.Add("--reuid=postgres");
                    context.Args.Add("--regid=postgres");
                    context.Args.Add("--init-groups");
                    context.Args.Add("--");
                    context.Args.Add(postgres);
                }
                context.Args.Add("-D");
                context.Args.Add(dataDirectory);
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.Port));
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
                context.Args.Add("-c");
                context.Args.Add("unix_socket_directories="); // TCP only: no /var/run/postgresql needed
            })
            .OnBeforeResourceStarted(async (resource, evt, ct) =>
            {
                var logger = evt.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
                await InitClusterAsync(binDirectory, dataDirectory, await resource.PasswordParameter.GetValueAsync(ct) ?? "", asRoot, logger, ct);
            })
            .WithHealthCheck($"{name}_check")
            .WithIconName("DatabaseMultiple")
            .ExcludeFromManifest();
    }

    /// <summary>
    /// A database on the local server. Aspire mirrors a parent's state onto its children only for container
    /// parents, so this resource drives itself: wait for the server healthy, create the database when missing,
    /// publish Running (its own health check then opens <c>WaitFor</c>). A failed server fails it too.
    /// </summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        string? connectionString = null;
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("The database is not created yet.")) + ";Timeout=5",
            name: $"{name}_check");

        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new("DatabaseName", database.DatabaseName)],
            })
            .OnInitializeResource(async (resource, evt, ct) =>
            {
                try
                {
                    await evt.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Waiting });
                    await evt.Notifications.WaitForResourceHealthyAsync(resource.Parent.Name, WaitBehavior.StopOnResourceUnavailable, ct);
                    await CreateDatabaseAsync(resource, evt.Logger, ct);
                    connectionString = await ((IResourceWithConnectionString)resource).GetConnectionStringAsync(ct);
                    await evt.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    evt.Logger.LogError("Database {Database} is unavailable: {Reason}", resource.DatabaseName, ex.Message);
                    await evt.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart });
                }
            })
            .WithHealthCheck($"{name}_check")
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    private static async Task CreateDatabaseAsync(LocalPostgresDatabaseResource database, ILogger logger, CancellationToken ct)
    {
        var serverConnectionString = await ((IResourceWithConnectionString)database.Parent).GetConnectionStringAsync(ct);
        await using var connection = new NpgsqlConnection(serverConnectionString + ";Database=postgres;Timeout=5");
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database.DatabaseName);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Created database {Database}", database.DatabaseName);
        }
    }

    /// <summary>initdb once (scram-sha-256 on TCP with the password parameter); a kept cluster is reused as it is.</summary>
    private static async Task InitClusterAsync(string binDirectory, string dataDirectory, string password, bool asRoot, ILogger logger, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Reusing the cluster in {DataDirectory}", dataDirectory);
            return;
        }
        logger.LogInformation("Creating a cluster in {DataDirectory}", dataDirectory);
        Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var passwordFile = Path.Combine(dataDirectory, "..", "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, password, ct);
        try
        {
            if (asRoot)
            {
                await RunAsync("chown", ["postgres:postgres", dataDirectory, passwordFile], ct);
            }
            string[] initdb = [Path.Combine(binDirectory, "initdb"), "-D", dataDirectory, "-U", LocalPostgresServerResource.UserName,
                $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8", "--locale=C.UTF-8"];
            await (asRoot
                ? RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. initdb], ct)
                : RunAsync(initdb[0], initdb[1..], ct));
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task RunAsync(string command, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault() ?? Fail()
            : Fail();

    private static string Fail() => throw new InvalidOperationException(
        "No PostgreSQL server binaries found under /usr/lib/postgresql/*/bin: install the postgresql package, set AppHost__Postgres__BinDirectory, "
        + "or use AppHost__Postgres__Mode=container (Docker/Podman) or ConnectionStrings__voicedb (an external server).");
}
