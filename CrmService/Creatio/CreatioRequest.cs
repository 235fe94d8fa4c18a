namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>A built SaveWebFormObjectData body, with what may be stored about it (column names, never values).</summary>
/// <remarks>RecordId: The deterministic lead Id sent in <c>formFieldsData</c>. Body: The UTF-8 JSON body. FormFieldNames: Columns sent in <c>formFieldsData</c>, in order. ContactFieldNames: Columns sent in <c>contactFieldsData</c>, in order.</remarks>
public sealed record CreatioRequest(Guid RecordId, byte[] Body, IReadOnlyList<string> FormFieldNames, IReadOnlyList<string> ContactFieldNames);
