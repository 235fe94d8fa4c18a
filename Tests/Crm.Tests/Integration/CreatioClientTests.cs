using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Crm.Tests.Integration;

public sealed class CreatioClientTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeCreatio _crm = null!;

    public async Task InitializeAsync() => _crm = await FakeCreatio.StartAsync();

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private async Task<CreatioResult> SendAsync(Action<CrmOptions>? configure = null)
    {
        var options = CrmTestOptions.Create(o =>
        {
            o.ServiceUrl = _crm.Url;
            o.Timeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        });
        var client = ClientFor(options);
        var request = new CreatioRequestBuilder(options).Build(Leads.Fixture());
        return await client.SendAsync(request, CancellationToken.None);
    }

    private static CreatioClient ClientFor(Microsoft.Extensions.Options.IOptions<CrmOptions> options) =>
        new(Http, new CreatioPipeline(options, new CreatioCircuit(options, TimeProvider.System), TimeProvider.System,
            NullLogger<CreatioPipeline>.Instance), options);

    [Fact]
    public async Task SendsJsonWithBasicAuthAndTheConfiguredReferer()
    {
        var result = await SendAsync(o =>
        {
            o.BasicAuthUser = "landing";
            o.BasicAuthPass = "s3cret:with colon";
            o.Referer = "https://www.example.by/contacts";
        });

        Assert.True(result.Success);
        var received = Assert.Single(_crm.Requests);
        Assert.StartsWith("application/json", received.ContentType);
        Assert.Equal("https://www.example.by/contacts", received.Referer);
        Assert.StartsWith("Basic ", received.Authorization);
        Assert.Equal("landing:s3cret:with colon", Encoding.UTF8.GetString(Convert.FromBase64String(received.Authorization["Basic ".Length..])));
        Assert.Equal(LeadRecordId.For(Leads.ConversationId).ToString("D"), received.RecordId);
    }

    [Fact]
    public async Task WithoutCredentialsNoAuthorizationIsSentAndTheRefererIsTheCrmOrigin()
    {
        await SendAsync();
        var received = Assert.Single(_crm.Requests);
        Assert.Equal("", received.Authorization);
        Assert.Equal(_crm.ServiceUrlBase + "/", received.Referer);
    }

    [Fact]
    public async Task AServerErrorIsRetriedQuicklyThenReportedAsAFailure()
    {
        _crm.Mode = FakeCreatioMode.ServerError;
        var result = await SendAsync(o => o.MaxRetries = 2);
        Assert.False(result.Success);
        Assert.Contains("HTTP 500", result.Message);
        Assert.Equal(3, _crm.Requests.Count);
    }

    [Fact]
    public async Task ADefiniteRefusalIsNotRetriedQuickly()
    {
        _crm.Mode = FakeCreatioMode.ResultCodeMinusOne;
        var result = await SendAsync(o => o.MaxRetries = 2);
        Assert.False(result.Success);
        Assert.Equal(-1, result.ResultCode);
        Assert.Single(_crm.Requests);
    }

    [Fact]
    public async Task ASlowCrmTimesOutAfterTheConfiguredTimeout()
    {
        _crm.Mode = FakeCreatioMode.Hang;
        var result = await SendAsync(o =>
        {
            // Long enough that the retry's request reaches the fake before it times out, with other test
            // assemblies starting whole apps on the same cores.
            o.Timeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 1;
        });
        Assert.False(result.Success);
        Assert.True(result.Transient);
        Assert.Equal("Timed out after 2000 ms", result.Message);
        Assert.Equal(2, _crm.Requests.Count);
    }

    [Fact]
    public async Task AnUnreachableCrmIsATransportFailure()
    {
        var options = CrmTestOptions.Create(o =>
        {
            o.ServiceUrl = "http://127.0.0.1:1/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData";
            o.MaxRetries = 0;
        });
        var client = ClientFor(options);
        var result = await client.SendAsync(new CreatioRequestBuilder(options).Build(Leads.Fixture()), CancellationToken.None);
        Assert.False(result.Success);
        Assert.StartsWith("Transport error", result.Message);
    }
}
