using System.Text.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.System.Tests.Support;

namespace VoiceAnalytics.System.Tests.Integration;

/// <summary>
/// No personal data in ordinary logs (only at Debug). A whole pipeline run — gateway, offline
/// analysis that really extracts the client's name, phone and email, CRM export to the Markdown mirror — and then
/// every line every resource wrote to its console (Information and above) is searched for that data.
/// </summary>
public sealed class LogRedactionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    // What the Russian fixture says about its client, and a piece of the transcript itself.
    private static readonly string[] PersonalData =
        ["+375291234567", "375291234567", "29 123-45-67", "Иван", "Петров", "ivan.petrov@example.com", "ivan.petrov", "двадцать человек"];

    [Fact]
    public async Task NoResourceLogsPersonalDataDuringAFullPipelineRun()
    {
        // The offline analyzer really extracts the client's name, phone and email from the transcript.
        await using var app = await StressApp.StartAsync(new StressAppSettings { UseFakeOpenAi = false });
        var conversationId = "conv_redaction_" + Guid.NewGuid().ToString("N")[..10];

        using (var response = await app.Gateway.SendAsync(app.Signer.CreateRequest(RussianTranscription(conversationId))))
        {
            Assert.True(response.IsSuccessStatusCode, $"gateway answered {response.StatusCode}");
        }

        // The export reached the Markdown mirror with the extracted contact: the data really flowed through
        // every service, so its absence from the logs below means something.
        var markdown = await WaitForMarkdownSectionAsync(Path.Combine(app.DataDirectory, "memory-bank", "crm.md"), conversationId);
        Assert.Contains("+375291234567", markdown);
        Assert.Contains("ivan.petrov@example.com", markdown);

        // Every console line of every resource, as the dashboard's Console logs page shows them.
        var leaks = app.Logs.Resources
            .SelectMany(r => app.Logs.Of(r), (r, line) => (Resource: r, Text: line))
            .Where(l => PersonalData.Any(pii => l.Text.Contains(pii, StringComparison.OrdinalIgnoreCase)))
            .Select(l => $"{l.Resource}: {l.Text}")
            .ToList();
        Assert.True(leaks.Count == 0, "Personal data in logs:\n" + string.Join("\n", leaks));
        // Each service's console was captured (its start-up lines at least), so an empty search above is not an
        // empty capture. Routine per-conversation lines are at Debug, which this run does not write.
        Assert.All(["gateway", "analysis", "crm"], service => Assert.NotEmpty(app.Logs.Of(service)));
    }

    private static byte[] RussianTranscription(string conversationId)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "post_call_transcription_ru.json")))!;
        node["data"]!["conversation_id"] = conversationId;
        node["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }

    private static async Task<string> WaitForMarkdownSectionAsync(string path, string conversationId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                var text = await File.ReadAllTextAsync(path);
                if (text.Contains(conversationId, StringComparison.Ordinal))
                {
                    return text;
                }
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The export of {conversationId} never reached {path}.");
    }
}
