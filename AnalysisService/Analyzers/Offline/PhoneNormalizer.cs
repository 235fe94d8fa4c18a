using System.Text.RegularExpressions;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// Turns a found digit run into E.164 (<c>+</c> and 8–15 digits), or null when it cannot say which country the
/// number belongs to. National formats are read only for the countries this product meets (Belarus, Russia,
/// Ukraine, Brazil, Portugal, the UK, North America), and only when the call itself says which country is
/// likely (the caller's or agent's number, else the call language): a wrong guess is worse than no phone.
/// </summary>
public static partial class PhoneNormalizer
{
    // Country codes whose national formats are understood below, longest first for prefix matching.
    private static readonly string[] KnownCountryCodes = ["375", "380", "351", "55", "44", "7", "1"];

    public static bool IsE164(string? phone) => phone is not null && E164().IsMatch(phone);

    /// <summary>A written number ("+375 (29) 123-45-67") with its formatting removed, if it is E.164 then.</summary>
    public static string? FromFormatted(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var trimmed = text.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (trimmed.StartsWith('+'))
        {
            return IsE164("+" + digits) ? "+" + digits : null;
        }
        return ToE164(new PhoneCandidate(digits, International: false), defaultCountryCode: null);
    }

    /// <summary>The calling code of an E.164 number among the ones this class understands, else null.</summary>
    public static string? CountryCodeOf(string? e164) =>
        IsE164(e164) ? KnownCountryCodes.FirstOrDefault(code => e164![1..].StartsWith(code, StringComparison.Ordinal)) : null;

    /// <summary>The country code to assume for national numbers when the call says nothing better.</summary>
    public static string? CountryCodeForLanguage(string? language) => language?.ToLowerInvariant() switch
    {
        "ru" => "7",
        "pt" or "pt-br" => "55",
        "en" or "en-us" => "1",
        _ => null,
    };

    public static string? ToE164(PhoneCandidate candidate, string? defaultCountryCode)
    {
        var digits = candidate.Digits;
        if (candidate.International || digits.StartsWith("00", StringComparison.Ordinal))
        {
            var international = "+" + (candidate.International ? digits : digits[2..]);
            return IsE164(international) ? international : null;
        }

        // Trunk prefixes that name their country on their own.
        switch (digits.Length)
        {
            case 11 when digits.StartsWith("80", StringComparison.Ordinal):
                return "+375" + digits[2..];                        // Belarus: 8 0xx xxx-xx-xx
            case 11 when digits[0] is '8' or '7' && digits[1] is '3' or '4' or '8' or '9':
                return "+7" + digits[1..];                          // Russia: 8 9xx xxx-xx-xx
            case 12 when digits.StartsWith("375", StringComparison.Ordinal) || digits.StartsWith("380", StringComparison.Ordinal)
                || digits.StartsWith("351", StringComparison.Ordinal) || digits.StartsWith("55", StringComparison.Ordinal):
            case 13 when digits.StartsWith("55", StringComparison.Ordinal):
                return "+" + digits;                                // said without the plus
        }

        return defaultCountryCode switch
        {
            "375" when digits.Length == 9 && Regex.IsMatch(digits, "^(17|25|29|33|44)") => "+375" + digits,
            "7" when digits.Length == 10 && digits[0] is '3' or '4' or '8' or '9' => "+7" + digits,
            "380" when digits.Length == 10 && digits[0] == '0' => "+380" + digits[1..],
            "55" when digits.Length is 10 or 11 && digits[0] != '0' => "+55" + digits,
            "55" when digits.Length is 11 or 12 && digits[0] == '0' => "+55" + digits[1..],
            "351" when digits.Length == 9 && digits[0] is '2' or '9' => "+351" + digits,
            "44" when digits.Length == 11 && digits[0] == '0' => "+44" + digits[1..],
            "1" when digits.Length == 10 && digits[0] is >= '2' and <= '9' => "+1" + digits,
            "1" when digits.Length == 11 && digits[0] == '1' => "+" + digits,
            _ => null,
        };
    }

    [GeneratedRegex(@"^\+[1-9]\d{7,14}$")]
    private static partial Regex E164();
}
