using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Gateway.Admin.Edge;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin.Edge;

public sealed class CorrelationIdTests
{
    [Fact]
    public async Task ACallersCorrelationIdIsReturnedAndACreatedOneWhenItSendsNone()
    {
        await using var host = await AdminHost.StartAsync();

        using var given = new HttpRequestMessage(HttpMethod.Get, "/health");
        given.Headers.Add("X-Correlation-ID", "req-42.abc_DEF:1");
        using var echoed = await host.Client.SendAsync(given);
        using var created = await host.Client.GetAsync("/api/v1/keys");

        Assert.Equal("req-42.abc_DEF:1", echoed.Headers.GetValues("X-Correlation-ID").Single());
        Assert.Matches("^[0-9a-f]{32}$", created.Headers.GetValues("X-Correlation-ID").Single());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("line\u000bbreak")]
    [InlineData("<script>")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AnUnsafeOrOverlongCorrelationIdIsReplacedByANewOne(string presented)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Correlation-ID"] = presented;
        var middleware = new CorrelationIdMiddleware(_ => Task.CompletedTask, new ScopeLogger());

        await middleware.InvokeAsync(context);

        Assert.Matches("^[0-9a-f]{32}$", context.Response.Headers["X-Correlation-ID"].ToString());
    }

    [Fact]
    public async Task TheCorrelationIdIsInTheLogScopeAndOnTheSpan()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == nameof(CorrelationIdTests),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource(nameof(CorrelationIdTests));
        using var span = source.StartActivity("request")!;
        var logger = new ScopeLogger();
        IReadOnlyDictionary<string, object>? scopeSeenByEndpoint = null;
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Correlation-ID"] = "corr-1";
        var middleware = new CorrelationIdMiddleware(_ =>
        {
            scopeSeenByEndpoint = logger.Current;
            return Task.CompletedTask;
        }, logger);

        await middleware.InvokeAsync(context);

        Assert.Equal("corr-1", scopeSeenByEndpoint?["CorrelationId"]);
        Assert.Equal("corr-1", span.GetTagItem("correlation.id"));
        Assert.Null(logger.Current);
    }

    /// <summary>Remembers the innermost open scope, as a log provider would attach it to each record.</summary>
    private sealed class ScopeLogger : ILogger<CorrelationIdMiddleware>
    {
        public IReadOnlyDictionary<string, object>? Current { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Current = state as IReadOnlyDictionary<string, object>;
            return new Closer(this);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        private sealed class Closer(ScopeLogger owner) : IDisposable
        {
            public void Dispose() => owner.Current = null;
        }
    }
}
