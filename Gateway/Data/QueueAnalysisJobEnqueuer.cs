using Npgsql;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.ServiceDefaults.Jobs;

namespace VoiceAnalytics.Gateway.Data;

/// <summary>
/// Enqueues <c>analyze</c> jobs (key = conversation id, payload <c>{"event_id": N}</c>, the webhook's
/// traceparent) on the <c>analysis</c> queue, a whole batch in one round trip.
/// </summary>
public sealed class QueueAnalysisJobEnqueuer([FromKeyedServices(QueueAnalysisJobEnqueuer.QueueName)] JobQueue queue) : IAnalysisJobEnqueuer
{
    public const string QueueName = "analysis";

    public const string Kind = "analyze";

    public Task EnqueueAsync(NpgsqlTransaction transaction, IReadOnlyList<AnalysisJobRequest> jobs, CancellationToken cancellationToken) =>
        queue.EnqueueManyAsync(transaction.Connection!, transaction,
            jobs.Select(j => new NewJob(Kind, j.ConversationId, $$"""{"event_id": {{j.EventId}}}""", j.TraceParent)).ToList(),
            cancellationToken);
}
