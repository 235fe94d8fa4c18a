using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// A phone number as a report may show it: the country code and the last two digits, the rest starred in the
/// number's usual grouping (<c>+55 ** *****-**34</c>). Enough to recognise a number one already knows, not to call it.
/// </summary>
public static class PhoneMask
{
    // E.164 country codes are prefix-free: one digit for 1 and 7, three digits for these two-digit prefixes, two otherwise.
    private static readonly HashSet<string> ThreeDigitPrefixes =
        ["21", "22", "23", "24", "25", "26", "29", "35", "37", "38", "42", "50", "59", "67", "68", "69", "80", "85", "87", "88", "96", "97", "99"];

    public static string? Mask(string? phone)
    {
        if (PhoneNumbers.NormalizeDigits(phone) is not { } digits)
        {
            return null;
        }
        var codeLength = digits[0] is '1' or '7' ? 1 : ThreeDigitPrefixes.Contains(digits[..2]) ? 3 : 2;
        var national = digits[codeLength..];
        if (national.Length < 6)
        {
            return "+" + digits[..codeLength] + " " + new string('*', Math.Max(0, national.Length - 2)) + national[^Math.Min(2, national.Length)..];
        }
        var middle = national.Length - 2 - 4;
        return $"+{digits[..codeLength]} ** {new string('*', middle)}-**{national[^2..]}";
    }
}
