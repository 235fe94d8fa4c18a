using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using VoiceAnalytics.AnalysisService.Analyzers.Offline;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.AnalysisService.Throttling;

namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>
/// The LLM analyzer: one chat completion with the compact transcript and a strict JSON schema (structured
/// outputs), its answer parsed and validated. Works with any OpenAI-compatible server through OPENAI_BASE_URL.
/// Throttling and retries are the caller's: the SDK retries at most once and never a 429.
/// </summary>
public sealed class OpenAiAnalyzer : IAnalyzer
{
    private readonly ChatClient _client;
    private readonly AnalyzerOptions _options;
    private readonly ChatCompletionOptions _completionOptions;

    public OpenAiAnalyzer(IOptions<AnalyzerOptions> options)
    {
        _options = options.Value;
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ProviderRetryPolicy(),
            NetworkTimeout = _options.Timeout,
        };
        // The throttle's spacing must hold at the provider, so each request confirms its start as it is sent.
        clientOptions.AddPolicy(new ThrottledSendPolicy(), PipelinePosition.BeforeTransport);
        if (!string.IsNullOrWhiteSpace(_options.BaseUrl))
        {
            clientOptions.Endpoint = new Uri(_options.BaseUrl);
        }
        _client = new ChatClient(_options.Model, new ApiKeyCredential(_options.ApiKey ?? ""), clientOptions);
        _completionOptions = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                VerdictPrompt.SchemaName, BinaryData.FromString(VerdictPrompt.Schema), jsonSchemaIsStrict: true),
            MaxOutputTokenCount = _options.MaxOutputTokens,
        };
    }

    public bool UsesProvider => true;

    // About three characters per token for mixed Cyrillic/Latin text, plus the prompt and the answer.
    public int EstimateTokens(ConversationTranscript transcript) =>
        ((VerdictPrompt.System.Length + VerdictPrompt.Schema.Length + Render(transcript).Length) / 3) + _options.MaxOutputTokens;

    public async Task<AnalyzerResult> AnalyzeAsync(ConversationTranscript transcript, CancellationToken cancellationToken)
    {
        ChatMessage[] messages = [new SystemChatMessage(VerdictPrompt.System), new UserChatMessage(Render(transcript))];
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(messages, _completionOptions, cancellationToken)).Value;
        }
        catch (ClientResultException ex) when (ex.Status == 429)
        {
            var response = ex.GetRawResponse();
            var retryAfter = RateLimitHeaders.RetryAfter(
                name => response is not null && response.Headers.TryGetValue(name, out var value) ? value : null, DateTimeOffset.UtcNow);
            throw new ProviderRateLimitedException(retryAfter, ex);
        }
        catch (ClientResultException ex)
        {
            // The provider's message can quote the request; the status is enough to act on.
            throw new LlmProviderException($"The LLM provider answered HTTP {ex.Status}.", ex);
        }

        if (completion.Refusal is { Length: > 0 })
        {
            throw new InvalidVerdictException("Invalid verdict: the model refused to answer.");
        }
        if (completion.FinishReason == ChatFinishReason.Length)
        {
            throw new InvalidVerdictException($"Invalid verdict: the answer was cut off at {_options.MaxOutputTokens} output tokens.");
        }
        var text = completion.Content.Count > 0 ? completion.Content[0].Text : null;
        var verdict = VerdictParser.Parse(text);
        // Email is not one of the eight fields; the rules find it for the CRM lead.
        verdict = verdict with { Email = ContactExtractor.Extract(transcript).Email };

        var usage = completion.Usage;
        var inputTokens = usage?.InputTokenCount ?? 0;
        var outputTokens = usage?.OutputTokenCount ?? 0;
        var model = string.IsNullOrEmpty(completion.Model) ? _options.Model : completion.Model;
        return new AnalyzerResult(verdict, model, VerdictPrompt.Version, inputTokens, outputTokens,
            CostEstimator.Estimate(_options.Prices, model, inputTokens, outputTokens));
    }

    private string Render(ConversationTranscript transcript) => CompactTranscript.Render(transcript, _options.MaxTranscriptChars);
}
