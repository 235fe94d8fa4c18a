using System.Globalization;
using System.Net;
using System.Text.Json;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// Decides success from a SaveWebFormObjectData answer (fixtures/creatio/response_*.json). Creatio answers
/// 200 even on failure; the verdict is <c>resultCode</c> inside the <c>SaveWebFormObjectDataResult</c> string.
/// An empty result means Creatio could not read the body.
/// </summary>
public static class CreatioResponseParser
{
    private const int MaxMessageLength = 300;

    public static CreatioResult Parse(HttpStatusCode status, string body)
    {
        var code = (int)status;
        if (code is < 200 or > 299)
        {
            var transient = status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || code >= 500;
            return CreatioResult.Failed(code, $"HTTP {code} {ReasonOf(status)}", transient);
        }

        string? inner;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("SaveWebFormObjectDataResult", out var result))
            {
                return CreatioResult.Failed(code, "Unexpected response: no SaveWebFormObjectDataResult", transient: false);
            }
            inner = result.ValueKind switch
            {
                JsonValueKind.String => result.GetString(),
                JsonValueKind.Object => result.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return CreatioResult.Failed(code, "Unparseable response (not JSON)", transient: false);
        }

        if (string.IsNullOrWhiteSpace(inner))
        {
            return CreatioResult.Failed(code, "Empty SaveWebFormObjectDataResult: the CRM could not read the request body", transient: false);
        }
        if (!LenientObjectReader.TryRead(inner, out var fields))
        {
            return CreatioResult.Failed(code, "Unparseable SaveWebFormObjectDataResult", transient: false);
        }

        var message = Truncate(fields.GetValueOrDefault("resultMessage") as string ?? "");
        var exceptionType = fields.GetValueOrDefault("exceptionType") as string;
        var resultCode = fields.GetValueOrDefault("resultCode") switch
        {
            long value and >= int.MinValue and <= int.MaxValue => (int?)value,
            string raw when int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };

        if (resultCode == 0)
        {
            return CreatioResult.Ok(code, message);
        }
        if (resultCode is null)
        {
            return CreatioResult.Failed(code, "SaveWebFormObjectDataResult has no resultCode", transient: false);
        }
        var text = $"resultCode {resultCode}: {(message.Length > 0 ? message : "(no message)")}"
            + (string.IsNullOrEmpty(exceptionType) ? "" : $" ({exceptionType})");
        return CreatioResult.Failed(code, text, transient: false, resultCode, exceptionType);
    }

    private static string ReasonOf(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : "";

    private static string Truncate(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
}
