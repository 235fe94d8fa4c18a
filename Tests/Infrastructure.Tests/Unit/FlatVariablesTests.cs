using Microsoft.Extensions.Configuration;
using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.Infrastructure.Tests.Unit;

public sealed class FlatVariablesTests
{
    private static readonly FlatVariable[] Table =
    [
        new("X_URL", "X:Url"),
        new("X_COUNT", "X:Count", FlatValueKind.Number),
        new("X_ENABLED", "X:Enabled", FlatValueKind.Boolean),
        new("X_TIMEOUT_MS", "X:Timeout", FlatValueKind.Milliseconds),
        new("X_TOLERANCE_SEC", "X:Tolerance", FlatValueKind.Seconds),
    ];

    private static ConfigurationManager Map(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values);
        configuration.AddFlatVariables(Table);
        return configuration;
    }

    [Fact]
    public void EachSetVariableIsConvertedOntoItsKeyAndWinsOverTheSection()
    {
        var configuration = Map(new()
        {
            ["X_URL"] = " https://x.example ",
            ["X_COUNT"] = "7",
            ["X_ENABLED"] = "on",
            ["X_TIMEOUT_MS"] = "1500",
            ["X_TOLERANCE_SEC"] = "90",
            ["X:Count"] = "3",
        });
        Assert.Equal("https://x.example", configuration["X:Url"]);
        Assert.Equal("7", configuration["X:Count"]);
        Assert.Equal("true", configuration["X:Enabled"]);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), configuration.GetValue<TimeSpan>("X:Timeout"));
        Assert.Equal(TimeSpan.FromSeconds(90), configuration.GetValue<TimeSpan>("X:Tolerance"));
    }

    [Fact]
    public void ABlankVariableLeavesTheSectionAlone()
    {
        var configuration = Map(new() { ["X_URL"] = "  ", ["X:Url"] = "https://section.example" });
        Assert.Equal("https://section.example", configuration["X:Url"]);
    }

    [Fact]
    public void EveryUnreadableVariableIsNamedInOneErrorThatHoldsNoValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Map(new() { ["X_COUNT"] = "many", ["X_TIMEOUT_MS"] = "-5", ["X_ENABLED"] = "perhaps" }));
        Assert.Contains("X_COUNT must be a whole number", error.Message);
        Assert.Contains("X_TIMEOUT_MS must be a whole number of milliseconds", error.Message);
        Assert.Contains("X_ENABLED must be true or false", error.Message);
        Assert.DoesNotContain("perhaps", error.Message);
    }
}
