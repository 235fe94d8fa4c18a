using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.Gateway.Tests.Admin;

/// <summary>
/// The analysis and CRM services' schemas, created from their real migration files in the source tree (and the
/// queue DDL), so the admin API reads and erases the very tables those services write.
/// </summary>
internal static class PipelineSchemas
{
    public static async Task ApplyAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        foreach (var (schema, folder) in new[] { ("analysis", "AnalysisService"), ("crm", "CrmService") })
        {
            await ExecuteAsync(dataSource, new JobQueueMigration(schema).Sql);
            var migrations = Path.Combine(RepositoryRoot(), folder, "Data", "Migrations");
            foreach (var file in Directory.GetFiles(migrations, "*.sql").Order(StringComparer.Ordinal))
            {
                await ExecuteAsync(dataSource, $"CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}, public;\n" + await File.ReadAllTextAsync(file));
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VoiceAnalytics.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("VoiceAnalytics.sln not found above the test output folder.");
    }
}
