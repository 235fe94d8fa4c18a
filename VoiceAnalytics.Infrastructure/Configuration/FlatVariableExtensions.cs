using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace VoiceAnalytics.Infrastructure.Configuration;

public static class FlatVariableExtensions
{
    /// <summary>
    /// Maps a service's flat environment names onto its options section, once: every flat variable that is set
    /// (and not blank) is copied to its key, converted (milliseconds and seconds to <see cref="TimeSpan"/>,
    /// 1/0/yes/no/on/off to booleans), in a configuration source added last, so the flat name wins over the
    /// section as it always has. A value that cannot be converted stops the start with a message naming the
    /// variable (never its value: some are secrets).
    /// </summary>
    public static IConfigurationManager AddFlatVariables(this IConfigurationManager configuration, IEnumerable<FlatVariable> table)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(table);
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var variable in table)
        {
            if (configuration[variable.Name] is not { } text || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            if (Convert(text.Trim(), variable.Kind) is { } value)
            {
                mapped[variable.Key] = value;
            }
            else
            {
                errors.Add($"{variable.Name} must be {Expected(variable.Kind)}.");
            }
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", errors));
        }
        configuration.AddInMemoryCollection(mapped);
        return configuration;
    }

    private static string? Convert(string text, FlatValueKind kind) => kind switch
    {
        FlatValueKind.Text => text,
        FlatValueKind.Number => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture) : null,
        FlatValueKind.Boolean => text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => "true",
            "false" or "0" or "no" or "off" => "false",
            _ => null,
        },
        FlatValueKind.Milliseconds => Duration(text, TimeSpan.FromMilliseconds),
        FlatValueKind.Seconds => Duration(text, TimeSpan.FromSeconds),
        _ => null,
    };

    private static string? Duration(string text, Func<double, TimeSpan> unit) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0 && count <= int.MaxValue
            ? unit(count).ToString("c", CultureInfo.InvariantCulture)
            : null;

    private static string Expected(FlatValueKind kind) => kind switch
    {
        FlatValueKind.Number => "a whole number",
        FlatValueKind.Boolean => "true or false",
        FlatValueKind.Milliseconds => "a whole number of milliseconds",
        FlatValueKind.Seconds => "a whole number of seconds",
        _ => "text",
    };
}
