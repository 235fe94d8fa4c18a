using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// Encrypts an accepted event once, on the request's own thread, before it reaches the group commit or the spool:
/// the whole payload (transcript, caller and called numbers, dynamic variables) becomes one AES-256-GCM envelope,
/// the recording encrypted bytes, and the caller's number only its keyed hash (lookup by phone). Sealing a sealed
/// event changes nothing, so a spool line written before encryption is sealed at replay.
/// </summary>
public sealed class PayloadSealer(PiiProtector protector)
{
    public WebhookEvent Seal(WebhookEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.IsSealed)
        {
            return e;
        }
        return e with
        {
            Payload = protector.SealJson(e.Payload),
            Audio = e.Audio is { } audio && !PiiBytes.IsProtected(audio) ? protector.ProtectBytes(audio) : e.Audio,
            PhoneHash = e.PhoneHash ?? protector.PhoneLookupHash(e.CallerPhone ?? PhoneOfUnsealed(e.Payload)) ?? "",
            CallerPhone = null,
            IsSealed = true,
        };
    }

    // A spool line written before encryption carries neither the hash nor the parsed number: read it from the JSON.
    private static string? PhoneOfUnsealed(string payload)
    {
        if (PiiSealedJson.IsSealed(payload))
        {
            return null;
        }
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            var data = document.RootElement.TryGetProperty("data", out var d) ? d : default;
            return Text(data, "metadata", "phone_call", "external_number")
                ?? Text(data, "conversation_initiation_client_data", "dynamic_variables", "system__caller_id");
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Text(System.Text.Json.JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == System.Text.Json.JsonValueKind.String ? element.GetString() : null;
    }
}
