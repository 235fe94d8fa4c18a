using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// Encrypts an accepted event once, on the request's own thread, before it reaches the group commit or the spool:
/// the whole payload (transcript, caller and called numbers, dynamic variables) becomes one AES-256-GCM envelope,
/// the recording encrypted bytes, and the caller's number only its keyed hash (lookup by phone). Sealing a sealed
/// event changes nothing, so a spool line written before encryption is sealed at replay. A webhook's payload is
/// sealed straight from the received bytes (<see cref="SealPayload"/>), so no decoded plaintext copy is made.
/// </summary>
public sealed class PayloadSealer(PiiProtector protector)
{
    /// <summary>The sealed payload (one encrypted JSON string) of the event JSON <paramref name="utf8Json"/>.</summary>
    public string SealPayload(ReadOnlySpan<byte> utf8Json) => protector.SealJson(utf8Json);

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
            PhoneHash = e.PhoneHash ?? protector.PhoneLookupHash(e.CallerPhone) ?? "",
            CallerPhone = null,
            IsSealed = true,
        };
    }
}
