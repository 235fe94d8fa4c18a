using Grpc.Core;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.AnalysisService.Workers;

/// <summary>
/// Tells the CRM service that an export job is waiting. Best effort with a short deadline: the export job is
/// already committed and the CRM workers poll, so a lost nudge only delays the export. Without a CRM address
/// there is no client and nothing to nudge.
/// </summary>
public sealed partial class CrmNudger(IServiceProvider services, ILogger<CrmNudger> logger)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public async Task NudgeAsync(string conversationId, CancellationToken cancellationToken)
    {
        // Resolved per call: typed gRPC clients are transient, so the factory can renew their handlers.
        if (services.GetService<Crm.CrmClient>() is not { } client)
        {
            return;
        }
        try
        {
            await client.NudgeExportAsync(new NudgeExportRequest { ConversationId = conversationId },
                deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNudgeFailed(conversationId, (ex as RpcException)?.StatusCode.ToString() ?? ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "CRM nudge for conversation {ConversationId} not delivered (the CRM polls anyway): {Reason}")]
    private partial void LogNudgeFailed(string conversationId, string reason);
}
