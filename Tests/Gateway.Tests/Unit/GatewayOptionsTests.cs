using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Ingest;

namespace VoiceAnalytics.Gateway.Tests.Unit;

/// <summary>The gateway's flat WEBHOOK_*, INGEST_* and FORWARDED_* names bound onto its sections, and refused at start when they cannot work.</summary>
public sealed class GatewayOptionsTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:voicedb"] = "Host=127.0.0.1;Port=1;Database=none",
            ["WEBHOOK_SECRET"] = "wsec_test",
        });
        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }

    [Fact]
    public void TheFlatNamesSetTheWebhookAndIngestSections()
    {
        var builder = Builder(new() { ["WEBHOOK_TOLERANCE_SEC"] = "60", ["INGEST_REPLAY_RETRY_MS"] = "250", ["Ingest:Writers"] = "2" });
        builder.AddGatewayServices();
        using var host = builder.Build();
        Assert.Equal(TimeSpan.FromSeconds(60), host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.Tolerance);
        var ingest = host.Services.GetRequiredService<IOptions<IngestOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(250), ingest.ReplayRetryDelay);
        Assert.Equal(2, ingest.Writers);
    }

    [Fact]
    public void TheKnownProxiesFlatNameSetsTheTrustedProxiesSection()
    {
        var builder = Builder(new() { ["FORWARDED_KNOWN_PROXIES"] = "10.0.0.5,10.1.0.0/16" });
        builder.AddGatewayServices();
        using var host = builder.Build();
        Assert.Equal("10.0.0.5,10.1.0.0/16", host.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.KnownProxies);
    }

    [Fact]
    public void AnUnreadableValueStopsTheStartNamingTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Builder(new() { ["WEBHOOK_TOLERANCE_SEC"] = "half an hour" }).AddGatewayServices());
        Assert.Contains("WEBHOOK_TOLERANCE_SEC must be a whole number of seconds", error.Message);
    }

    [Theory]
    [InlineData("WEBHOOK_TOLERANCE_SEC", "0")]
    [InlineData("INGEST_WRITERS", "0")]
    public async Task AValueOutOfRangeStopsTheStartNamingTheVariable(string key, string value)
    {
        var builder = Builder(new() { [key] = value });
        builder.AddGatewayServices();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(key, error.Message);
    }
}
