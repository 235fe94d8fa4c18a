using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// The analyzer used when no OpenAI key is configured, so the pipeline runs on a fresh machine: deterministic
/// rules fill the same eight fields. Its <c>model</c> value says so, and the CRM comment shows it.
/// </summary>
public sealed class OfflineAnalyzer : IAnalyzer
{
    public const string ModelName = "offline-rules/1";
    public const string RulesVersion = "rules-2025-11";

    public bool UsesProvider => false;

    public int EstimateTokens(ConversationTranscript transcript) => 0;

    public Task<AnalyzerResult> AnalyzeAsync(ConversationTranscript transcript, CancellationToken cancellationToken)
    {
        var verdict = Analyze(transcript);
        VerdictValidator.EnsureValid(verdict);
        return Task.FromResult(new AnalyzerResult(verdict, ModelName, RulesVersion, 0, 0, 0m));
    }

    public static Verdict Analyze(ConversationTranscript transcript)
    {
        var userText = Lower(transcript.UserTurns);
        var agentText = Lower(transcript.AgentTurns);

        var contacts = ContactExtractor.Extract(transcript);
        var topic = Best(KeywordTables.Topics, userText, agentText) ?? KeywordTables.FallbackTopic;
        var intent = Best(KeywordTables.Intents, userText, agentText) ?? KeywordTables.FallbackIntent;
        var followUps = KeywordTables.FollowUps.Where(r => r.CountIn(agentText) > 0).Select(r => r.Label).ToList();
        var outcome = OutcomeRules.Decide(transcript, contacts, followUps);
        var quality = QualityRules.Score(transcript, outcome.Success, agentText, userText);
        var summary = SummaryRules.Write(transcript, topic, intent, outcome.Text, contacts);
        var recommendations = RecommendationRules.Write(topic, outcome.Success, contacts, followUps);

        return new Verdict(topic, intent, quality, outcome.Text, summary, recommendations,
            contacts.Name ?? "", contacts.Phone ?? "", contacts.Email);
    }

    // User words count double: the topic is what the caller came for, not what the agent offered.
    private static string? Best(KeywordRule[] rules, string userText, string agentText)
    {
        var best = rules
            .Select((rule, order) => (rule.Label, Score: (2 * rule.CountIn(userText)) + rule.CountIn(agentText), order))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.order)
            .FirstOrDefault();
        return best.Label;
    }

    private static string Lower(IEnumerable<TranscriptTurn> turns) =>
        string.Join('\n', turns.Select(t => t.Message)).ToLowerInvariant().Replace('ё', 'е');
}
