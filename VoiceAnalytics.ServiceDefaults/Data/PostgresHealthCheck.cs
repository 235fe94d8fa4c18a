using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VoiceAnalytics.ServiceDefaults.Data;

/// <summary>Ready means: the database answers and this service's schema is migrated.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, MigrationState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.IsMigrated)
        {
            return HealthCheckResult.Unhealthy("Migrations not applied yet.");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("Migrated and reachable.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Database not reachable.");
        }
    }
}
