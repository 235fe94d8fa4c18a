using System.ClientModel.Primitives;

namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>
/// The last step of the LLM client's pipeline, after its retry policy and right before the transport: every try
/// of a throttled call confirms its start with <see cref="LlmThrottle.ConfirmStartAsync"/> first, so the spacing
/// holds between the requests the provider receives, a retry included, however late the client got here.
/// </summary>
public sealed class ThrottledSendPolicy : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ThrottledCall.Current?.ConfirmStartAsync(message.CancellationToken).GetAwaiter().GetResult();
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        if (ThrottledCall.Current is { } throttle)
        {
            await throttle.ConfirmStartAsync(message.CancellationToken);
        }
        await ProcessNextAsync(message, pipeline, currentIndex);
    }
}
