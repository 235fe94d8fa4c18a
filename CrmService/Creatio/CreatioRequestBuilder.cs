using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// Builds the SaveWebFormObjectData body (see fixtures/creatio/request_example.json): the WCF wrapper
/// <c>formData</c>, <c>formId</c> = the landing, the record <c>Id</c> first, then the mapped columns with empty
/// values left out (an empty value would overwrite what a manager typed into the lead).
/// </summary>
public sealed class CreatioRequestBuilder(IOptions<CrmOptions> options)
{
    // Cyrillic names and summaries stay readable in the body; the JSON is still strictly valid.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public CreatioRequest Build(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var settings = options.Value;
        var landingId = settings.LandingId?.Trim() ?? "";
        var recordId = LeadRecordId.For(lead.ConversationId);

        var formFields = new List<KeyValuePair<string, string>> { new("Id", recordId.ToString("D")) };
        formFields.AddRange(Resolve(lead, settings.FormFields).Where(field => field.Key != "Id"));
        var contactFields = Resolve(lead, settings.ContactFields).ToList();

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("formData");
            writer.WriteString("formId", landingId);
            WriteFields(writer, "formFieldsData", formFields);
            WriteFields(writer, "contactFieldsData", contactFields);
            writer.WriteStartObject("options");
            // Failure answers then name the exception type, which makes a recorded failure actionable.
            writer.WriteBoolean("extendResponseWithExceptionType", true);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new CreatioRequest(recordId, buffer.ToArray(),
            formFields.Select(field => field.Key).ToArray(), contactFields.Select(field => field.Key).ToArray());
    }

    private static IEnumerable<KeyValuePair<string, string>> Resolve(Lead lead, IReadOnlyDictionary<string, string> mapping)
    {
        foreach (var (column, source) in mapping)
        {
            if (string.IsNullOrWhiteSpace(column) || string.IsNullOrWhiteSpace(source))
            {
                continue; // a column mapped to nothing is switched off
            }
            var value = lead.Value(source.Trim());
            if (value is not null)
            {
                yield return new(column.Trim(), value);
            }
        }
    }

    private static void WriteFields(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string>> fields)
    {
        writer.WriteStartArray(name);
        foreach (var (column, value) in fields)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
