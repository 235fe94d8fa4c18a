using System.Net;
using VoiceAnalytics.ServiceDefaults.Http;

namespace VoiceAnalytics.Foundation.Tests.Http;

public sealed class ResilienceHandlerTests
{
    private static HttpClient Client(ScriptedHandler inner, HttpResilienceOptions? options = null) =>
        new(new ResilienceHandler(options ?? new HttpResilienceOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) }) { InnerHandler = inner });

    [Fact]
    public async Task TransientFailuresOfAGetAreRetried()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        var response = await Client(inner).GetAsync("http://example.test/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task APostThatReachedTheServerIsNotRetried()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var response = await Client(inner).PostAsync("http://example.test/", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task ClientErrorsAreNotRetried()
    {
        var inner = new ScriptedHandler(HttpStatusCode.BadRequest, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client(inner).GetAsync("http://example.test/")).StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task RetriesSendTheSameBodyAgain()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        await Client(inner).PutAsync("http://example.test/", new StringContent("payload-1"));
        Assert.Equal(["payload-1", "payload-1"], inner.Bodies);
    }

    [Fact]
    public async Task RetriesGiveUpAfterTheConfiguredAttempts()
    {
        var inner = new ScriptedHandler(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 10).ToArray());
        var options = new HttpResilienceOptions { MaxRetryAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client(inner, options).GetAsync("http://example.test/")).StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task TheBreakerOpensAfterManyFailuresAndStopsCallingTheServer()
    {
        var inner = new ScriptedHandler(Enumerable.Repeat(HttpStatusCode.InternalServerError, 100).ToArray());
        var options = new HttpResilienceOptions
        {
            MaxRetryAttempts = 0, BreakerMinimumThroughput = 5, BreakerFailureRatio = 0.5, BreakerBreakDuration = TimeSpan.FromMinutes(5),
        };
        var client = Client(inner, options);
        for (var i = 0; i < 5; i++)
        {
            await client.GetAsync("http://example.test/");
        }
        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.GetAsync("http://example.test/"));
        Assert.Equal(5, inner.Calls);
    }

    private sealed class ScriptedHandler(params HttpStatusCode[] script) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
            }
            return new HttpResponseMessage(script[Math.Min(Calls++, script.Length - 1)]);
        }
    }
}
