using Npgsql;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Data;

/// <summary>Enqueues <c>analyze</c> jobs (key = conversation id, payload <c>{"event_id": N}</c>) on the <c>analysis</c> queue.</summary>
public sealed class QueueAnalysisJobEnqueuer : IAnalysisJobEnqueuer
{
    public Task EnqueueAsync(NpgsqlTransaction transaction, IReadOnlyList<AnalysisJobRequest> jobs, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Plugged into VoiceAnalytics.ServiceDefaults.Jobs once the queue is merged.");
}
