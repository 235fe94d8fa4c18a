using Grpc.Core;
using VoiceAnalytics.Infrastructure.Tests.Echo;

namespace VoiceAnalytics.Bench.Grpc;

/// <summary>The cheapest possible method, so the figures are the transport's cost.</summary>
public sealed class EchoService : Echo.EchoBase
{
    public override Task<SayReply> Say(SayRequest request, ServerCallContext context) =>
        Task.FromResult(new SayReply { Text = request.Text });
}
