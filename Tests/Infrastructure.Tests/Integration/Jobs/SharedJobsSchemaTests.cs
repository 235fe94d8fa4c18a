using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Jobs;

/// <summary>The job queues share one table in the <c>jobs</c> schema, and the former per-service tables move into it.</summary>
public sealed class SharedJobsSchemaTests
{
    [Fact]
    public async Task TwoQueuesInOneTableNeverSeeEachOthersJobs()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var other = new JobQueue("other", db.DataSource, new JobQueueOptions());
        var mine = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null, deduplicate: true);
        var theirs = await other.EnqueueAsync("analyze", "conv-1", "{}", null, deduplicate: true);

        Assert.True(theirs.Created);   // de-duplication is per queue
        Assert.Equal(mine.JobId, (await db.Queue.ClaimAsync())!.Id);
        Assert.Null(await db.Queue.ClaimAsync());
        Assert.Equal(1, (await other.GetStatsAsync()).Queued);
        Assert.Equal(theirs.JobId, (await other.ClaimAsync())!.Id);
        Assert.Equal(["other", QueueDatabase.QueueName],
            (await JobHistory.ListAsync(db.DataSource, "conv-1", CancellationToken.None)).Select(j => j.Queue).Order());
    }

    [Fact]
    public async Task TheMigrationMovesThePerServiceQueuesRowsKeepingTheAnalysisJobIds()
    {
        var server = await ThrowawayPostgres.Shared;
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("jobs_move"));
        // The per-service tables as JobQueueMigration created them before the shared schema (000_job_queue).
        foreach (var schema in new[] { "analysis", "crm" })
        {
            await ExecuteAsync(dataSource, $"""
                CREATE SCHEMA {schema};
                CREATE TABLE {schema}.jobs (
                    id bigserial PRIMARY KEY, kind text NOT NULL, job_key text NOT NULL, payload jsonb NOT NULL,
                    state text NOT NULL DEFAULT 'queued', attempts integer NOT NULL DEFAULT 0, max_attempts integer NOT NULL DEFAULT 8,
                    run_at timestamptz NOT NULL DEFAULT now(), lease_until timestamptz, locked_by text, last_error text,
                    trace_parent text, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
                """);
        }
        await ExecuteAsync(dataSource, """
            INSERT INTO analysis.jobs (id, kind, job_key, payload, state, attempts) VALUES
                (41, 'analyze', 'conv-a', '{"event_id": 1}', 'done', 1), (42, 'analyze', 'conv-b', '{"event_id": 2}', 'queued', 0);
            INSERT INTO crm.jobs (id, kind, job_key, payload, state, last_error) VALUES (1, 'export', 'conv-a', '{"analysis_id": 7}', 'dead', 'crm down');
            """);

        await RealMigrations.ApplyJobsAsync(dataSource);

        var moved = await ListAsync(dataSource, "SELECT id || ':' || queue || ':' || kind || ':' || state || ':' || coalesce(last_error, '') FROM jobs.jobs ORDER BY id");
        Assert.Equal(["41:analysis:analyze:done:", "42:analysis:analyze:queued:", "43:crm:export:dead:crm down"], moved);
        Assert.Equal(["f", "f"], await ListAsync(dataSource, "SELECT (to_regclass(s || '.jobs') IS NOT NULL)::text::char FROM unnest(ARRAY['analysis', 'crm']) s"));
        var queue = new JobQueue("analysis", dataSource, new JobQueueOptions());
        Assert.Equal(42, (await queue.ClaimAsync())!.Id);
        Assert.True((await queue.EnqueueAsync("analyze", "conv-c", "{}", null)).JobId > 43);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
