using System.Globalization;
using Xunit.Abstractions;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// A run's report: lines to the test output and, when <c>STRESS_REPORT_DIR</c> is set (the bench/stress scripts set
/// it), to <c>&lt;dir&gt;/&lt;name&gt;.txt</c> so the figures can be copied into docs/benchmarks-stress.md.
/// </summary>
public sealed class StressReport(string name, ITestOutputHelper output)
{
    private readonly List<string> _lines = [string.Create(CultureInfo.InvariantCulture,
        $"# {name} ({StressScale.Name} size) at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}")];

    public void Line(string text)
    {
        _lines.Add(text);
        output.WriteLine(text);
    }

    public void Save()
    {
        Line(string.Create(CultureInfo.InvariantCulture, $"load average at end: {LoadAverage()}"));
        if (Environment.GetEnvironmentVariable("STRESS_REPORT_DIR") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllLines(Path.Combine(directory, name + ".txt"), _lines);
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages (the machine is shared; every figure notes it).</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
