using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>
/// Ready means the database answers now. After a database restart every idle pooled connection is dead and fails
/// once when it is next used, so a failed probe clears the pool and asks once more on a fresh connection: the
/// service reports (and is) healthy as soon as the database is back, instead of failing one request per stale
/// connection until the pool has drained them.
/// </summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await AnswersAsync(cancellationToken))
        {
            return HealthCheckResult.Healthy("Database reachable.");
        }
        dataSource.Clear();
        return await AnswersAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Database reachable (stale pooled connections dropped).")
            : HealthCheckResult.Unhealthy("Database not reachable.");
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
