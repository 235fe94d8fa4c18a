using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VoiceAnalytics.AnalysisService;
using VoiceAnalytics.AnalysisService.Analyzers.OpenAi;
using VoiceAnalytics.AnalysisService.Throttling;

namespace VoiceAnalytics.Analysis.Tests.Unit;

public sealed class AnalysisOptionsTests
{
    private static IHost Build(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.AddAnalysisOptions();
        return builder.Build();
    }

    [Fact]
    public void TheFlatVariablesSetTheAnalysisSection()
    {
        using var host = Build(new()
        {
            ["OPENAI_API_KEY"] = "sk-test",
            ["ANALYZE_AUTO"] = "false",
            ["ANALYZE_TIMEOUT_MS"] = "15000",
            ["ANALYZE_MIN_MS"] = "250",
            ["ANALYZE_THROTTLE_POLL_MS"] = "20",
            ["Analysis:Throttle:MaxConcurrency"] = "4",
        });
        var analyzer = host.Services.GetRequiredService<IOptions<AnalyzerOptions>>().Value;
        var throttle = host.Services.GetRequiredService<IOptions<ThrottleOptions>>().Value;
        Assert.True(analyzer.UsesOpenAi);
        Assert.False(analyzer.AutoAnalyze);
        Assert.Equal(TimeSpan.FromSeconds(15), analyzer.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), throttle.MinSpacing);
        Assert.Equal(TimeSpan.FromMilliseconds(20), throttle.PollInterval);
        Assert.Equal(4, throttle.MaxConcurrency);
    }

    [Theory]
    [InlineData("ANALYZE_MAX_CONCURRENCY", "0")]
    [InlineData("ANALYZE_TIMEOUT_MS", "10")]
    [InlineData("ANALYZE_THROTTLE_POLL_MS", "60000")]
    public async Task ASettingThatCannotWorkStopsTheStartNamingTheVariable(string key, string value)
    {
        using var host = Build(new() { [key] = value });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void AnUnreadableDurationIsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["ANALYZE_MIN_MS"] = "1.5s" }));
        Assert.Contains("ANALYZE_MIN_MS must be a whole number of milliseconds", error.Message);
    }
}
