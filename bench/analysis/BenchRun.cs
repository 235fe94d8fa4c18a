using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using VoiceAnalytics.AnalysisService;
using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Bench.Analysis;

/// <summary>
/// One measured run: a fresh database with <c>jobs</c> stored transcriptions and their analyze jobs (as the
/// gateway stores them), then one analysis service instance, wired as Program.cs wires it, working them off.
/// The clock runs from the moment the workers may start until the last job is done.
/// </summary>
internal static class BenchRun
{
    public static async Task<TimeSpan> RunAsync(ThrowawayPostgres pg, int jobs, int concurrency, Dictionary<string, string?> settings, IAnalyzer? analyzer)
    {
        var connectionString = await pg.CreateDatabaseAsync("bench");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SeedAsync(dataSource, jobs);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{VoiceDatabaseExtensions.ConnectionName}"] = connectionString,
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["ANALYZE_MAX_CONCURRENCY"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ANALYZE_MIN_MS"] = "0",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.AddAnalysisServices();
        if (analyzer is not null)
        {
            builder.Services.AddSingleton(analyzer);
        }
        await using var app = builder.Build();

        var clock = Stopwatch.StartNew();
        await app.StartAsync();
        await app.Services.GetRequiredService<MigrationState>().WaitAsync(CancellationToken.None);
        var startup = clock.Elapsed;
        var queue = app.Services.GetRequiredKeyedService<JobQueue>("analysis");
        while ((await queue.GetStatsAsync()).Done < jobs)
        {
            await Task.Delay(20);
        }
        var elapsed = clock.Elapsed - startup;
        await app.StopAsync();
        return elapsed;
    }

    private static async Task SeedAsync(NpgsqlDataSource dataSource, int jobs)
    {
        var payload = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "post_call_transcription_ru.json"));
        await using (var ddl = dataSource.CreateCommand("""
            CREATE SCHEMA ingest;
            CREATE SCHEMA jobs;
            CREATE TABLE ingest.webhook_events (
                id bigserial PRIMARY KEY, event_type text NOT NULL, event_timestamp bigint, agent_id text,
                conversation_id text NOT NULL, payload jsonb NOT NULL, trace_parent text,
                received_at timestamptz NOT NULL DEFAULT now(), UNIQUE (event_type, conversation_id));
            """ + JobQueueMigration.CreateSql))
        {
            await ddl.ExecuteNonQueryAsync();
        }
        await using var seed = dataSource.CreateCommand("""
            WITH events AS (
                INSERT INTO ingest.webhook_events (event_type, conversation_id, payload)
                SELECT 'post_call_transcription', 'conv_bench_' || n, @payload::jsonb FROM generate_series(1, @jobs) AS n
                RETURNING id, conversation_id)
            INSERT INTO jobs.jobs (queue, kind, job_key, payload) SELECT 'analysis', 'analyze', conversation_id, jsonb_build_object('event_id', id) FROM events
            """);
        seed.Parameters.AddWithValue("payload", payload);
        seed.Parameters.AddWithValue("jobs", jobs);
        await seed.ExecuteNonQueryAsync();
    }
}
