using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.TestSupport;

/// <summary>
/// Other services' schemas for a test, built from their real migrations (the SQL files in the source tree and the
/// jobs schema's migrations), applied and recorded in <c>public.schema_migrations</c> as the migration runner does,
/// so a test never works against a hand-copied table that has fallen behind.
/// </summary>
public static class RealMigrations
{
    /// <summary>The services' migration folders and schemas, in the order a new database gets them.</summary>
    public static readonly IReadOnlyList<(string Folder, string Schema)> Services =
        [("Gateway", "ingest"), ("AnalysisService", "analysis"), ("CrmService", "crm")];

    /// <summary>Applies the named services' migrations (by folder: "Gateway", "AnalysisService", "CrmService") and the jobs schema's.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, params string[] folders)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        foreach (var (folder, schema) in Services.Where(s => folders.Contains(s.Folder)))
        {
            var directory = Path.Combine(RepositoryRoot(), folder, "Data", "Migrations");
            foreach (var file in Directory.GetFiles(directory, "*.sql").Order(StringComparer.Ordinal))
            {
                await ApplyOneAsync(dataSource, schema, Path.GetFileNameWithoutExtension(file), await File.ReadAllTextAsync(file));
            }
        }
        await ApplyJobsAsync(dataSource);
    }

    /// <summary>The shared <c>jobs</c> schema only.</summary>
    public static async Task ApplyJobsAsync(NpgsqlDataSource dataSource)
    {
        foreach (var (version, sql) in JobQueueMigration.Instance.Load())
        {
            await ApplyOneAsync(dataSource, JobQueueMigration.SchemaName, version, sql);
        }
    }

    private static async Task ApplyOneAsync(NpgsqlDataSource dataSource, string schema, string version, string sql)
    {
        await using (var table = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS public.schema_migrations (
                schema_name text NOT NULL, version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (schema_name, version))
            """))
        {
            await table.ExecuteNonQueryAsync();
        }
        await using (var applied = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT FROM public.schema_migrations WHERE schema_name = $1 AND version = $2)"))
        {
            applied.Parameters.Add(new NpgsqlParameter { Value = schema });
            applied.Parameters.Add(new NpgsqlParameter { Value = version });
            if ((bool)(await applied.ExecuteScalarAsync())!)
            {
                return;
            }
        }
        await using var command = dataSource.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            SET search_path TO {schema}, public;
            {sql};
            RESET search_path;
            INSERT INTO public.schema_migrations (schema_name, version) VALUES ('{schema}', '{version}') ON CONFLICT DO NOTHING;
            """);
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
