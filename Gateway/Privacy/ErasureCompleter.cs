using System.Globalization;
using Grpc.Core;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// One attempt at finishing an erasure: asks each owner that has not reported yet, in pipeline order, records
/// each report, and once all have reported marks the request done and audits what each owner removed (counts
/// only), in one transaction, exactly once. An owner that is down leaves the request pending for the next attempt.
/// Pipeline order closes the hand-off: once the analysis service has erased its jobs it cannot queue a CRM export
/// for the conversation, so the CRM service, asked after it, cannot miss one committed meanwhile. An owner is
/// therefore asked only once every owner upstream of it has reported.
/// </summary>
public sealed partial class ErasureCompleter(
    NpgsqlDataSource dataSource, ErasureRequestStore requests, ErasureOwners owners, AuditTrail audit, ILogger<ErasureCompleter> logger)
{
    public const string Actor = "system:erasure";

    /// <summary>The request as it stands after the attempt; null when there is no such request.</summary>
    public async Task<ErasureRequest?> AttemptAsync(Guid id, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(id, cancellationToken);
        if (request is null || request.IsDone)
        {
            return request;
        }
        var allReported = true;
        foreach (var owner in request.Owners.Where(o => !o.HasReported).OrderBy(o => ErasureOwners.PipelineOrder(o.Owner)))
        {
            if (!await AskAsync(request, owner.Owner, cancellationToken))
            {
                allReported = false;
                break;
            }
        }
        if (!allReported)
        {
            await requests.ScheduleRetryAsync(id, cancellationToken);
            return await requests.GetAsync(id, cancellationToken);
        }

        var completed = await requests.GetAsync(id, cancellationToken) ?? request;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (await requests.CompleteAsync(id, connection, transaction, cancellationToken))
            {
                await audit.AppendAsync(CompletionEntry(completed), connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogCompleted(id, completed.Reason, completed.ConversationCount);
            }
        }
        return await requests.GetAsync(id, cancellationToken);
    }

    private async Task<bool> AskAsync(ErasureRequest request, string owner, CancellationToken cancellationToken)
    {
        try
        {
            var removed = await owners.EraseAsync(owner, request.ConversationIds, request.Reason, cancellationToken);
            await requests.RecordReportAsync(request.Id, owner, removed, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // A status name only: the owner's message could echo what the request named.
            var error = ex is RpcException rpc ? rpc.StatusCode.ToString() : "NotConfigured";
            await requests.RecordFailureAsync(request.Id, owner, error, cancellationToken);
            LogOwnerFailed(request.Id, owner, error);
            return false;
        }
    }

    // One record per request, naming the conversation when there is one only; every owner's counts by store.
    private static AuditEntry CompletionEntry(ErasureRequest request)
    {
        var details = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["request_id"] = request.Id.ToString("D"),
            ["conversations"] = request.ConversationCount.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var owner in request.Owners)
        {
            foreach (var (store, count) in owner.Removed ?? new Dictionary<string, long>())
            {
                details[$"{owner.Owner}:{store}"] = count.ToString(CultureInfo.InvariantCulture);
            }
        }
        var conversation = request.ConversationIds.Count == 1 ? request.ConversationIds[0] : null;
        return new AuditEntry(Actor, "system", $"{request.Reason}.completed", $"erasure/{request.Id:D}", conversation, Details: details);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure {RequestId} ({Reason}) of {Conversations} conversations completed: every owner reported")]
    private partial void LogCompleted(Guid requestId, string reason, int conversations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure {RequestId}: owner {Owner} did not answer ({Status}); it stays pending and is retried")]
    private partial void LogOwnerFailed(Guid requestId, string owner, string status);
}
