namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>Phone numbers reduced to one comparable form, so that the lookup hash matches however they were written.</summary>
public static class PhoneNumbers
{
    /// <summary>
    /// E.164 digits without the plus: separators dropped, an international <c>00</c> prefix dropped, and the Russian
    /// trunk prefix (<c>8</c> before ten digits) read as country code 7, as the analyser's normaliser does.
    /// Null when fewer than 7 digits remain (not a phone number).
    /// </summary>
    public static string? NormalizeDigits(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        if (digits.Length == 11 && digits[0] == '8' && !phone.TrimStart().StartsWith('+'))
        {
            digits = "7" + digits[1..];
        }
        return digits.Length is >= 7 and <= 15 ? digits : null;
    }
}
