using VoiceAnalytics.Foundation.Tests.Echo;
using VoiceAnalytics.ServiceDefaults.Grpc;
using VoiceAnalytics.TestSupport;
using static VoiceAnalytics.Foundation.Tests.Grpc.GrpcTestClient;

namespace VoiceAnalytics.Foundation.Tests.Grpc;

/// <summary>Wire compatibility with an independent gRPC implementation, in both directions.</summary>
public sealed class GrpcJsInteropTests(EchoServer server) : IClassFixture<EchoServer>
{
    [Fact]
    public async Task GrpcJsClientCallsTheProjectServer()
    {
        var report = await GrpcJs.RunClientAsync($"127.0.0.1:{server.Address.Port}");

        Assert.Equal(0, report.GetProperty("health").GetProperty("code").GetInt32());
        Assert.Equal("SERVING", report.GetProperty("health").GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal((int)StatusCode.NotFound, report.GetProperty("healthUnknown").GetProperty("code").GetInt32());

        var say = report.GetProperty("say");
        Assert.Equal(0, say.GetProperty("code").GetInt32());
        Assert.Equal("from grpc-js", say.GetProperty("reply").GetProperty("text").GetString());
        Assert.Equal("node", say.GetProperty("reply").GetProperty("metadata").GetProperty("x-from").GetString());

        Assert.Equal((int)StatusCode.NotFound, report.GetProperty("notFound").GetProperty("code").GetInt32());
        Assert.Equal("No such thing.", report.GetProperty("notFound").GetProperty("details").GetString());
        Assert.Equal("Ошибка: 100% не готово ✓", report.GetProperty("unicode").GetProperty("details").GetString());
        Assert.Equal((int)StatusCode.DeadlineExceeded, report.GetProperty("deadline").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ProjectClientCallsAGrpcJsServer()
    {
        using var node = await GrpcJs.StartServerAsync();

        var reply = await SayAsync(node.Address, new SayRequest { Text = "from .NET", EchoMetadata = { "x-from" } },
            new CallOptions(Timeout: TimeSpan.FromSeconds(20), Metadata: new Dictionary<string, string> { ["x-from"] = "dotnet" }));
        Assert.Equal("from .NET", reply.Text);
        Assert.Equal("dotnet", reply.Metadata["x-from"]);
        Assert.True(reply.HadDeadline);

        var notFound = await Assert.ThrowsAsync<RpcException>(() => SayAsync(node.Address, new SayRequest { FailWith = "not_found" }));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("grpc-js says: no such thing", notFound.Detail);

        var unicode = await Assert.ThrowsAsync<RpcException>(() => SayAsync(node.Address, new SayRequest { FailWith = "unicode" }));
        Assert.Equal("Ошибка: 100% ✓", unicode.Detail);

        var deadline = await Assert.ThrowsAsync<RpcException>(() =>
            SayAsync(node.Address, new SayRequest { DelayMs = 30_000 }, new CallOptions(Timeout: TimeSpan.FromMilliseconds(300))));
        Assert.Equal(StatusCode.DeadlineExceeded, deadline.StatusCode);

        var unimplemented = await Assert.ThrowsAsync<RpcException>(() =>
            Channel(node.Address).UnaryAsync("/voiceanalytics.test.v1.Echo/Shout", new SayRequest(), SayReply.Parser));
        Assert.Equal(StatusCode.Unimplemented, unimplemented.StatusCode);
    }
}
