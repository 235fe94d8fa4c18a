using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.AnalysisService.Workers;

/// <summary>
/// Tells the CRM service that export jobs are waiting. Best effort: the export job is already committed, its
/// <c>NOTIFY</c> wakes the CRM's workers and they poll, so a nudge matters only when that wake-up is lost. A nudge
/// wakes every idle CRM worker, whichever conversation asked for it, so requests are folded: one nudge is sent at a
/// time, at most one request waits for the next (a request that finds one waiting is answered by it, sent after
/// both were committed), and nudges are at least <see cref="Spacing"/> apart. A busy pipeline sends a few per
/// second instead of one per conversation. The nudge continues the trace of the request it answers. Without a CRM
/// address there is no client and nothing to nudge.
/// </summary>
public sealed partial class CrmNudger(IServiceProvider services, ILogger<CrmNudger> logger) : BackgroundService
{
    /// <summary>The least time between two nudges.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private readonly Channel<NudgeRequest> _waiting = Channel.CreateBounded<NudgeRequest>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Asks for a nudge after the caller's commit; returns at once.</summary>
    public Task NudgeAsync(string conversationId, CancellationToken cancellationToken)
    {
        _waiting.Writer.TryWrite(new NudgeRequest(conversationId, Activity.Current?.Context ?? default));
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _waiting.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(request, stoppingToken);
                await Task.Delay(Spacing, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(NudgeRequest request, CancellationToken stoppingToken)
    {
        // Resolved per call: typed gRPC clients are transient, so the factory can renew their handlers.
        if (services.GetService<Crm.CrmClient>() is not { } client)
        {
            return;
        }
        using var activity = request.Trace == default
            ? null
            : AnalysisMetrics.ActivitySource.StartActivity("crm nudge", ActivityKind.Internal, request.Trace).TagConversation(request.ConversationId);
        try
        {
            await client.NudgeExportAsync(new NudgeExportRequest { ConversationId = request.ConversationId },
                deadline: DateTime.UtcNow + Deadline, cancellationToken: stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogNudgeFailed(request.ConversationId, (ex as RpcException)?.StatusCode.ToString() ?? ex.GetType().Name);
        }
    }

    private readonly record struct NudgeRequest(string ConversationId, ActivityContext Trace);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CRM nudge for conversation {ConversationId} not delivered (the CRM polls anyway): {Reason}")]
    private partial void LogNudgeFailed(string conversationId, string reason);
}
