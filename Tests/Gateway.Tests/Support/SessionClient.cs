using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>Sign-in, refresh and calls with an access token against an <see cref="AdminHost"/>.</summary>
internal static class SessionClient
{
    public static async Task<JsonObject> SignInAsync(this AdminHost host, string apiKey, bool useCookies = false)
    {
        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", apiKey, useCookies ? new { useCookies } : null);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(this AdminHost host, string refreshToken) =>
        await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", null, new { refreshToken });

    public static string Text(this JsonObject grant, string name) => grant[name]!.GetValue<string>();

    public static async Task<string> ReasonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>();

    /// <summary>A request carrying only cookies (as a browser would), optionally with the CSRF header.</summary>
    public static async Task<HttpResponseMessage> SendWithCookiesAsync(this AdminHost host, HttpMethod method, string path, string cookies, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }
        return await host.Client.SendAsync(request);
    }

    /// <summary>name=value pairs of the response's Set-Cookie headers, ready for a Cookie header.</summary>
    public static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
