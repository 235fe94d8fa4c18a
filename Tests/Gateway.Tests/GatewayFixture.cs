using System.Net.Http.Json;
using System.Text.Json;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests;

/// <summary>One database and one gateway (default settings, a clock the tests set) shared by a test class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public FixedClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1767607333));

    public WebhookSigner Signer { get; } = new(GatewayHost.Secret);

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = await ThrowawayPostgres.Shared;
        Host = await GatewayHost.StartAsync(await postgres.CreateDatabaseAsync("gateway"), clock: Clock);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Posts <paramref name="body"/> signed now (by the fixture's clock).</summary>
    public Task<HttpResponseMessage> PostAsync(byte[] body) => Host.Client.SendAsync(Signer.CreateRequest(body, Clock.Now));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;
}
