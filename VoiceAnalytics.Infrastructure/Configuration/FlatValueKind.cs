namespace VoiceAnalytics.Infrastructure.Configuration;

/// <summary>How a flat variable's text becomes the value the options binder expects.</summary>
public enum FlatValueKind
{
    /// <summary>Passed on as it is.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Number,

    /// <summary>true/false, also 1/0, yes/no, on/off (shell habits).</summary>
    Boolean,

    /// <summary>A whole number of milliseconds, bound as a <see cref="TimeSpan"/>.</summary>
    Milliseconds,

    /// <summary>A whole number of seconds, bound as a <see cref="TimeSpan"/>.</summary>
    Seconds,
}
