using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using VoiceAnalytics.Infrastructure.Tests.Echo;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Grpc;

/// <summary>
/// Wire compatibility of the client the services use (Grpc.Net.Client) with an independent gRPC server,
/// @grpc/grpc-js: metadata, deadlines, status codes and non-ASCII status details. The other direction, grpc-js
/// calling the real services, is in the services' own test projects.
/// </summary>
public sealed class GrpcJsInteropTests
{
    [Fact]
    public async Task GrpcNetClientCallsAGrpcJsServer()
    {
        using var node = await GrpcJs.StartServerAsync();
        using var channel = GrpcChannel.ForAddress(node.Address);
        var echo = new Echo.Echo.EchoClient(channel);

        var reply = await echo.SayAsync(new SayRequest { Text = "from .NET", EchoMetadata = { "x-from" } },
            new Metadata { { "x-from", "dotnet" } }, deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.Equal("from .NET", reply.Text);
        Assert.Equal("dotnet", reply.Metadata["x-from"]);
        Assert.True(reply.HadDeadline);

        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await echo.SayAsync(new SayRequest { FailWith = "not_found" }));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("grpc-js says: no such thing", notFound.Status.Detail);

        var unicode = await Assert.ThrowsAsync<RpcException>(async () => await echo.SayAsync(new SayRequest { FailWith = "unicode" }));
        Assert.Equal(StatusCode.FailedPrecondition, unicode.StatusCode);
        Assert.Equal("Ошибка: 100% ✓", unicode.Status.Detail);

        var deadline = await Assert.ThrowsAsync<RpcException>(async () =>
            await echo.SayAsync(new SayRequest { DelayMs = 30_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)));
        Assert.Equal(StatusCode.DeadlineExceeded, deadline.StatusCode);

        // A method the server does not have: the contract says UNIMPLEMENTED, whichever side is which.
        var shout = new Method<SayRequest, SayReply>(MethodType.Unary, "voiceanalytics.test.v1.Echo", "Shout",
            Marshallers.Create(r => r.ToByteArray(), SayRequest.Parser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), SayReply.Parser.ParseFrom));
        var unimplemented = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(shout, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20)), new SayRequest()));
        Assert.Equal(StatusCode.Unimplemented, unimplemented.StatusCode);
    }
}
