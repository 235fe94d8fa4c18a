using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CrmMetricsTests
{
    [Fact]
    public void OutcomesAreCountedByResultAndTheBreakerStateIsAGauge()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var breaker = new CrmCircuitBreaker(CrmTestOptions.Create(), new ManualTimeProvider());
        var metrics = new CrmMetrics(factory, breaker);

        var outcomes = new List<(long Value, string? Result)>();
        var states = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == CrmMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "crm.export.outcomes")
            {
                outcomes.Add((value, tags.ToArray().Single(t => t.Key == "result").Value as string));
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "crm.circuit.state")
            {
                states.Add(value);
            }
        });
        listener.Start();

        var request = new CreatioRequestBuilder(CrmTestOptions.Create()).Build(Leads.Fixture());
        metrics.Record(new ExportOutcome(ExportStatus.Exported, request, "creatio", null), TimeSpan.FromMilliseconds(5));
        metrics.Record(new ExportOutcome(ExportStatus.Failed, request, "creatio", "HTTP 500"), TimeSpan.FromMilliseconds(5));
        for (var i = 0; i < 5; i++)
        {
            breaker.RecordFailure(breaker.TryEnter());
        }
        listener.RecordObservableInstruments();

        Assert.Equal([(1L, "exported"), (1L, "failed")], outcomes);
        Assert.Equal([(int)CircuitState.Open], states);
    }
}
