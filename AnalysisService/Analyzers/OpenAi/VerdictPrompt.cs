namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>
/// The prompt and the strict JSON schema of the eight-field verdict. <see cref="Version"/> is stored with every
/// analysis: change it whenever the prompt or schema changes, so analyses can be compared per prompt.
/// </summary>
public static class VerdictPrompt
{
    public const string Version = "verdict-v1";

    public const string SchemaName = "call_verdict";

    public const string System = """
        You analyse transcripts of phone and web calls between a company's voice AI agent (lines "A:") and a
        client (lines "U:"). Calls may be in Russian, English or Portuguese. Fill every field of the schema:
        - topic: the subject of the call, 2-6 words, in Russian.
        - intent: what the client wants, one short phrase, in Russian.
        - quality: how well the AGENT handled the call, integer 1 (poor) to 5 (excellent).
        - outcome: how the call ended (e.g. "Успешно: клиент оставил контакты"), in Russian, one sentence.
        - summary_ru: 1-3 sentences in Russian, whatever the call's language.
        - recommendations: concrete next steps for the sales/support team, in Russian.
        - client_name: the CLIENT's name as they said it (never the agent's), or null if not mentioned.
        - phone: the CLIENT's phone number in E.164 (e.g. +375291234567; convert spelled-out digits), or null if
          not mentioned or the country code cannot be determined.
        Lines in [brackets] are call metadata, including ElevenLabs' own evaluation when present. Use only what
        the transcript says; do not invent details.
        """;

    public const string Schema = """
        {
          "type": "object",
          "properties": {
            "topic": { "type": "string", "description": "Subject of the call, in Russian" },
            "intent": { "type": "string", "description": "What the client wants, in Russian" },
            "quality": { "type": "integer", "enum": [1, 2, 3, 4, 5], "description": "Agent quality 1-5" },
            "outcome": { "type": "string", "description": "How the call ended, in Russian" },
            "summary_ru": { "type": "string", "description": "1-3 sentence summary in Russian" },
            "recommendations": { "type": "string", "description": "Next steps, in Russian" },
            "client_name": { "type": ["string", "null"], "description": "Client's name, or null" },
            "phone": { "type": ["string", "null"], "description": "Client's phone in E.164, or null" }
          },
          "required": ["topic", "intent", "quality", "outcome", "summary_ru", "recommendations", "client_name", "phone"],
          "additionalProperties": false
        }
        """;
}
