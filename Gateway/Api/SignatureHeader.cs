using System.Globalization;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// The parsed <c>ElevenLabs-Signature: t=&lt;unix&gt;,v0=&lt;hex&gt;</c> header. Several <c>v0</c> entries are
/// allowed (a sender mid-rotation may sign with two secrets).
/// </summary>
public sealed record SignatureHeader(long Timestamp, IReadOnlyList<byte[]> Signatures)
{
    public const string Name = "ElevenLabs-Signature";

    private const int Sha256Length = 32;

    /// <summary>Null when the header is not of the expected shape.</summary>
    public static SignatureHeader? TryParse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        long? timestamp = null;
        var signatures = new List<byte[]>(1);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)
                && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (part.StartsWith("v0=", StringComparison.Ordinal) && part.Length == 3 + (2 * Sha256Length))
            {
                try
                {
                    signatures.Add(Convert.FromHexString(part.AsSpan(3)));
                }
                catch (FormatException)
                {
                    // Not hex: ignored like any unknown entry; no valid v0 left means a malformed header.
                }
            }
        }
        return timestamp is { } ts && signatures.Count > 0 ? new SignatureHeader(ts, signatures) : null;
    }
}
