using System.Net;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class LogRedactionTests
{
    /// <summary>Every spelling of the fixture's personal data that could leak into a log line.</summary>
    private static readonly string[] Personal =
    [
        Seed.FixturePhone, "375291234567", "291234567", "29) 123", "Иван", "Петров", "ivan.petrov", Seed.FixtureEmail,
        Seed.FixtureTranscriptText, "двадцать человек", "плюс триста семьдесят пять", "Мария", "Сидорова", "+79161234567", "9161234567",
    ];

    [Fact]
    public async Task NoLogRecordAtInformationOrAboveHoldsAPhoneNameEmailOrTranscriptText()
    {
        await using var host = await AdminHost.StartAsync();
        const string conversation = "conv_logs_0001";

        // Ingest, then every admin operation on the conversation, including the ones that fail.
        await Seed.ConversationAsync(host, conversation);
        await Seed.ConversationAsync(host, "conv_logs_0002", "+79161234567", "Мария Сидорова");
        await host.PostWebhookAsync(Seed.Fixture(conversation)); // a duplicate delivery
        var operatorKey = (await host.CreateKeyAsync("operator")).Secret;
        var auditorKey = (await host.CreateKeyAsync("auditor")).Secret;
        var calls = new (HttpMethod Method, string Path, string? Key, object? Body)[]
        {
            (HttpMethod.Post, "/api/v1/conversations/search", operatorKey, new { phone = Seed.FixturePhone }),
            (HttpMethod.Post, "/api/v1/conversations/search", auditorKey, new { phone = Seed.FixturePhone }),
            (HttpMethod.Post, "/api/v1/conversations/search", null, new { phone = Seed.FixturePhone }),
            (HttpMethod.Get, $"/api/v1/conversations/{conversation}", operatorKey, null),
            (HttpMethod.Patch, $"/api/v1/conversations/{conversation}/analysis", operatorKey, new { clientName = "Иван Петрович Петров", phone = "+375291234567" }),
            (HttpMethod.Patch, $"/api/v1/conversations/{conversation}/analysis", operatorKey, new { quality = 9, clientName = "Иван" }),
            (HttpMethod.Post, "/api/v1/subject-requests/access", auditorKey, new { phone = Seed.FixturePhone }),
            (HttpMethod.Post, "/api/v1/subject-requests/access", auditorKey, new { phone = "+79161234567", conversationId = conversation }),
            (HttpMethod.Post, "/api/v1/subject-requests/erasure", operatorKey, new { phone = Seed.FixturePhone }),
            (HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { phone = Seed.FixturePhone }),
            (HttpMethod.Get, "/api/v1/audit", auditorKey, null),
        };
        foreach (var (method, path, key, body) in calls)
        {
            using var response = await host.SendAsync(method, path, key, body);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        var records = host.Logs.Lines();
        // The capture works (start-up and requests are logged); 401s are logged at Debug only, so they are not here.
        Assert.Contains(records, r => r.Contains("Microsoft.Hosting.Lifetime", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Contains("Request finished", StringComparison.Ordinal) || r.Contains("Request starting", StringComparison.Ordinal));
        var leaks = records.SelectMany(record => Personal.Where(p => record.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => $"{p}: {record}")).ToList();
        Assert.Empty(leaks);
    }
}
