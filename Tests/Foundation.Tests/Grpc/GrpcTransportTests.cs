using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Grpc.Health.V1;
using VoiceAnalytics.Foundation.Tests.Echo;
using VoiceAnalytics.Protos.Clients;
using VoiceAnalytics.ServiceDefaults.Grpc;
using static VoiceAnalytics.Foundation.Tests.Grpc.GrpcTestClient;

namespace VoiceAnalytics.Foundation.Tests.Grpc;

public sealed class GrpcTransportTests(EchoServer server) : IClassFixture<EchoServer>
{
    [Fact]
    public async Task UnaryCallRoundTripsTheMessage()
    {
        var reply = await SayAsync(server.Address, new SayRequest { Text = "привет" });
        Assert.Equal("привет", reply.Text);
        Assert.False(reply.HadDeadline);
    }

    [Theory]
    [InlineData("not_found", StatusCode.NotFound, "No such thing.")]
    [InlineData("invalid", StatusCode.InvalidArgument, "text is required.")]
    [InlineData("unicode", StatusCode.FailedPrecondition, "Ошибка: 100% не готово ✓")]
    public async Task HandlerErrorsReachTheClientAsStatusAndMessage(string failWith, StatusCode expected, string detail)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SayAsync(server.Address, new SayRequest { FailWith = failWith }));
        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(detail, error.Detail);
    }

    [Fact]
    public async Task UnhandledExceptionIsInternalWithoutLeakingItsMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SayAsync(server.Address, new SayRequest { FailWith = "boom" }));
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("hunter2", error.Detail);
        Assert.DoesNotContain("secret", error.Detail);
    }

    [Fact]
    public async Task DeadlineEndsTheCallOnBothSides()
    {
        server.ResetCancellationProbe();
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SayAsync(server.Address, new SayRequest { DelayMs = 30_000 }, new CallOptions(Timeout: TimeSpan.FromMilliseconds(300))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The server saw grpc-timeout and cancelled the handler, rather than running it to the end.
        await server.ServerSawCancellation.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ServerAloneEnforcesGrpcTimeout()
    {
        var frame = GrpcFraming.Frame(new SayRequest { DelayMs = 30_000 });
        var (response, _) = await SendRawAsync(server.Address, SayMethod, frame,
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "200m" });
        Assert.Equal(StatusCode.DeadlineExceeded, StatusOf(response));
    }

    [Fact]
    public async Task DeadlineIsVisibleToTheHandler()
    {
        var reply = await SayAsync(server.Address, new SayRequest { Text = "x" }, new CallOptions(Timeout: TimeSpan.FromSeconds(30)));
        Assert.True(reply.HadDeadline);
    }

    [Fact]
    public async Task CancellationByTheCallerIsCancelled()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SayAsync(server.Address, new SayRequest { DelayMs = 30_000 }, new CallOptions(CancellationToken: cancel.Token)));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task RequestMetadataReachesTheHandler()
    {
        var request = new SayRequest { Text = "m", EchoMetadata = { "x-tenant", "x-request-id" } };
        var reply = await SayAsync(server.Address, request,
            new CallOptions(Metadata: new Dictionary<string, string> { ["x-tenant"] = "acme", ["x-request-id"] = "r-42" }));
        Assert.Equal("acme", reply.Metadata["x-tenant"]);
        Assert.Equal("r-42", reply.Metadata["x-request-id"]);
    }

    [Fact]
    public async Task ResponseTrailersCarryStatusAndHandlerMetadata()
    {
        var (response, body) = await SendRawAsync(server.Address, SayMethod, GrpcFraming.Frame(new SayRequest { Text = "t" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StatusCode.OK, StatusOf(response));
        Assert.Equal("done", response.TrailingHeaders.GetValues("x-echo-trailer").Single());
        Assert.Equal("t", SayReply.Parser.ParseFrom(body.AsSpan(GrpcFraming.HeaderSize).ToArray()).Text);
    }

    [Fact]
    public async Task UnknownMethodIsUnimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Channel(server.Address).UnaryAsync("/voiceanalytics.test.v1.Echo/Shout", new SayRequest(), SayReply.Parser));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task UnknownServiceIsUnimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Channel(server.Address).UnaryAsync("/no.such.v1.Service/Method", new SayRequest(), SayReply.Parser));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task OversizeMessageIsResourceExhausted()
    {
        var request = new SayRequest { Blob = ByteString.CopyFrom(new byte[2 * 1024 * 1024]) };
        var error = await Assert.ThrowsAsync<RpcException>(() => SayAsync(server.Address, request));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task GzipCompressedRequestIsRead()
    {
        var (response, body) = await SendRawAsync(server.Address, SayMethod,
            CompressedFrame(new SayRequest { Text = "zipped" }), headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });
        Assert.Equal(StatusCode.OK, StatusOf(response));
        Assert.Equal("zipped", SayReply.Parser.ParseFrom(body.AsSpan(GrpcFraming.HeaderSize).ToArray()).Text);
    }

    [Fact]
    public async Task UnsupportedCompressionIsUnimplemented()
    {
        var (response, _) = await SendRawAsync(server.Address, SayMethod,
            CompressedFrame(new SayRequest { Text = "x" }), headers: new Dictionary<string, string> { ["grpc-encoding"] = "snappy" });
        Assert.Equal(StatusCode.Unimplemented, StatusOf(response));
        Assert.Contains("snappy", MessageOf(response));
    }

    [Fact]
    public async Task CompressedFlagWithoutEncodingIsInternal()
    {
        var (response, _) = await SendRawAsync(server.Address, SayMethod, CompressedFrame(new SayRequest { Text = "x" }));
        Assert.Equal(StatusCode.Internal, StatusOf(response));
        Assert.Contains("grpc-encoding", MessageOf(response));
    }

    [Fact]
    public async Task LengthPrefixLongerThanTheBodyIsInternal()
    {
        var frame = new byte[GrpcFraming.HeaderSize + 3];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), 100);
        var (response, _) = await SendRawAsync(server.Address, SayMethod, frame);
        Assert.Equal(StatusCode.Internal, StatusOf(response));
    }

    [Fact]
    public async Task GarbageProtobufIsInternal()
    {
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        var frame = new byte[GrpcFraming.HeaderSize + garbage.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)garbage.Length);
        garbage.CopyTo(frame, GrpcFraming.HeaderSize);
        var (response, _) = await SendRawAsync(server.Address, SayMethod, frame);
        Assert.Equal(StatusCode.Internal, StatusOf(response));
    }

    [Fact]
    public async Task EmptyBodyIsInternal()
    {
        var (response, _) = await SendRawAsync(server.Address, SayMethod, []);
        Assert.Equal(StatusCode.Internal, StatusOf(response));
    }

    [Fact]
    public async Task NonGrpcContentTypeIsRefusedWith415()
    {
        var (response, _) = await SendRawAsync(server.Address, SayMethod, GrpcFraming.Frame(new SayRequest()), contentType: "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task HealthCheckServesKnownServicesAndRejectsUnknownOnes()
    {
        var health = new HealthClient(Channel(server.Address));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "voiceanalytics.test.v1.Echo" })).Status);
        var error = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nope" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task TraceContextMakesTheServerSpanAChildOfTheCaller()
    {
        using var source = new ActivitySource("VoiceAnalytics.Tests.Caller");
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var caller = source.StartActivity("caller")!;
        var reply = await SayAsync(server.Address, new SayRequest { Text = "trace" });

        Assert.Equal(caller.TraceId.ToString(), reply.TraceId);
        Assert.NotEqual(default(ActivitySpanId).ToHexString(), reply.ParentSpanId);
    }

    [Fact]
    public async Task UnreachableServerIsUnavailable()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SayAsync(new Uri("http://127.0.0.1:1"), new SayRequest()));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private static byte[] CompressedFrame(IMessage message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(gzip);
        }
        var payload = compressed.ToArray();
        var frame = new byte[GrpcFraming.HeaderSize + payload.Length];
        frame[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, GrpcFraming.HeaderSize);
        return frame;
    }
}
