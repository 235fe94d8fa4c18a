using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>One database and one gateway (default settings, a fake clock standing still) shared by a test class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    /// <summary>The gateway's clock: it moves only when a test moves it, so signed timestamps are exact.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1767607333));

    public WebhookSigner Signer { get; } = new(GatewayHost.Secret);

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = await ThrowawayPostgres.Shared;
        Host = await GatewayHost.StartAsync(await postgres.CreateDatabaseAsync("gateway"), clock: Clock);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Posts <paramref name="body"/> signed now (by the fixture's clock).</summary>
    public Task<HttpResponseMessage> PostAsync(byte[] body) => Host.Client.SendAsync(Signer.CreateRequest(body, Clock.GetUtcNow()));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;
}
