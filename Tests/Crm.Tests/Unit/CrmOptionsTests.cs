using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CrmOptionsTests
{
    private static IHost Build(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.AddCrmOptions();
        return builder.Build();
    }

    private static CrmOptions Bind(Dictionary<string, string?> values)
    {
        using var host = Build(values);
        return host.Services.GetRequiredService<IOptions<CrmOptions>>().Value;
    }

    private static Dictionary<string, string?> WithCreatio(string key, string value) => new()
    {
        ["CRM_SERVICE_URL"] = "https://crm.example.by/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData",
        ["CRM_LANDING_ID"] = "d66ebbf6-f588-4130-9f0b-0ba3414dafb8",
        [key] = value,
    };

    [Fact]
    public void TheFlatVariablesAreMappedOntoTheSection()
    {
        var options = Bind(new()
        {
            ["CRM_SERVICE_URL"] = "https://office.example.by:6163/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData",
            ["CRM_LANDING_ID"] = "d66ebbf6-f588-4130-9f0b-0ba3414dafb8",
            ["CRM_BASIC_AUTH_USER"] = "user",
            ["CRM_BASIC_AUTH_PASS"] = "pass",
            ["CRM_TIMEOUT_MS"] = "3000",
            ["CRM_MAX_RETRIES"] = "1",
            ["CRM_MD_ENABLED"] = "no",
            ["CRM_MD_PATH"] = "/tmp/x.md",
            ["Crm:FormFields:UsrChannel"] = "channel",
            ["Crm:Breaker:BreakDuration"] = "00:02:00",
        });
        Assert.True(options.CreatioEnabled);
        Assert.Equal("user", options.BasicAuthUser);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.Equal(1, options.MaxRetries);
        Assert.False(options.MarkdownEnabled);
        Assert.Equal("/tmp/x.md", options.MarkdownPath);
        Assert.Equal("channel", options.FormFields["UsrChannel"]);
        Assert.Equal("summary_ru", options.FormFields["Commentary"]); // defaults kept beside the additions
        Assert.Equal(TimeSpan.FromMinutes(2), options.Breaker.BreakDuration);
    }

    [Fact]
    public void AFlatVariableWinsOverTheSection()
    {
        var options = Bind(new() { ["Crm:Timeout"] = "00:00:05", ["CRM_TIMEOUT_MS"] = "7000", ["CRM_MD_PATH"] = " " });
        Assert.Equal(TimeSpan.FromSeconds(7), options.Timeout);
        Assert.Equal("memory-bank/crm.md", options.MarkdownPath); // blank: not set
    }

    [Fact]
    public void ExternalCrmDisabledKeepsExportsInTheMarkdownFileOnly()
    {
        var options = Bind(WithCreatio("EXTERNAL_CRM_ENABLED", "false"));
        Assert.False(options.CreatioEnabled);
        Assert.True(options.MarkdownEnabled);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = Bind([]);
        Assert.False(options.CreatioEnabled);
        Assert.True(options.MarkdownEnabled);
        Assert.Equal("memory-bank/crm.md", options.MarkdownPath);
        Assert.Equal(TimeSpan.FromSeconds(8), options.Timeout);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(5, options.Breaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Breaker.BreakDuration);
        Assert.Equal(3, options.Breaker.HalfOpenProbes);
        Assert.Equal(2, options.Breaker.SuccessesToClose);
    }

    [Theory]
    [InlineData("CRM_LANDING_ID", "not-a-guid", "CRM_LANDING_ID")]
    [InlineData("CRM_SERVICE_URL", "ftp://crm/x", "CRM_SERVICE_URL")]
    [InlineData("CRM_TIMEOUT_MS", "5", "CRM_TIMEOUT_MS")]
    [InlineData("CRM_MAX_RETRIES", "99", "CRM_MAX_RETRIES")]
    [InlineData("Crm:Breaker:FailureThreshold", "0", "FailureThreshold")]
    public async Task SettingsThatCannotWorkStopTheStartNamingTheVariable(string key, string value, string named)
    {
        using var host = Build(WithCreatio(key, value));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("CRM_TIMEOUT_MS", "eight")]
    [InlineData("CRM_MAX_RETRIES", "2.5")]
    [InlineData("CRM_MD_ENABLED", "maybe")]
    public void AnUnreadableValueIsAClearErrorWithoutTheValue(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { [key] = value }));
        Assert.Contains(key, error.Message);
        Assert.DoesNotContain(value, error.Message);
    }
}
