using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>
/// Ready means migrated: until this process has applied (or seen applied) its schema's migrations, it must not
/// take traffic. Reachability is the Npgsql integration's own check, which runs beside this one.
/// </summary>
internal sealed class MigratedHealthCheck(MigrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsMigrated
            ? HealthCheckResult.Healthy("Schema migrated.")
            : HealthCheckResult.Unhealthy("Migrations not applied yet."));
}
