namespace VoiceAnalytics.System.Tests.Integration.Stress;

/// <summary>
/// The stress suites each boot the whole app and push a 2-core machine hard: they run one after another, never
/// beside each other, so a kill or an outage in one cannot be mistaken for a fault in another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "Stress";
}
