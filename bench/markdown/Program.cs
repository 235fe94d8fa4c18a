// Cost of one Markdown-mirror export into an empty mirror and into one that already holds many leads. Exports
// alternate between the two mirrors, so both see the same disk and machine load, and the ratio is what counts.
// Usage: dotnet run -c Release --project bench/markdown -- [existing leads, default 100000] [exports each, default 1000]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;

var existing = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var exports = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var folder = Directory.CreateTempSubdirectory("markdown-bench-");
try
{
    var result = JsonDocument.Parse("""
        {"topic":"Подключение офиса","intent":"Запрос КП","quality":5,"outcome":"Квалифицирован",
         "summary_ru":"Клиент интересуется подключением офиса на 20 рабочих мест.","recommendations":"Отправить КП сегодня.",
         "client_name":"Иван Петров","phone":"+375291234567","email":"ivan.petrov@example.com"}
        """).RootElement.Clone();
    Lead LeadFor(string id) => new(id, "agent_bench", 1, 1, result);

    var empty = await PrepareAsync("empty", prefill: 0);
    var full = await PrepareAsync("full", prefill: existing);
    var (emptyTime, fullTime) = (TimeSpan.Zero, TimeSpan.Zero);
    for (var i = 0; i < exports; i++)
    {
        emptyTime += await TimeExportAsync(empty, LeadFor($"conv_new_{i:D7}"));
        fullTime += await TimeExportAsync(full, LeadFor($"conv_new_{i:D7}"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{exports} exports each; per export: empty mirror {emptyTime.TotalMilliseconds / exports:F3} ms, " +
        $"mirror of {existing} leads ({new FileInfo(full.FullPath).Length / 1_048_576.0:F1} MiB) {fullTime.TotalMilliseconds / exports:F3} ms; " +
        $"ratio {fullTime / emptyTime:F2}"));

    async Task<MarkdownMirror> PrepareAsync(string name, int prefill)
    {
        var path = Path.Combine(folder.FullName, name, "crm.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (prefill > 0)
        {
            // The sections an earlier history would have left, written in one go.
            await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
            await writer.WriteAsync("# CRM exports\n");
            for (var i = 0; i < prefill; i++)
            {
                await writer.WriteAsync("\n" + MarkdownSection.Render(LeadFor($"conv_old_{i:D7}"), DateTimeOffset.UtcNow));
            }
        }
        var mirror = new MarkdownMirror(Options.Create(new CrmOptions { MarkdownPath = path }), TimeProvider.System);
        await mirror.WriteAsync(LeadFor("conv_warm_up"), CancellationToken.None); // also flushes the prefill to disk
        return mirror;
    }

    static async Task<TimeSpan> TimeExportAsync(MarkdownMirror mirror, Lead lead)
    {
        var started = Stopwatch.GetTimestamp();
        await mirror.WriteAsync(lead, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started);
    }
}
finally
{
    folder.Delete(recursive: true);
}
