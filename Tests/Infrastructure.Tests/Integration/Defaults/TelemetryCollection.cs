namespace VoiceAnalytics.Infrastructure.Tests.Integration.Defaults;

/// <summary>
/// Tests that read what a host exports run alone: OpenTelemetry's listeners see every meter and activity source of
/// the process by name, so another test's host running meanwhile could feed what these hosts report.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry export";
}
