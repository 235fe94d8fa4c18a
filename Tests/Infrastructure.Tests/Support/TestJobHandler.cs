using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

/// <summary>
/// Stores one row per job in <c>results</c> and completes the job in the same transaction, as real handlers
/// do; the payload's <c>mode</c> makes it fail, die, snooze or block instead.
/// </summary>
internal sealed class TestJobHandler(NpgsqlDataSource dataSource, JobProbe probe) : IJobHandler
{
    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        probe.Started.Enqueue(job);
        probe.Spans.Enqueue((Activity.Current?.TraceId.ToString(), Activity.Current?.GetTagItem(ConversationTelemetry.ConversationIdAttribute)));
        using var payload = JsonDocument.Parse(job.PayloadJson);
        var mode = payload.RootElement.TryGetProperty("mode", out var value) ? value.GetString() : "store";
        switch (mode)
        {
            case "throw":
                throw new InvalidOperationException("handler broke");
            case "dead":
                return JobResult.Dead("input is unusable");
            case "snooze":
                return JobResult.Snooze(TimeSpan.FromHours(1));
            case "block":
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO public.results (job_id) VALUES (@id)", connection, transaction))
        {
            insert.Parameters.AddWithValue("id", job.Id);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await context.CompleteAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        probe.Finished.Enqueue(job);
        return JobResult.Succeeded;
    }
}
