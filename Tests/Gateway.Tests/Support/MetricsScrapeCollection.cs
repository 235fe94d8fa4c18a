namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// Tests that read a host's <c>/metrics</c> run alone. OpenTelemetry's meter listener sees every meter of the
/// process by name, so while another test host is alive its instruments (the same names, from its own meter
/// factory) can be the ones this host's exporter reports, and the scrape shows the other host's values.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsScrapeCollection
{
    public const string Name = "metrics scrape";
}
