using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Tests.Unit;

public sealed class EventSpoolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"va-spool-{Guid.NewGuid():N}");

    private EventSpool NewSpool() => new(Options.Create(new IngestOptions { SpoolPath = Path.Combine(_directory, "events.jsonl") }));

    private static WebhookEvent Event(string conversation, byte[]? audio = null) =>
        new("post_call_transcription", conversation, "agent", 5, "{\n  \"type\": \"post_call_transcription\",\r\n  \"data\": {\"text\": \"line\\nbreak\"}\n}",
            audio, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", DateTimeOffset.FromUnixTimeSeconds(1767607331));

    [Fact]
    public async Task EachEventIsOneLineAndReadsBackUnchanged()
    {
        var spool = NewSpool();
        var written = new[] { Event("a"), Event("b", [1, 2, 3]) };

        await spool.AppendAsync(written, CancellationToken.None);

        Assert.True(spool.IsActive);
        var lines = await ReadAllAsync(spool.FilePath);
        Assert.Equal(2, lines.Count);
        var read = lines.Select(l => SpoolCodec.Read(l)).ToList();
        Assert.Equal(["a", "b"], read.Select(e => e.ConversationId));
        Assert.Equal([1, 2, 3], read[1].Audio);
        // The spool adds when it took the event, for the lineage report; everything else reads back as written.
        Assert.NotNull(read[0].SpooledAt);
        Assert.Equal(written[0] with { Payload = read[0].Payload, SpooledAt = read[0].SpooledAt }, read[0]);
        Assert.Contains("line\\nbreak", read[0].Payload); // escaped newlines inside strings survive
    }

    [Fact]
    public async Task AnAppendAfterATornLineStartsOnAFreshLine()
    {
        var spool = NewSpool();
        await spool.AppendAsync([Event("a")], CancellationToken.None);
        await File.AppendAllTextAsync(spool.FilePath, "{\"type\":\"post_call_tr"); // a crash mid-append

        await spool.AppendAsync([Event("b")], CancellationToken.None);

        var lines = await ReadAllAsync(spool.FilePath);
        Assert.Equal(3, lines.Count);
        Assert.Equal("b", SpoolCodec.Read(lines[2]).ConversationId);
    }

    [Fact]
    public async Task ReplayTakesTheFileAsideAndTheSpoolDeactivatesOnlyWhenEmpty()
    {
        var spool = NewSpool();
        await spool.AppendAsync([Event("a")], CancellationToken.None);

        var replay = await spool.BeginReplayAsync(CancellationToken.None);
        await spool.AppendAsync([Event("b")], CancellationToken.None); // arrives during the replay

        Assert.NotNull(replay);
        Assert.False(await spool.TryDeactivateAsync(CancellationToken.None));
        spool.CompleteReplay(replay);
        Assert.Equal(spool.FilePath + ".replay", await spool.BeginReplayAsync(CancellationToken.None));
        spool.CompleteReplay(spool.FilePath + ".replay");
        Assert.True(await spool.TryDeactivateAsync(CancellationToken.None));
        Assert.False(spool.IsActive);
        Assert.False(NewSpool().IsActive);
    }

    [Fact]
    public async Task ASpoolLeftByAPreviousRunIsActiveAtStart()
    {
        await NewSpool().AppendAsync([Event("a")], CancellationToken.None);

        Assert.True(NewSpool().IsActive);
    }

    private static async Task<List<byte[]>> ReadAllAsync(string file)
    {
        var lines = new List<byte[]>();
        await foreach (var line in EventSpool.ReadLinesAsync(file, CancellationToken.None))
        {
            lines.Add(line.ToArray());
        }
        Assert.All(lines, l => Assert.DoesNotContain((byte)'\n', l));
        Assert.All(lines, l => Assert.DoesNotContain((byte)'\r', l));
        return lines;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
