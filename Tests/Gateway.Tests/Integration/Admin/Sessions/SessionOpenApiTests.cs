using System.Net;
using System.Text.Json.Nodes;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin.Sessions;

public sealed class SessionOpenApiTests
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesSignInRevocationAndTheJwks()
    {
        await using var host = await AdminHost.StartAsync();
        using var response = await host.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!;

        var signIn = paths["/api/v1/sessions"]!["post"]!;
        Assert.NotNull(signIn["summary"]);
        Assert.NotNull(signIn["responses"]!["200"]);
        Assert.NotNull(signIn["requestBody"]);
        Assert.NotNull(signIn["responses"]!["401"]);
        Assert.NotNull(paths["/api/v1/sessions/{id}"]!["delete"]!["responses"]!["204"]);
        Assert.NotNull(paths["/.well-known/jwks.json"]!["get"]!["responses"]!["200"]);
    }
}
