using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>
/// Applies a service's migrations once, under a Postgres advisory lock so that replicas starting together do
/// not race. Runs in the background and keeps trying while the database is unreachable, so a service starts
/// (and the gateway can spool webhooks) before Postgres is up.
/// </summary>
internal sealed partial class MigrationRunner(
    NpgsqlDataSource dataSource, IEnumerable<IMigrationSource> sources, MigrationState state, ILogger<MigrationRunner> logger) : BackgroundService
{
    // One lock for every service: migrations are rare and short, and one lock keeps them strictly ordered.
    private const long AdvisoryLockKey = 0x566F6963654D6967; // "VoiceMig"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var migrations in sources)
                {
                    var applied = await ApplyAsync(migrations, stoppingToken);
                    LogMigrated(migrations.Schema, applied);
                }
                state.MarkMigrated();
                return;
            }
            catch (Exception ex) when (IsWorthRetrying(ex))
            {
                LogDatabaseUnavailable(string.Join(", ", sources.Select(s => s.Schema).Distinct()), delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    // A database that is not up yet (or shutting down) is a reason to wait. A migration error is not: no migration
    // names another service's schema, so the services migrate independently, in parallel, in any order.
    private static bool IsWorthRetrying(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown,
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    private async Task<int> ApplyAsync(IMigrationSource migrations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS public.schema_migrations (
                    schema_name text NOT NULL,
                    version     text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (schema_name, version))
                """, cancellationToken);

            var done = new HashSet<string>();
            await using (var select = new NpgsqlCommand("SELECT version FROM public.schema_migrations WHERE schema_name = @schema", connection))
            {
                select.Parameters.AddWithValue("schema", migrations.Schema);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    done.Add(reader.GetString(0));
                }
            }

            var applied = 0;
            foreach (var (version, sql) in migrations.Load().Where(m => !done.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {migrations.Schema}", cancellationToken);
                // Unqualified names in a migration land in the service's own schema.
                await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {migrations.Schema}, public", cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO public.schema_migrations (schema_name, version) VALUES (@schema, @version)", connection, transaction))
                {
                    record.Parameters.AddWithValue("schema", migrations.Schema);
                    record.Parameters.AddWithValue("version", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                applied++;
            }
            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} migrated ({Applied} new migrations)")]
    private partial void LogMigrated(string schema, int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable for schema {Schema} migrations; retrying in {DelayMs} ms: {Reason}")]
    private partial void LogDatabaseUnavailable(string schema, double delayMs, string reason);
}
