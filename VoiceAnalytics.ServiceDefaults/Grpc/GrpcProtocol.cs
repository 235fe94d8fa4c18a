using System.Globalization;
using System.Text;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// The parts of the gRPC-over-HTTP/2 protocol (doc/PROTOCOL-HTTP2.md) that both sides need: header names,
/// the <c>grpc-timeout</c> format and the percent-encoding of <c>grpc-message</c>.
/// </summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Encodings this transport can read; responses are always sent uncompressed.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>gRPC's default limit for a received message.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null
        && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';');

    /// <summary>Parses <c>grpc-timeout</c>: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        var ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => -1,
        };
        if (ticks < 0)
        {
            return false;
        }
        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats a timeout with the finest unit that keeps it within 8 digits.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        var micros = ticks / 10;
        if (micros < 100_000_000)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }
        var millis = ticks / TimeSpan.TicksPerMillisecond;
        if (millis < 100_000_000)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }
        var seconds = ticks / TimeSpan.TicksPerSecond;
        return seconds < 100_000_000
            ? seconds.ToString(CultureInfo.InvariantCulture) + "S"
            : Math.Min(ticks / TimeSpan.TicksPerHour, 99_999_999).ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Percent-encodes a status message as the spec asks: UTF-8, anything outside 0x20–0x7E and '%' escaped.</summary>
    public static string EncodeMessage(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>Decodes a percent-encoded status message; malformed escapes are kept as they are.</summary>
    public static string DecodeMessage(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || !encoded.Contains('%'))
        {
            return encoded ?? "";
        }
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
