using Npgsql;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Data;

/// <summary>
/// Puts analysis jobs on the <c>analysis</c> queue inside the caller's transaction, so an event and its job
/// commit together or not at all.
/// </summary>
public interface IAnalysisJobEnqueuer
{
    Task EnqueueAsync(NpgsqlTransaction transaction, IReadOnlyList<AnalysisJobRequest> jobs, CancellationToken cancellationToken);
}
