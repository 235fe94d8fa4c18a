using VoiceAnalytics.TestSupport.Hosting;
using AnalysisClient = VoiceAnalytics.Protos.Analysis.V1.Analysis.AnalysisClient;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>
/// The analysis service from its own Program.cs, with settings given as the flat variables a deployment would
/// use, no spacing between LLM calls and quick job retries unless a test sets them. Several may share one database.
/// </summary>
public sealed class AnalysisFactory(AnalysisDatabase database, IDictionary<string, string?> settings)
    : ServiceFactory<Program>(database.ConnectionString, WithTestDefaults(settings))
{
    private AnalysisClient? _client;

    public AnalysisClient Client => _client ??= new AnalysisClient(Channel);

    public static async Task<AnalysisFactory> StartAsync(AnalysisDatabase database, IDictionary<string, string?> settings)
    {
        var factory = new AnalysisFactory(database, settings);
        await factory.StartAsync();
        return factory;
    }

    private static Dictionary<string, string?> WithTestDefaults(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ANALYZE_MIN_MS"] = "0",
            ["Jobs:analysis:PollInterval"] = "00:00:01",
            ["Jobs:analysis:RetryBaseDelay"] = "00:00:00.100",
            ["Jobs:analysis:RetryMaxDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return all;
    }
}
