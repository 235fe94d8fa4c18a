using System.Globalization;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Sizes of the stress suites: small enough for CI by default, the full sizes with
/// <c>STRESS_SCALE=full</c> (bench/stress/run-*.sh), and any single figure overridable (<c>STRESS_WEBHOOKS=500</c>).
/// </summary>
public static class StressScale
{
    public static bool Full { get; } = string.Equals(Environment.GetEnvironmentVariable("STRESS_SCALE"), "full", StringComparison.OrdinalIgnoreCase);

    public static string Name => Full ? "full" : "ci";

    /// <summary>The value of <paramref name="variable"/> if set, else the CI or the full size.</summary>
    public static int Pick(string variable, int ci, int full) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : Full ? full : ci;

    /// <summary>The fuzz run's seed: fixed, so a failing run can be repeated exactly (<c>STRESS_SEED</c> to vary it).</summary>
    public static int Seed => Pick("STRESS_SEED", 20_240_611, 20_240_611);
}
