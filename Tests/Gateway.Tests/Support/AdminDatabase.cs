using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>A fresh database with the gateway's migrations applied, for tests that need no running gateway.</summary>
internal static class AdminDatabase
{
    public static async Task<NpgsqlDataSource> CreateMigratedAsync()
    {
        var pg = await ThrowawayPostgres.Shared;
        var dataSource = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync("admin"));
        foreach (var (_, sql) in new MigrationSet("ingest", typeof(AuditTrail).Assembly).Load())
        {
            await ExecuteAsync(dataSource, "CREATE SCHEMA IF NOT EXISTS ingest; SET search_path TO ingest, public;\n" + sql);
        }
        return dataSource;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
