using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Trace.V1;
using VoiceAnalytics.AppHost.Telemetry;
using VoiceAnalytics.System.Tests.Dashboard.Support;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>What the receiver does with gzip, wrong content, oversized and partly unusable exports.</summary>
public sealed class OtlpReceiverEdgeTests : IAsyncLifetime
{
    private DashboardTestHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await DashboardTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:Telemetry:MaxRequestBytes"] = "65536",
            ["Dashboard:Telemetry:MaxAttributeLength"] = "100",
        });
        _client = _host.AnonymousClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task GzipBodyIsAcceptedAndAnsweredWithAnExportTraceServiceResponse()
    {
        var body = OtlpRequests.Spans("gateway", 3).ToByteArray();

        using var response = await _client.PostAsync("/v1/traces", OtlpRequests.Protobuf(body, gzip: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(answer.PartialSuccess);
        Assert.Equal(3, _host.Store.Counts().Spans);
    }

    [Fact]
    public async Task JsonBodyIsRefusedWith415AndNothingIsStored()
    {
        using var content = new StringContent("{\"resourceSpans\":[]}", new MediaTypeHeaderValue("application/json"));

        using var response = await _client.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, _host.Store.Counts().Spans);
    }

    [Fact]
    public async Task MalformedProtobufIsRefusedWith400AndNothingIsStored()
    {
        using var response = await _client.PostAsync("/v1/logs", OtlpRequests.Protobuf([0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _host.Store.Counts().Logs);
    }

    [Fact]
    public async Task BodyOverTheLimitAfterDecompressionIsRefusedWith413()
    {
        // Highly compressible: small on the wire, far over the 64 KiB limit once inflated.
        var body = OtlpRequests.Spans("gateway", 2_000).ToByteArray();

        using var response = await _client.PostAsync("/v1/traces", OtlpRequests.Protobuf(body, gzip: true));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, _host.Store.Counts().Spans);
    }

    [Fact]
    public async Task SpansWithoutIdsAreReportedAsRejectedInAPartialSuccess()
    {
        var request = OtlpRequests.Spans("gateway", 2);
        request.ResourceSpans[0].ScopeSpans[0].Spans[1].SpanId = ByteString.Empty;

        using var response = await _client.PostAsync("/v1/traces", OtlpRequests.Protobuf(request.ToByteArray()));

        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
        Assert.Equal(1, _host.Store.Counts().Spans);
    }

    [Fact]
    public async Task OversizedAttributeValuesAreTruncatedToTheConfiguredLength()
    {
        var request = OtlpRequests.Spans("gateway", 1, attributeValue: new string('x', 10_000));

        using var response = await _client.PostAsync("/v1/traces", OtlpRequests.Protobuf(request.ToByteArray()));

        response.EnsureSuccessStatusCode();
        var value = Assert.Single(Assert.Single(_host.Store.Spans()).Attributes, a => a.Key == "value").Value;
        Assert.Equal(101, value.Length);
        Assert.EndsWith("…", value);
    }

    [Fact]
    public async Task UnknownContentEncodingIsRefusedWith415()
    {
        var content = OtlpRequests.Protobuf(OtlpRequests.Spans("gateway", 1).ToByteArray());
        content.Headers.ContentEncoding.Add("br");

        using var response = await _client.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(new TelemetryCounts(0, 0, 0, 0, 0, 0), _host.Store.Counts());
    }
}
