using Microsoft.Extensions.Configuration;
using VoiceAnalytics.ServiceDefaults.Discovery;

namespace VoiceAnalytics.Foundation.Tests.Http;

public sealed class ServiceAddressesTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void AspireKeysResolveToTheFirstAddress()
    {
        var config = Config(("services:analysis:grpc:0", "http://127.0.0.1:5102"), ("services:analysis:grpc:1", "http://127.0.0.1:6102"));
        Assert.Equal(new Uri("http://127.0.0.1:5102"), ServiceAddresses.Resolve(config, "analysis", "grpc"));
    }

    [Fact]
    public void EnvironmentStyleKeysWork()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("services__crm__http__0", (string?)"http://h:1")]).Build();
        // Environment variables arrive with "__" already turned into ":" by the configuration provider.
        Assert.Null(ServiceAddresses.Resolve(config, "crm"));
        Assert.Equal(new Uri("http://h:1"), ServiceAddresses.Resolve(Config(("services:crm:http:0", "http://h:1")), "crm"));
    }

    [Fact]
    public void AMissingAddressIsAClearConfigurationError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceAddresses.Require(Config(), "crm", "grpc"));
        Assert.Contains("services__crm__grpc__0", error.Message);
    }
}
