using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CrmOptionsSetupTests
{
    private static (CrmOptions Options, ValidateOptionsResult Validation) Bind(Dictionary<string, string?> values)
    {
        var setup = new CrmOptionsSetup(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var options = new CrmOptions();
        setup.Configure(options);
        return (options, setup.Validate(null, options));
    }

    [Fact]
    public void TheSeedsFlatVariablesAreRead()
    {
        var (options, validation) = Bind(new()
        {
            ["CRM_SERVICE_URL"] = "https://office.example.by:6163/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData",
            ["CRM_LANDING_ID"] = "d66ebbf6-f588-4130-9f0b-0ba3414dafb8",
            ["CRM_BASIC_AUTH_USER"] = "user",
            ["CRM_BASIC_AUTH_PASS"] = "pass",
            ["CRM_TIMEOUT_MS"] = "3000",
            ["CRM_MAX_RETRIES"] = "1",
            ["CRM_MD_ENABLED"] = "false",
            ["CRM_MD_PATH"] = "/tmp/x.md",
            ["Crm:FormFields:UsrChannel"] = "channel",
        });
        Assert.True(validation.Succeeded);
        Assert.True(options.CreatioEnabled);
        Assert.Equal("user", options.BasicAuthUser);
        Assert.Equal(3000, options.TimeoutMs);
        Assert.Equal(1, options.MaxRetries);
        Assert.False(options.MarkdownEnabled);
        Assert.Equal("/tmp/x.md", options.MarkdownPath);
        Assert.Equal("channel", options.FormFields["UsrChannel"]);
        Assert.Equal("summary_ru", options.FormFields["Commentary"]); // defaults kept beside the additions
    }

    [Fact]
    public void DefaultsFollowTheSeed()
    {
        var (options, validation) = Bind([]);
        Assert.True(validation.Succeeded);
        Assert.False(options.CreatioEnabled);
        Assert.True(options.MarkdownEnabled);
        Assert.Equal("memory-bank/crm.md", options.MarkdownPath);
        Assert.Equal(8000, options.TimeoutMs);
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
    public void SettingsThatCannotWorkAreRejectedNamingTheVariable(string key, string value, string named)
    {
        var values = new Dictionary<string, string?>
        {
            ["CRM_SERVICE_URL"] = "https://crm.example.by/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData",
            ["CRM_LANDING_ID"] = "d66ebbf6-f588-4130-9f0b-0ba3414dafb8",
            [key] = value,
        };
        var (_, validation) = Bind(values);
        Assert.True(validation.Failed);
        Assert.Contains(named, validation.FailureMessage);
    }

    [Fact]
    public void ANonNumericTimeoutIsAClearError()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["CRM_TIMEOUT_MS"] = "eight" }));
        Assert.Contains("CRM_TIMEOUT_MS", error.Message);
    }
}
