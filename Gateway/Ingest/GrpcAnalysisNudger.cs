using Grpc.Core;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// Calls <c>Analysis.Submit</c> after commits, at most one call in flight: commits that happen during a call
/// are covered by one more call after it, so a burst of webhooks costs two nudges, not thousands.
/// </summary>
public sealed partial class GrpcAnalysisNudger(IServiceProvider services, ILogger<GrpcAnalysisNudger> logger) : IAnalysisNudger
{
    // Short: a nudge only saves the analysis workers a poll interval; it must never hold anything up.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    private const int Idle = 0, Sending = 1, SendingAndMore = 2;
    private int _state;

    public void Nudge(string conversationId)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state == Idle && Interlocked.CompareExchange(ref _state, Sending, Idle) == Idle)
            {
                _ = SendLoopAsync(conversationId);
                return;
            }
            if (state != Idle && Interlocked.CompareExchange(ref _state, SendingAndMore, state) == state)
            {
                return;
            }
        }
    }

    private async Task SendLoopAsync(string conversationId)
    {
        do
        {
            try
            {
                // Resolved per call: typed gRPC clients are transient, so the factory can renew their handlers.
                await services.GetRequiredService<Analysis.AnalysisClient>().SubmitAsync(new SubmitRequest { ConversationId = conversationId }, deadline: DateTime.UtcNow + Deadline);
            }
            catch (RpcException ex)
            {
                LogNudgeFailed(ex.StatusCode);
            }
        }
        // SendingAndMore -> Sending means "go again"; Sending -> Idle means "done".
        while (Interlocked.CompareExchange(ref _state, Sending, SendingAndMore) == SendingAndMore
               || Interlocked.CompareExchange(ref _state, Idle, Sending) != Sending);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis nudge failed ({Status}); the queue will pick the job up anyway")]
    private partial void LogNudgeFailed(StatusCode status);
}
