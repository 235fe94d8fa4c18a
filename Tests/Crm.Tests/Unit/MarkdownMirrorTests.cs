using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Export;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class MarkdownMirrorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 11, 3, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    private MarkdownMirror Mirror(string relative = "memory-bank/crm.md") =>
        new(CrmTestOptions.Create(o => o.MarkdownPath = _folder.File(relative)), _clock);

    private static int Sections(string content, string conversationId) =>
        Regex.Matches(content, Regex.Escape(MarkdownSection.StartMarker(conversationId))).Count;

    [Fact]
    public async Task ASectionHoldsTheConversationsFields()
    {
        var mirror = Mirror();
        await mirror.WriteAsync(Leads.Fixture(), CancellationToken.None);
        var content = await File.ReadAllTextAsync(mirror.FullPath);

        Assert.StartsWith("# CRM exports\n", content);
        Assert.Contains("## " + Leads.ConversationId, content);
        Assert.Contains("- **Time:** 2025-11-03 10:00:00Z", content);
        Assert.Contains("- **Agent:** " + Leads.AgentId, content);
        Assert.Contains("- **Topic:** Подключение офиса", content);
        Assert.Contains("- **Intent:** Запрос коммерческого предложения", content);
        Assert.Contains("- **Quality:** 5", content);
        Assert.Contains("- **Outcome:** Квалифицирован", content);
        Assert.Contains("- **Contact:** Иван Петров, +375291234567, ivan.petrov@example.com", content);
        Assert.Contains("**Summary**\n\nИван Петров интересуется подключением офиса на 20 рабочих мест.", content);
        Assert.Contains("**Recommendations**\n\nОтправить КП сегодня.", content);
    }

    [Fact]
    public async Task ABatchIsAppendedInOrderAfterWhatTheFileHolds()
    {
        var mirror = Mirror();
        await mirror.WriteAsync(Leads.Fixture("conv_before"), CancellationToken.None);
        await mirror.WriteAsync([Leads.Fixture("conv_a"), Leads.Fixture("conv_b"), Leads.Fixture("conv_c")], CancellationToken.None);
        var content = await File.ReadAllTextAsync(mirror.FullPath);

        Assert.Single(Regex.Matches(content, "# CRM exports"));
        var order = new[] { "conv_before", "conv_a", "conv_b", "conv_c" }.Select(c => content.IndexOf(MarkdownSection.StartMarker(c), StringComparison.Ordinal)).ToList();
        Assert.All(order, position => Assert.True(position > 0));
        Assert.Equal(order.Order(), order);
        // Sections are separated by one blank line, as single appends leave them.
        Assert.Contains(MarkdownSection.EndMarker("conv_a") + "\n\n" + MarkdownSection.StartMarker("conv_b"), content, StringComparison.Ordinal);
        Assert.Equal(content, MarkdownSection.RemoveAll(content, "conv_missing"));
        Assert.Equal(0, Sections(MarkdownSection.RemoveAll(content, "conv_b"), "conv_b"));
        Assert.Equal(1, Sections(MarkdownSection.RemoveAll(content, "conv_b"), "conv_c"));
    }

    [Fact]
    public async Task AReExportAppendsANewerSectionAfterTheOthers()
    {
        var mirror = Mirror();
        await mirror.WriteAsync(Leads.With("conv_a", """{"topic":"first"}"""), CancellationToken.None);
        await mirror.WriteAsync(Leads.With("conv_b", """{"topic":"other"}"""), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await mirror.WriteAsync(Leads.With("conv_a", """{"topic":"second"}"""), CancellationToken.None);

        var content = await File.ReadAllTextAsync(mirror.FullPath);
        Assert.Equal(2, Sections(content, "conv_a"));
        Assert.Equal(1, Sections(content, "conv_b"));
        var first = content.IndexOf("first", StringComparison.Ordinal);
        var other = content.IndexOf("other", StringComparison.Ordinal);
        var second = content.IndexOf("second", StringComparison.Ordinal);
        Assert.True(first < other && other < second, "sections are in export order");
        Assert.Contains("10:05:00Z", content[other..second]);
        // Sections stay separated by exactly one blank line.
        Assert.Contains(MarkdownSection.EndMarker("conv_b") + "\n\n" + MarkdownSection.StartMarker("conv_a"), content);
    }

    [Fact]
    public async Task AnExportAppendsToTheFileInsteadOfRewritingIt()
    {
        var mirror = Mirror();
        await mirror.WriteAsync(Leads.With("conv_old", """{"topic":"old"}"""), CancellationToken.None);

        // A reader holding the file open sees the new section in the same file: nothing was rewritten and
        // renamed over it, so an export's cost does not grow with what the mirror already holds.
        await using var reader = new FileStream(mirror.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var before = reader.Length;
        await mirror.WriteAsync(Leads.With("conv_new", """{"topic":"new"}"""), CancellationToken.None);

        Assert.True(reader.Length > before);
        using var text = new StreamReader(reader);
        var content = await text.ReadToEndAsync();
        Assert.Equal(1, Sections(content, "conv_old"));
        Assert.Equal(1, Sections(content, "conv_new"));
    }

    [Fact]
    public async Task RemovingAConversationErasesEveryOneOfItsSectionsAndNothingElse()
    {
        var mirror = Mirror();
        foreach (var id in new[] { "conv_1", "conv_2", "conv_3", "conv_2" })
        {
            await mirror.WriteAsync(Leads.With(id, """{"client_name":"Name of %ID%","phone":"+375290000000"}""".Replace("%ID%", id)), CancellationToken.None);
        }

        Assert.Equal(1, await mirror.RemoveConversationsAsync(["conv_2", "conv_absent"], CancellationToken.None));
        Assert.Equal(0, await mirror.RemoveConversationsAsync(["conv_2"], CancellationToken.None));

        var content = await File.ReadAllTextAsync(mirror.FullPath);
        Assert.DoesNotContain("conv_2", content);
        Assert.DoesNotContain("Name of conv_2", content);
        Assert.Equal(1, Sections(content, "conv_1"));
        Assert.Equal(1, Sections(content, "conv_3"));
        Assert.Contains(MarkdownSection.EndMarker("conv_1") + "\n\n" + MarkdownSection.StartMarker("conv_3"), content);
        Assert.EndsWith(MarkdownSection.EndMarker("conv_3") + "\n", content);
        Assert.Equal(0, await Mirror("missing/none.md").RemoveConversationsAsync(["conv_1"], CancellationToken.None));
    }

    [Fact]
    public async Task AValueThatLooksLikeAMarkerCannotBreakTheFile()
    {
        var mirror = Mirror();
        await mirror.WriteAsync(Leads.With("conv_x", """{"summary_ru":"<!-- /conversation: conv_x -->\n<!-- conversation: conv_y -->"}"""), CancellationToken.None);
        await mirror.WriteAsync(Leads.With("conv_z", """{"summary_ru":"kept"}"""), CancellationToken.None);
        var content = await File.ReadAllTextAsync(mirror.FullPath);
        Assert.Equal(1, Sections(content, "conv_x"));
        Assert.Equal(0, Sections(content, "conv_y"));

        Assert.Equal(1, await mirror.RemoveConversationsAsync(["conv_x"], CancellationToken.None));
        content = await File.ReadAllTextAsync(mirror.FullPath);
        Assert.DoesNotContain("conv_x", content);
        Assert.DoesNotContain("conv_y", content);
        Assert.Contains("kept", content);
    }

    [Fact]
    public async Task ConcurrentWritersInOneProcessLoseNothingAndDuplicateNothing()
    {
        // Several mirror instances, as several workers would have, each writing conversations and re-exports:
        // 120 exports of 40 conversations, three each.
        var ids = Enumerable.Range(0, 40).Select(i => $"conv_{i:D3}").ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var id = ids[i % ids.Length];
            await Mirror().WriteAsync(Leads.With(id, $$"""{"topic":"round {{i / ids.Length}}"}"""), ct);
        });

        var content = await File.ReadAllTextAsync(Mirror().FullPath);
        Assert.All(ids, id => Assert.Equal(3, Sections(content, id)));
        Assert.All(Enumerable.Range(0, 3), round => Assert.Equal(40, Regex.Matches(content, $"round {round}\n").Count));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Mirror().FullPath)!, "*.tmp"));
    }

    [Fact]
    public async Task AnotherProcessHoldingTheLockIsWaitedForAndItsChangeIsKept()
    {
        var mirror = Mirror();
        await mirror.WriteAsync(Leads.With("conv_first", """{"topic":"a"}"""), CancellationToken.None);

        // flock(1) takes the same flock(2) lock .NET takes for FileShare.None. Under it, the other process
        // appends a line, waits, and appends a second one; a writer that ignored the lock would read the file
        // between the two and overwrite the second line.
        var path = mirror.FullPath;
        var script = $"echo 'EXTERNAL-START' >> '{path}'; sleep 1; echo 'EXTERNAL-END' >> '{path}'";
        using var other = Process.Start(new ProcessStartInfo("flock", ["--exclusive", path + ".lock", "sh", "-c", script])
        {
            RedirectStandardError = true,
        })!;
        while (!(await File.ReadAllTextAsync(path)).Contains("EXTERNAL-START", StringComparison.Ordinal))
        {
            Assert.False(other.HasExited, await other.StandardError.ReadToEndAsync());
            await Task.Delay(10);
        }

        await mirror.WriteAsync(Leads.With("conv_second", """{"topic":"b"}"""), CancellationToken.None);
        await other.WaitForExitAsync();

        var content = await File.ReadAllTextAsync(path);
        Assert.Equal(0, other.ExitCode);
        Assert.Contains("EXTERNAL-END", content);
        Assert.Equal(1, Sections(content, "conv_first"));
        Assert.Equal(1, Sections(content, "conv_second"));
    }
}
