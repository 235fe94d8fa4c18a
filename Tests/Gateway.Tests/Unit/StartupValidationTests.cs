using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Gateway.Api;

namespace VoiceAnalytics.Gateway.Tests.Unit;

/// <summary>
/// Settings the gateway cannot work with stop its start (options validated on start, before any hosted service
/// runs), with a message that names the setting and never its value.
/// </summary>
public sealed class StartupValidationTests
{
    private static string Base64Of(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>
    /// Everything Program.cs registers, with one bad setting; the failure the start reports. A host builder rather
    /// than the WebApplicationFactory: when the start fails, the factory may report the host it finds already
    /// disposed (ObjectDisposedException) instead of the validation error.
    /// </summary>
    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Validation comes before any database work, so none is needed.
            ["ConnectionStrings:voicedb"] = "Host=127.0.0.1;Port=1;Database=none",
            ["WEBHOOK_SECRET"] = "wsec_test",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddGatewayServices();
        builder.AddAdminServices();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return error.Message;
    }

    [Fact]
    public async Task AnUnreadableKnownProxyStopsTheStart()
    {
        var message = await StartFailureAsync(new() { ["FORWARDED_KNOWN_PROXIES"] = "10.0.0.5,not-a-proxy" });

        Assert.Contains(TrustedProxies.InvalidMessage, message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-proxy", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASigningKeyOfTheWrongLengthStopsTheStart()
    {
        var message = await StartFailureAsync(new() { ["Auth:SigningKeys:t1"] = Base64Of(16), ["Auth:ActiveSigningKeyId"] = "t1" });

        Assert.Contains("Auth:SigningKeys:t1 must be the base64 of a 32-byte Ed25519 private key.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActiveSigningKeyThatIsNotConfiguredStopsTheStart()
    {
        var message = await StartFailureAsync(new() { ["Auth:SigningKeys:t1"] = Base64Of(32), ["Auth:ActiveSigningKeyId"] = "t2" });

        Assert.Contains("Auth:ActiveSigningKeyId 't2' is not among Auth:SigningKeys.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuditChainKeyThatIsNotBase64StopsTheStart()
    {
        var message = await StartFailureAsync(new() { ["Audit:ChainKey"] = "not base64 at all" });

        Assert.Contains("Audit:ChainKey is not valid base64.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64 at all", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortAuditChainKeyStopsTheStart()
    {
        var message = await StartFailureAsync(new() { ["Audit:ChainKey"] = Base64Of(16) });

        Assert.Contains("Audit:ChainKey must be at least 32 bytes.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APrivacyKeyOfTheWrongLengthStopsTheStart()
    {
        var message = await StartFailureAsync(new()
        {
            ["Privacy:Keys:k1"] = Base64Of(16),
            ["Privacy:ActiveKeyId"] = "k1",
            ["Privacy:HashKey"] = Base64Of(32),
        });

        Assert.Contains("Privacy key 'k1' must be 32 bytes (AES-256), not 16.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivacyKeysWithoutAHashKeyStopTheStart()
    {
        var message = await StartFailureAsync(new() { ["Privacy:Keys:k1"] = Base64Of(32), ["Privacy:ActiveKeyId"] = "k1" });

        Assert.Contains("Privacy:HashKey (base64, 32 bytes or more) is required when Privacy:Keys are configured.", message, StringComparison.Ordinal);
    }
}
